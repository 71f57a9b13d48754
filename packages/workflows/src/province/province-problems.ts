import { SYSTEM_ROLE, type ValidationIssue } from "@civicase/core"
import { type CommendationConfig, commendationSectionProblems } from "../commendation/config.js"
import type { PlanConfig } from "../plan/config.js"
import { type PressResponseConfig, pressResponseSectionProblems } from "../press-response/config.js"
import { type ViolationConfig, violationSectionProblems } from "../violation/config.js"
import { duplicateIds } from "./duplicate-ids.js"
import type { Province } from "./types.js"

function isRealDate(text: string): boolean {
  const [y, m, d] = text.split("-").map(Number)
  const t = new Date(Date.UTC(y!, m! - 1, d!))
  return t.getUTCFullYear() === y && t.getUTCMonth() === m! - 1 && t.getUTCDate() === d
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/**
 * Roles the five workflows cannot do without: some event can be sent by
 * nobody else (the spokesperson drafts every statement, the council secretary
 * checks every nomination, the inspector and legal reviewer take part in
 * every sanction, …). A province must say which agencies hold them.
 * `province-references.test.ts` checks this list against the definitions.
 */
const requiredRoles: ReadonlyArray<string> = [
  "coordinator",
  "coordinator_head",
  "province_leader",
  "agency_officer",
  "agency_head",
  "spokesperson",
  "inspector",
  "legal_reviewer",
  "council_member",
  "council_secretary",
]

function planProblems(plan: PlanConfig): ValidationIssue[] {
  const issues = duplicateIds(plan.reportPeriods, "/workflows/plan/reportPeriods", "period")
  let previous = ""
  plan.reportPeriods.forEach((p, i) => {
    const at = `/workflows/plan/reportPeriods/${i}`
    // 2024 is a leap year, so 02-29 passes and 02-30 does not.
    if (!isRealDate(`2024-${p.due}`)) issues.push({ path: `${at}/due`, message: `"${p.due}" is not a day of the year` })
    const key = `${p.yearOffset ?? 0}-${p.due}`
    if (previous && key <= previous) issues.push({ path: `${at}/due`, message: "periods must be listed in order of their due dates" })
    previous = key
  })
  return issues
}

/**
 * Retired agencies whose successors lead back to themselves (a → b → a):
 * their cases would have no agency to move to. One issue per agency on a cycle.
 */
function successorCycles(province: Province): ValidationIssue[] {
  const successor = new Map(province.agencies.filter((a) => a.retired).map((a) => [a.id, a.retired!.successor]))
  const issues: ValidationIssue[] = []
  province.agencies.forEach((a, i) => {
    if (!a.retired || a.retired.successor === a.id) return
    const chain = [a.id]
    for (let next = successor.get(a.id); next !== undefined; next = successor.get(next)) {
      if (next === a.id) {
        issues.push({ path: `/agencies/${i}/retired/successor`, message: `the successors form a cycle: ${[...chain, a.id].join(" → ")}` })
        return
      }
      // A cycle further down the chain is reported at its own agencies.
      if (chain.includes(next)) return
      chain.push(next)
    }
  })
  return issues
}

/** Agencies: ids once, none reserved, successors known and not circular, a lead department to own inspections. */
function agencyProblems(province: Province, ids: ReadonlySet<string>): ValidationIssue[] {
  const issues = duplicateIds(province.agencies, "/agencies", "agency")
  province.agencies.forEach((a, i) => {
    if (a.id === SYSTEM_ROLE) issues.push({ path: `/agencies/${i}/id`, message: `"${SYSTEM_ROLE}" is reserved for the engine's own actor` })
    if (!a.retired) return
    if (a.retired.successor === a.id) issues.push({ path: `/agencies/${i}/retired/successor`, message: "an agency cannot succeed itself" })
    else if (!ids.has(a.retired.successor)) issues.push({ path: `/agencies/${i}/retired/successor`, message: `names the unknown agency "${a.retired.successor}"` })
    if (!isRealDate(a.retired.on)) issues.push({ path: `/agencies/${i}/retired/on`, message: `"${a.retired.on}" is not a date` })
  })
  issues.push(...successorCycles(province))
  // Violations are owned by the lead department (Sở TT&TT), and press-response cases always include it.
  if (!province.agencies.some((a) => a.kind === "lead_department" && !a.retired)) {
    issues.push({ path: "/agencies", message: "must include an active agency of kind lead_department (the lead agency for external information, Sở TT&TT)" })
  }
  return issues
}

/** Roles: holders are known, active agencies; the required roles are given; `system` is not; every other list of roles names a given one. */
function roleProblems(province: Province, ids: ReadonlySet<string>): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const retired = new Map(province.agencies.filter((a) => a.retired).map((a) => [a.id, a.retired!.successor]))
  const given = new Set(Object.keys(province.roles))
  for (const [role, holders] of Object.entries(province.roles)) {
    if (role === SYSTEM_ROLE) issues.push({ path: `/roles/${role}`, message: `the role "${SYSTEM_ROLE}" is the engine's own and cannot be given to an agency` })
    holders.forEach((agency, i) => {
      if (agency !== "*" && !ids.has(agency)) issues.push({ path: `/roles/${role}/${i}`, message: `names the unknown agency "${agency}"` })
      // Role holders take part in cases (spokespeople, inspectors, the council): a retired one would keep cases from moving on.
      const successor = retired.get(agency)
      if (successor !== undefined) issues.push({ path: `/roles/${role}/${i}`, message: `names the retired agency "${agency}"; give the role to its successor "${successor}"` })
    })
  }
  for (const role of requiredRoles) {
    if (!given.has(role)) issues.push({ path: `/roles/${role}`, message: `must say which agencies hold the role ${role}` })
  }
  const notGiven = (role: string) => `names the role "${role}", which no agency holds (add it to /roles)`
  ;(province.provinceWideRoles ?? []).forEach((role, i) => {
    if (!given.has(role)) issues.push({ path: `/provinceWideRoles/${i}`, message: notGiven(role) })
  })
  for (const role of Object.keys(province.labels?.roles ?? {})) {
    if (!given.has(role)) issues.push({ path: `/labels/roles/${role}`, message: `labels the role "${role}", which no agency holds (add it to /roles, or remove the label)` })
  }
  return issues
}

