import { InvalidConfigError, type ValidationIssue } from "../errors/errors.js"
import { SYSTEM_ROLE } from "../actor.js"

/**
 * What a province decides about who may act in it (danh bạ tác nhân của tỉnh):
 * its agencies, which agencies' staff may hold each role, and which roles see
 * the whole province. `@civicase/workflows` builds it from a province file
 * (`provinceDirectory(province)`, or `provinceEngineOptions(province)` which
 * passes it to the engine).
 *
 * @example
 * const directory: ProvinceDirectory = {
 *   agencies: ["ubnd-tinh", "so-tttt", "so-khdt"],
 *   retired: { "huyen-tam-dao": "tp-vinh-yen" },
 *   roles: { coordinator_head: ["so-tttt"], agency_officer: ["*"], province_leader: ["ubnd-tinh"] },
 *   provinceWideRoles: ["coordinator_head", "province_leader"],
 * }
 */
export interface ProvinceDirectory {
  /** The active agencies of the province: the only ones whose staff may act. */
  readonly agencies: ReadonlyArray<string>
  /** Retired agencies and their successors: their staff are refused, and the refusal names the successor. */
  readonly retired?: Readonly<Record<string, string>>
  /** Which agencies' staff may hold each role, by role name; `"*"` means any agency. A role not listed is held by no one. */
  readonly roles: Readonly<Record<string, ReadonlyArray<string>>>
  /** Roles whose holders see every case of the province; default the engine's `provinceWideRoles`. */
  readonly provinceWideRoles?: ReadonlyArray<string>
}

/** One role's holders, compiled: any agency, or these. */
export interface RoleHolders {
  readonly anyAgency: boolean
  readonly agencies: ReadonlySet<string>
}

/** A {@link ProvinceDirectory} compiled into sets and maps, so that no lookup by a claimed name touches a plain object. */
export interface CompiledDirectory {
  readonly agencies: ReadonlySet<string>
  readonly retired: ReadonlyMap<string, string>
  readonly roles: ReadonlyMap<string, RoleHolders>
  readonly wide: ReadonlySet<string>
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string" && x.length > 0)

/**
 * Checks and compiles the engine's `provinces` option, keyed by province id.
 * Every problem is listed by path (`/provinces/<id>/roles/<role>/<i>`), as
 * `InvalidConfigError`, before the engine starts.
 *
 * @example
 * const byProvince = compileDirectories({ "vinh-phuc": directory }, defaultProvinceWideRoles)
 * byProvince.get("vinh-phuc")?.roles.get("coordinator_head")?.agencies.has("so-tttt") // true
 */
export function compileDirectories(provinces: unknown, defaultWide: ReadonlyArray<string>): ReadonlyMap<string, CompiledDirectory> {
  const issues: ValidationIssue[] = []
  const out = new Map<string, CompiledDirectory>()
  if (provinces === null || typeof provinces !== "object" || Array.isArray(provinces)) {
    throw new InvalidConfigError("engine options", [{ path: "/provinces", message: "must be an object keyed by province id" }])
  }
  for (const [id, raw] of Object.entries(provinces)) {
    const at = `/provinces/${id}`
    const d = raw as Partial<ProvinceDirectory> | null
    if (id.length === 0) issues.push({ path: at, message: "a province id must not be empty" })
    if (d === null || typeof d !== "object") {
      issues.push({ path: at, message: "must be a province directory { agencies, roles, provinceWideRoles? }" })
      continue
    }
    if (!isStringArray(d.agencies)) {
      issues.push({ path: `${at}/agencies`, message: "must be an array of agency ids" })
      continue
    }
    const agencies = new Set(d.agencies)
    if (agencies.has(SYSTEM_ROLE)) issues.push({ path: `${at}/agencies`, message: `"${SYSTEM_ROLE}" is reserved for the engine's own actor` })
    const retired = new Map<string, string>()
    for (const [from, to] of Object.entries(d.retired ?? {})) {
      if (agencies.has(from)) issues.push({ path: `${at}/retired/${from}`, message: "is also listed as an active agency" })
      if (typeof to !== "string" || !agencies.has(to)) issues.push({ path: `${at}/retired/${from}`, message: `names the successor "${String(to)}", which is not an active agency` })
      retired.set(from, String(to))
    }
    const roles = new Map<string, RoleHolders>()
    if (d.roles === null || typeof d.roles !== "object" || Array.isArray(d.roles)) {
      issues.push({ path: `${at}/roles`, message: "must be an object: role → agencies that may hold it" })
    } else {
      for (const [role, holders] of Object.entries(d.roles)) {
        if (role === SYSTEM_ROLE) issues.push({ path: `${at}/roles/${role}`, message: `the role "${SYSTEM_ROLE}" is the engine's own and cannot be given to an agency` })
        if (!isStringArray(holders)) {
          issues.push({ path: `${at}/roles/${role}`, message: 'must be an array of agency ids or "*"' })
          continue
        }
        holders.forEach((a, i) => {
          if (a !== "*" && !agencies.has(a)) issues.push({ path: `${at}/roles/${role}/${i}`, message: `names "${a}", which is not an active agency of the province` })
        })
        roles.set(role, { anyAgency: holders.includes("*"), agencies: new Set(holders.filter((a) => a !== "*")) })
      }
    }
    const wide = d.provinceWideRoles ?? defaultWide
    if (!isStringArray(wide)) issues.push({ path: `${at}/provinceWideRoles`, message: "must be an array of role names" })
    out.set(id, { agencies, retired, roles, wide: new Set(isStringArray(wide) ? wide : []) })
  }
  if (issues.length) throw new InvalidConfigError("engine options", issues)
  return out
}
