import { type ValidationIssue, hasOwnKey } from "@civicase/core"
import type { PlanConfig } from "../plan/config.js"
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

/** Roles every workflow relies on; a province must say which agencies hold them. */
const requiredRoles = ["coordinator", "coordinator_head", "province_leader", "agency_officer", "agency_head"]

function planProblems(plan: PlanConfig): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const seen = new Map<string, number>()
  let previous = ""
  plan.reportPeriods.forEach((p, i) => {
    const at = `/workflows/plan/reportPeriods/${i}`
    const first = seen.get(p.id)
    if (first !== undefined) issues.push({ path: `${at}/id`, message: `duplicates the period "${p.id}" at /workflows/plan/reportPeriods/${first}` })
    seen.set(p.id, i)
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

/**
 * The problems of a schema-valid province that JSON Schema cannot express:
 * duplicate ids, references to unknown agencies, impossible dates, unknown
 * time zones, missing essential roles.
 *
 * @example
 * provinceProblems(province) // [] when consistent
 */
export function provinceProblems(province: Province): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const ids = new Map<string, number>()
  province.agencies.forEach((a, i) => {
    const first = ids.get(a.id)
    if (first !== undefined) issues.push({ path: `/agencies/${i}/id`, message: `duplicates the agency "${a.id}" at /agencies/${first}` })
    else ids.set(a.id, i)
  })
  province.agencies.forEach((a, i) => {
    if (!a.retired) return
    if (a.retired.successor === a.id) issues.push({ path: `/agencies/${i}/retired/successor`, message: "an agency cannot succeed itself" })
    else if (!ids.has(a.retired.successor)) issues.push({ path: `/agencies/${i}/retired/successor`, message: `names the unknown agency "${a.retired.successor}"` })
    if (!isRealDate(a.retired.on)) issues.push({ path: `/agencies/${i}/retired/on`, message: `"${a.retired.on}" is not a date` })
  })
  issues.push(...successorCycles(province))
  for (const [role, holders] of Object.entries(province.roles)) {
    holders.forEach((agency, i) => {
      if (agency !== "*" && !ids.has(agency)) issues.push({ path: `/roles/${role}/${i}`, message: `names the unknown agency "${agency}"` })
      // Role holders take part in cases (spokespeople, inspectors, the council): a retired one would keep cases from moving on.
      const retired = province.agencies.find((a) => a.id === agency)?.retired
      if (retired) issues.push({ path: `/roles/${role}/${i}`, message: `names the retired agency "${agency}"; give the role to its successor "${retired.successor}"` })
    })
  }
  for (const role of requiredRoles) {
    if (!hasOwnKey(province.roles, role)) issues.push({ path: `/roles/${role}`, message: `must say which agencies hold the role ${role}` })
  }
  if (!isTimeZone(province.calendar.timeZone)) issues.push({ path: "/calendar/timeZone", message: `"${province.calendar.timeZone}" is not an IANA time zone` })
  province.calendar.holidays.forEach((h, i) => {
    if (!isRealDate(h)) issues.push({ path: `/calendar/holidays/${i}`, message: `"${h}" is not a date` })
  })
  issues.push(...planProblems(province.workflows.plan as PlanConfig))
  return issues
}
