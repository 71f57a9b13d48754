import { type Actor, SYSTEM_ROLE } from "../actor.js"
import { RoleNotHeldError, UnknownActorError, ValidationError, type ValidationIssue } from "../errors/errors.js"
import type { Permission } from "../workflow/types.js"
import { type CompiledDirectory, type ProvinceDirectory, compileDirectories } from "./province-directory.js"
import type { CaseParties } from "./types.js"

/** Roles that see every case of their province (coordinators, leaders, observers). */
export const defaultProvinceWideRoles: ReadonlyArray<string> = ["coordinator", "coordinator_head", "province_leader", "observer"]

/**
 * What an {@link AccessPolicy} is built from: the engine options of the same names.
 *
 * @example
 * const options: AccessOptions = { provinces: { "vinh-phuc": provinceDirectory(vinhPhuc) } }
 */
export interface AccessOptions {
  /** Roles that see every case of their province, where a province's directory does not say. */
  readonly provinceWideRoles?: ReadonlyArray<string>
  /**
   * The provinces this engine serves, keyed by province id, each with what it
   * decides about actors. Without it the engine cannot tell a foreign
   * province, an unknown agency or a role held by the wrong agency (see
   * docs/authorization.md).
   */
  readonly provinces?: Readonly<Record<string, ProvinceDirectory>>
}

/** Bounds of an actor's claims, the same as the server's for tokens. */
const MAX_NAME = 200
const MAX_ROLE = 100
const MAX_ROLES = 50

function shapeIssues(actor: unknown): ValidationIssue[] {
  if (actor === null || typeof actor !== "object") return [{ path: "/actor", message: "must be an actor { id, province, agency, roles }" }]
  const a = actor as Record<string, unknown>
  const issues: ValidationIssue[] = []
  for (const key of ["id", "province", "agency"] as const) {
    const v = a[key]
    if (typeof v !== "string" || v.length === 0 || v.length > MAX_NAME) issues.push({ path: `/actor/${key}`, message: `must be a string of 1 to ${MAX_NAME} characters` })
  }
  const roles = a.roles
  if (!Array.isArray(roles) || roles.length > MAX_ROLES) issues.push({ path: "/actor/roles", message: `must be an array of at most ${MAX_ROLES} role names` })
  else {
    roles.forEach((r, i) => {
      if (typeof r !== "string" || r.length === 0 || r.length > MAX_ROLE) issues.push({ path: `/actor/roles/${i}`, message: `must be a role name of 1 to ${MAX_ROLE} characters` })
    })
  }
  return issues
}

/**
 * The one authorization policy of an engine (phân quyền), exposed as
 * `engine.access`: who may act at all (province, agency, roles as the
 * province binds them), who sees which case, and who may send which event.
 * The engine applies it on every read and write; servers and plugins that
 * send case data without asking the engine (live feeds) must use this same
 * object, never a copy built from options. The rules are in
 * docs/authorization.md.
 *
 * @example
 * const access = new AccessPolicy({ provinces: { "vinh-phuc": provinceDirectory(vinhPhuc) } })
 * access.refusal({ id: "u1", province: "vinh-phuc", agency: "so-khdt", roles: ["coordinator_head"] }) // RoleNotHeldError
 * access.canSee(officer, "vinh-phuc", ["so-khdt"]) // true when officer.agency is so-khdt and it may act
 */
export class AccessPolicy {
  private readonly defaultWide: ReadonlySet<string>
  private directories: ReadonlyMap<string, CompiledDirectory> | undefined
  /** The system actors this policy issued: recognised by identity, so a copy or a look-alike is not one. */
  private readonly issued = new WeakSet<Actor>()
  private readonly systemActors = new Map<string, Actor>()

  constructor(options: AccessOptions = {}) {
    const wide = options.provinceWideRoles ?? defaultProvinceWideRoles
    this.defaultWide = new Set(wide)
    this.directories = options.provinces === undefined ? undefined : compileDirectories(options.provinces, wide)
  }

