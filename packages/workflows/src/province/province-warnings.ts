import { calendarYear, localDateOf, type ValidationIssue } from "@civicase/core"
import type { Province } from "./types.js"

/**
 * What `civicase check-config` warns of in a valid province file, ahead of
 * time: nothing is refused, but deadlines will be less sure than they look.
 *
 * - A year from `now` to `yearsAhead` years on (default 1: a deadline set
 *   today may end next year) without its yearly decision: deadlines reaching
 *   into it count on the rules alone (Tết and 2/9 days, compensatory days) and
 *   are flagged as provisional on the case and in its history.
 * - A year the calendar knows nothing of (its listed holidays end before it).
 * - A file that does not say which of its numbers cite a source (`basis`):
 *   every one of them is then an illustrative default.
 *
 * @example
 * provinceWarnings(province, { now: new Date("2026-11-20T00:00:00Z") })
 * // [{ path: "/calendar/years", message: "no yearly decision data for 2027: …" }]
 */
export function provinceWarnings(province: Province, options: { now?: Date; yearsAhead?: number } = {}): ValidationIssue[] {
  const warnings: ValidationIssue[] = []
  const thisYear = localDateOf(options.now ?? new Date(), province.calendar.timeZone).year
  for (let year = thisYear; year <= thisYear + (options.yearsAhead ?? 1); year++) {
    const knowledge = calendarYear(province.calendar, year).knowledge
    if (knowledge === "rules-only") {
      warnings.push({
        path: "/calendar/years",
        message: `no yearly decision data for ${year}: deadlines reaching into ${year} are counted on the rules alone (Tết and National Day days, compensatory days) and flagged as provisional; add "${year}" with its days off and make-up working days when the government decides them`,
      })
    } else if (knowledge === "unknown") {
      warnings.push({
        path: "/calendar",
        message: `the calendar knows no holiday of ${year}: deadlines reaching into ${year} count its public holidays as working days and are flagged; give holiday rules (calendar.rules) or list ${year}'s holidays`,
      })
    }
  }
  if (!province.basis) {
    warnings.push({ path: "/basis", message: "the file does not say which numbers cite a source: every duration, chain, penalty bound, quorum and report date is an illustrative default" })
  }
  return warnings
}
