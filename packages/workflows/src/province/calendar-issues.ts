import { type Calendar, calendarProblems, hasOwnKey, ownValue, type ValidationIssue } from "@civicase/core"
import type { Province } from "./types.js"

/** core names a calendar's bad value by a path such as `years.2027.daysOff[0]`; the loader names it by JSON Pointer. */
function pointer(path: string): string {
  return `/calendar/${path.replace(/\[(\d+)\]/g, ".$1").split(".").join("/")}`
}

/**
 * The problems of a schema-valid calendar that its schema cannot express:
 * impossible rule dates (02-30), decision dates outside their year or in both
 * lists. The time zone and the listed holidays are checked with the rest of
 * the province.
 *
 * @example
 * calendarIssues({ ...province.calendar, years: { "2027": { daysOff: ["2026-12-31"] } } }) // [{ path: "/calendar/years/2027/daysOff/0", … }]
 */
export function calendarIssues(calendar: Calendar): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  for (const problem of calendarProblems(calendar)) {
    const space = problem.indexOf(" ")
    const path = problem.slice(0, space).replace(/:$/, "")
    if (!/^(rules|years|compensation)\b/.test(path)) continue
    issues.push({ path: pointer(path), message: problem.slice(space + 1) })
  }
  return issues
}

/** The value a JSON Pointer names in `document`, and whether it exists. */
function resolves(document: unknown, path: string): boolean {
  let at: unknown = document
  for (const raw of path.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~")
    if (typeof at !== "object" || at === null || !hasOwnKey(at, key)) return false
    at = ownValue(at as Record<string, unknown>, key)
  }
  return true
}

/**
 * A citation in `basis.sources` must name a value of the file: a pointer
 * left behind by an edit would label nothing and mislead.
 *
 * @example
 * basisIssues({ ...province, basis: { sources: { "/workflows/plan/quorum": "…" } } }) // [{ path: "/basis/sources/~1workflows~1plan~1quorum", … }]
 */
export function basisIssues(province: Province): ValidationIssue[] {
  return Object.keys(province.basis?.sources ?? {})
    // `basis` cannot cite itself.
    .filter((path) => path.startsWith("/basis") || !resolves(province, path))
    .map((path) => ({ path: `/basis/sources/${path.replace(/~/g, "~0").replace(/\//g, "~1")}`, message: `names ${path}, which is not a value of this file` }))
}
