import { ValidationError, type ValidationIssue } from "../errors/errors.js"

/**
 * What `engine.reports.sla` reports on: one workflow, one owning agency, and
 * a time window `[from, to)` on history times (kỳ báo cáo). Dates are `Date`s
 * or ISO 8601 strings; the province is always the actor's.
 *
 * @example
 * const filter: SlaReportFilter = { workflow: "press-response", from: "2025-03-01T00:00:00+07:00", to: "2025-04-01T00:00:00+07:00" }
 */
export interface SlaReportFilter {
  readonly workflow?: string
  readonly agency?: string
  readonly from?: Date | string
  readonly to?: Date | string
}

/** A checked filter: dates parsed. */
export interface CheckedSlaFilter {
  readonly workflow?: string
  readonly agency?: string
  readonly from?: Date
  readonly to?: Date
}

const instant = (v: unknown, path: string, issues: ValidationIssue[]): Date | undefined => {
  if (v === undefined) return undefined
  const d = v instanceof Date ? v : typeof v === "string" && /^\d{4}-\d{2}-\d{2}/.test(v) ? new Date(v) : undefined
  if (!d || Number.isNaN(d.getTime())) {
    issues.push({ path, message: "must be a date or an ISO 8601 date-time such as 2025-03-01 or 2025-03-01T00:00:00+07:00" })
    return undefined
  }
  return d
}

const name = (v: unknown, path: string, max: number, issues: ValidationIssue[]): string | undefined => {
  if (v === undefined) return undefined
  if (typeof v !== "string" || v.length === 0 || v.length > max) {
    issues.push({ path, message: `must be a non-empty string of at most ${max} characters` })
    return undefined
  }
  return v
}

/**
 * Checks an SLA report filter; every problem is listed in one `ValidationError`.
 *
 * @example
 * checkSlaFilter({ from: "yesterday" }) // throws ValidationError: filter is invalid: /from must be a date …
 */
export function checkSlaFilter(filter: SlaReportFilter): CheckedSlaFilter {
  const issues: ValidationIssue[] = []
  if (typeof filter !== "object" || filter === null) throw new ValidationError([{ path: "", message: "must be an object" }], "filter")
  const workflow = name(filter.workflow, "/workflow", 100, issues)
  const agency = name(filter.agency, "/agency", 200, issues)
  const from = instant(filter.from, "/from", issues)
  const to = instant(filter.to, "/to", issues)
  if (from && to && from.getTime() >= to.getTime()) issues.push({ path: "/to", message: "must be after /from" })
  if (issues.length) throw new ValidationError(issues, "filter")
  return { ...(workflow ? { workflow } : {}), ...(agency ? { agency } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) }
}