  /**
   * The provinces this policy knows actors of, or undefined when it has no
   * directory (then any province's actors may act, each in its own province).
   *
   * @example
   * engine.access.provinces() // ["vinh-phuc"]
   */
  provinces(): string[] | undefined {
    return this.directories ? [...this.directories.keys()] : undefined
  }

  /**
   * Replaces what `province` decides about actors (a new configuration
   * version applied at run time): every later check reads the new directory;
   * a bad directory is `InvalidConfigError` and changes nothing.
   *
   * @example
   * engine.access.replaceDirectory("vinh-phuc", provinceDirectory(nextVersion))
   */
  replaceDirectory(province: string, directory: ProvinceDirectory): void {
    const compiled = compileDirectories(Object.fromEntries([[province, directory]]), [...this.defaultWide])
    const next = new Map(this.directories ?? [])
    for (const [id, d] of compiled) next.set(id, d)
    this.directories = next
  }

  /**
   * The engine's own actor for `province` (timers, `applySuccession`, operator
   * commands such as `civicase report`): it passes every rule of its province.
   * Only the object this returns is the system actor; an actor written with
   * the role `system` is refused. Keep it in operator code: whoever holds it
   * acts for the province.
   *
   * @example
   * const report = await applySuccession(engine, province, engine.access.systemActor(province.id), { reason })
   */
  systemActor(province: string): Actor {
    if (typeof province !== "string" || province.length === 0 || province.length > MAX_NAME) {
      throw new ValidationError([{ path: "/province", message: `must be a province id of 1 to ${MAX_NAME} characters` }], "system actor")
    }
    let actor = this.systemActors.get(province)
    if (!actor) {
      actor = Object.freeze({ id: SYSTEM_ROLE, province, agency: SYSTEM_ROLE, roles: Object.freeze([SYSTEM_ROLE]) })
      this.issued.add(actor)
      this.systemActors.set(province, actor)
    }
    return actor
  }

  /**
   * True only for an actor this policy issued with {@link systemActor}.
   *
   * @example
   * access.isSystem(access.systemActor("vinh-phuc")) // true
   * access.isSystem({ id: "system", province: "vinh-phuc", agency: "system", roles: ["system"] }) // false
   */
  isSystem(actor: Actor): boolean {
    return typeof actor === "object" && actor !== null && this.issued.has(actor)
  }

  /**
   * Why `actor` may not act at all, or undefined when it may: a malformed
   * actor (`ValidationError` naming the path), the reserved system identity
   * or, with a directory, a province this engine does not serve or an agency
   * that is not active in it (`UnknownActorError`), or a role the province
   * does not give its agency (`RoleNotHeldError`).
   *
   * @example
   * access.refusal({ id: "u1", province: "vinh-phuc", agency: "so-khdt", roles: ["coordinator_head"] })?.code // "CIVICASE_E_ROLE_NOT_HELD"
   */
  refusal(actor: Actor): ValidationError | UnknownActorError | RoleNotHeldError | undefined {
    if (this.isSystem(actor)) return undefined
    const shape = shapeIssues(actor)
    if (shape.length) return new ValidationError(shape, "actor")
    if (actor.roles.includes(SYSTEM_ROLE) || actor.id === SYSTEM_ROLE || actor.agency === SYSTEM_ROLE) {
      return new UnknownActorError(actor.id, "system", `"${SYSTEM_ROLE}" is the engine's own actor and cannot be claimed`)
    }
    if (!this.directories) return undefined
    const dir = this.directories.get(actor.province)
    if (!dir) return new UnknownActorError(actor.id, "province", `the engine does not serve the province "${actor.province}"`)
    if (!dir.agencies.has(actor.agency)) {
      const successor = dir.retired.get(actor.agency)
      return new UnknownActorError(
        actor.id,
        "agency",
        successor === undefined
          ? `"${actor.agency}" is not an agency of ${actor.province}`
          : `the agency "${actor.agency}" was retired in ${actor.province}; its successor is "${successor}"`,
      )
    }
    for (const role of actor.roles) {
      const holders = dir.roles.get(role)
      if (!holders || (!holders.anyAgency && !holders.agencies.has(actor.agency))) {
        return new RoleNotHeldError(role, actor.agency, actor.province, holders ? [...holders.agencies] : [])
      }
    }
    return undefined
  }

