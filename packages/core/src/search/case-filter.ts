import { ValidationError, type ValidationIssue } from "../errors/errors.js"
import type { CaseFilter } from "../engine/types.js"
import { instantAt, nextDay, parseLocalDate } from "../timers/calendar.js"
import { searchWords } from "./fold.js"

/** A sort key of `listCases`, each read through an index `(province, key, id)`. */
export type CaseOrder = "created" | "updated" | "deadline"

/** A filter after checking: dates as instants, `q` as its folded words. */
export interface CheckedCaseFilter {
  readonly workflow?: string
  readonly state?: string
  readonly agency?: string
  readonly status?: "active" | "done"
  readonly overdue: boolean
  /** A person id, or null for unassigned cases; undefined: any. */
  readonly assignee?: string | null
  readonly actionable: boolean
  /** The folded words of `q`, each matched as a prefix. */
  readonly words: ReadonlyArray<string>
  readonly createdFrom?: Date
  readonly createdTo?: Date
  readonly updatedFrom?: Date
  readonly updatedTo?: Date
  readonly orderBy: CaseOrder
  readonly direction: "asc" | "desc"
  readonly cursor?: string
  readonly limit: number
}

const MAX_Q = 200
const MAX_WORDS = 8
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/

/** A text filter; an empty one is no filter, as it always was (a form's empty field). */
function text(v: unknown, path: string, max: number, issues: ValidationIssue[]): string | undefined {
  if (v === undefined || v === "") return undefined
  if (typeof v !== "string" || v.length > max) issues.push({ path, message: `must be a string of at most ${max} characters` })
  else return v
  return undefined
}

/**
 * A bound of a date filter: an ISO 8601 instant with its offset, or a date
 * `YYYY-MM-DD` read in `timeZone` (a `…From` date starts at its local
 * midnight; a `…To` date includes the whole day).
 */
function bound(v: unknown, path: string, end: boolean, timeZone: string, issues: ValidationIssue[]): Date | undefined {
  if (v === undefined) return undefined
  if (typeof v === "string") {
    const date = parseLocalDate(v)
    if (date) return instantAt(end ? nextDay(date) : date, "00:00", timeZone)
    if (ISO_INSTANT.test(v) && !Number.isNaN(Date.parse(v))) return new Date(v)
  }
  issues.push({ path, message: "must be a date YYYY-MM-DD or an ISO 8601 date-time with its offset, such as 2025-03-01T00:00:00+07:00" })
  return undefined
}

function oneOf<T extends string>(v: unknown, path: string, allowed: ReadonlyArray<T>, fallback: T, issues: ValidationIssue[]): T {
  if (v === undefined) return fallback
  if (typeof v === "string" && (allowed as ReadonlyArray<string>).includes(v)) return v as T
  issues.push({ path, message: `must be one of ${allowed.join(", ")}` })
  return fallback
}

function flag(v: unknown, path: string, issues: ValidationIssue[]): boolean {
  if (v === undefined) return false
  if (typeof v === "boolean") return v
  issues.push({ path, message: "must be true or false" })
  return false
}

/**
 * Checks a `listCases` filter; every problem is listed in one
 * `ValidationError` naming its path. Bare dates are read in `timeZone` (the
 * engine's, default Asia/Ho_Chi_Minh).
 *
 * @example
 * checkCaseFilter({ q: "sạt lở", createdFrom: "2025-03-01" }, "Asia/Ho_Chi_Minh")
 * // { words: ["sat", "lo"], createdFrom: 2025-02-28T17:00:00.000Z, orderBy: "created", … }
 */
export function checkCaseFilter(filter: CaseFilter, timeZone: string): CheckedCaseFilter {
  if (typeof filter !== "object" || filter === null) throw new ValidationError([{ path: "", message: "must be an object" }], "filter")
  const issues: ValidationIssue[] = []
  const limit = filter.limit ?? 50
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) issues.push({ path: "/limit", message: "must be an integer from 1 to 500" })
  const orderBy = oneOf(filter.orderBy, "/orderBy", ["created", "updated", "deadline"] as const, "created", issues)
  const direction = oneOf(filter.direction, "/direction", ["asc", "desc"] as const, "asc", issues)
  const status = filter.status === undefined ? undefined : oneOf(filter.status, "/status", ["active", "done"] as const, "active", issues)
  let assignee: string | null | undefined
  if (filter.assignee === null) assignee = null
  else assignee = text(filter.assignee, "/assignee", 200, issues)
  let words: string[] = []
  if (filter.q !== undefined) {
    if (typeof filter.q !== "string" || filter.q.length > MAX_Q) issues.push({ path: "/q", message: `must be a string of at most ${MAX_Q} characters` })
    else {
      words = [...new Set(searchWords(filter.q))].slice(0, MAX_WORDS)
      if (words.length === 0) issues.push({ path: "/q", message: "must contain a letter or a digit" })
    }
  }
  const createdFrom = bound(filter.createdFrom, "/createdFrom", false, timeZone, issues)
  const createdTo = bound(filter.createdTo, "/createdTo", true, timeZone, issues)
  const updatedFrom = bound(filter.updatedFrom, "/updatedFrom", false, timeZone, issues)
  const updatedTo = bound(filter.updatedTo, "/updatedTo", true, timeZone, issues)
  if (createdFrom && createdTo && createdFrom >= createdTo) issues.push({ path: "/createdTo", message: "must be after /createdFrom" })
  if (updatedFrom && updatedTo && updatedFrom >= updatedTo) issues.push({ path: "/updatedTo", message: "must be after /updatedFrom" })
  const checked: CheckedCaseFilter = {
    workflow: text(filter.workflow, "/workflow", 100, issues),
    state: text(filter.state, "/state", 500, issues),
    agency: text(filter.agency, "/agency", 200, issues),
    status,
    overdue: flag(filter.overdue, "/overdue", issues),
    assignee,
    actionable: flag(filter.actionable, "/actionable", issues),
    words,
    createdFrom,
    createdTo,
    updatedFrom,
    updatedTo,
    orderBy,
    direction,
    cursor: text(filter.cursor, "/cursor", 1000, issues),
    limit,
  }
  if (issues.length) throw new ValidationError(issues, "filter")
  return checked
}