/** The workflows' sections: what each one's schema cannot say, and the roles they name. */
function sectionProblems(province: Province): ValidationIssue[] {
  const given = new Set(Object.keys(province.roles))
  return [
    ...planProblems(province.workflows.plan as PlanConfig),
    ...pressResponseSectionProblems(province.workflows["press-response"] as PressResponseConfig, given),
    ...violationSectionProblems(province.workflows.violation as ViolationConfig),
    ...commendationSectionProblems(province.workflows.commendation as CommendationConfig),
  ]
}

/**
 * The problems of a schema-valid province that JSON Schema cannot express,
 * each with its path: every cross-reference (role holders name known, active
 * agencies; successors are known and not circular; approval and escalation
 * chains, province-wide roles and role labels name roles some agency holds;
 * the roles the workflows need are given), ids that must be unique (agencies,
 * report periods, categories, penalties, awards), impossible dates, unknown
 * time zones, fine bounds and quorum.
 *
 * @example
 * provinceProblems(province) // [] when consistent
 */
export function provinceProblems(province: Province): ValidationIssue[] {
  const ids = new Set(province.agencies.map((a) => a.id))
  const issues = [...agencyProblems(province, ids), ...roleProblems(province, ids)]
  if (!isTimeZone(province.calendar.timeZone)) issues.push({ path: "/calendar/timeZone", message: `"${province.calendar.timeZone}" is not an IANA time zone` })
  ;(province.calendar.holidays ?? []).forEach((h, i) => {
    if (!isRealDate(h)) issues.push({ path: `/calendar/holidays/${i}`, message: `"${h}" is not a date` })
  })
  issues.push(...sectionProblems(province))
  return issues
}