  /**
   * Throws {@link refusal} when there is one. Every engine operation taking
   * an actor calls it first; a server may call it when a token is verified,
   * to refuse before anything else runs.
   *
   * @example
   * engine.access.admit(request.actor) // throws UnknownActorError (401) or RoleNotHeldError (403)
   */
  admit(actor: Actor): void {
    const refused = this.refusal(actor)
    if (refused) throw refused
  }

  /**
   * True for an actor that may act and holds a province-wide role of its
   * province (điều phối, lãnh đạo tỉnh, quan sát by default), or the system actor.
   *
   * @example
   * access.seesWholeProvince({ id: "c1", province: "demo", agency: "so-tttt", roles: ["coordinator"] }) // true
   */
  seesWholeProvince(actor: Actor): boolean {
    if (this.isSystem(actor)) return true
    if (this.refusal(actor)) return false
    const wide = this.directories?.get(actor.province)?.wide ?? this.defaultWide
    return actor.roles.some((r) => wide.has(r))
  }

  /**
   * The roles that see the whole of `province` (its directory's, or the
   * engine's default), for what is decided per case rather than per actor:
   * the work-list tokens a write stores.
   *
   * @example
   * access.provinceWideRolesOf("vinh-phuc").has("coordinator") // true
   */
  provinceWideRolesOf(province: string): ReadonlySet<string> {
    return this.directories?.get(province)?.wide ?? this.defaultWide
  }

  /**
   * An actor sees a case of its own province when it may act, and sees the
   * whole province or its agency is a party.
   *
   * @example
   * if (engine.access.canSee(actor, t.province, t.agencies)) socket.send(JSON.stringify(t))
   */
  canSee(actor: Actor, province: string, agencies: ReadonlyArray<string>): boolean {
    if (this.isSystem(actor)) return actor.province === province
    if (this.refusal(actor) || actor.province !== province) return false
    return this.seesWholeProvince(actor) || agencies.includes(actor.agency)
  }

  /**
   * Why `actor` may not act under `permission` on a case with these parties,
   * or undefined when it may. An actor this policy refuses is denied here too.
   *
   * @example
   * access.denial(officer, { roles: ["agency_head"], agency: "owner" }, parties) // "requires one of the roles agency_head"
   */
  denial(actor: Actor, permission: Permission | undefined, parties: CaseParties | undefined): string | undefined {
    if (this.isSystem(actor)) return undefined
    const refused = this.refusal(actor)
    if (refused) return refused.message
    if (!permission) return "no permission is defined"
    if (permission.roles.length > 0 && !actor.roles.some((r) => permission.roles.includes(r))) {
      return `requires one of the roles ${permission.roles.join(", ")}`
    }
    if (!parties) return undefined
    const rule = permission.agency ?? "party"
    const agency = actor.agency
    switch (rule) {
      case "any":
        return undefined
      case "party":
        return this.seesWholeProvince(actor) || agency === parties.owner || agency === parties.lead || parties.cooperating.includes(agency)
          ? undefined
          : `agency ${agency} is not a party to this case`
      case "owner":
        return agency === parties.owner ? undefined : `only the owning agency (${parties.owner}) may`
      case "lead":
        return agency === parties.lead ? undefined : `only the lead agency (${parties.lead ?? "none"}) may`
      case "cooperating":
        return parties.cooperating.includes(agency) ? undefined : `agency ${agency} is not a cooperating agency`
    }
  }
}
