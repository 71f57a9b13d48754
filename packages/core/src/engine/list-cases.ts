import { type Kysely, sql } from "kysely"
import type { Actor } from "../actor.js"
import { ValidationError, type ValidationIssue } from "../errors/errors.js"
import type { CaseRow } from "../storage/case-store.js"
import { decodeCursor, encodeCursor } from "../storage/cursor.js"
import type { CivicaseDatabase } from "../storage/schema.js"
import type { AccessPolicy } from "./access.js"
import type { CaseFilter, CasePage, CaseView } from "./types.js"

interface Cursor {
  /** The sort key of the last row: created_at, or next_due_at (null sorts last). */
  readonly k: string | null
  readonly id: string
}

const isCursor = (c: unknown): c is Cursor => {
  const x = c as Cursor | null
  return typeof x?.id === "string" && (x.k === null || (typeof x.k === "string" && !Number.isNaN(Date.parse(x.k))))
}

/** Refuses a filter of the wrong shape (an embedder's call is not schema-checked like an HTTP query), with every path. */
function checkFilter(filter: CaseFilter): void {
  if (typeof filter !== "object" || filter === null) throw new ValidationError([{ path: "/", message: "must be an object" }], "filter")
  const issues: ValidationIssue[] = []
  const texts: Array<[string, unknown, number]> = [
    ["workflow", filter.workflow, 100],
    ["state", filter.state, 200],
    ["agency", filter.agency, 200],
    ["cursor", filter.cursor, 1000],
  ]
  for (const [name, value, max] of texts) {
    if (value !== undefined && (typeof value !== "string" || value.length > max)) issues.push({ path: `/${name}`, message: `must be a string of at most ${max} characters` })
  }
  const limit = filter.limit ?? 50
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) issues.push({ path: "/limit", message: "must be an integer from 1 to 500" })
  if (filter.orderBy !== undefined && filter.orderBy !== "created" && filter.orderBy !== "deadline") issues.push({ path: "/orderBy", message: "must be created or deadline" })
  if (filter.status !== undefined && filter.status !== "active" && filter.status !== "done") issues.push({ path: "/status", message: "must be active or done" })
  if (filter.overdue !== undefined && typeof filter.overdue !== "boolean") issues.push({ path: "/overdue", message: "must be a boolean" })
  if (issues.length) throw new ValidationError(issues, "filter")
}

/**
 * Lists the cases `actor` may see, filtered, in a stable order with keyset
 * pagination (a page never repeats or skips a row, even while cases are added).
 */
export async function listCases(
  db: Kysely<CivicaseDatabase>,
  access: AccessPolicy,
  filter: CaseFilter,
  actor: Actor,
  now: Date,
  toView: (row: CaseRow) => CaseView,
): Promise<CasePage> {
  checkFilter(filter)
  const limit = filter.limit ?? 50
  const byDeadline = filter.orderBy === "deadline"
  let q = db.selectFrom("civicase_cases").selectAll().where("province", "=", actor.province)
  if (!access.seesWholeProvince(actor)) q = q.where(sql<boolean>`agencies @> array[${actor.agency}]::text[]`)
  if (filter.agency) q = q.where(sql<boolean>`agencies @> array[${filter.agency}]::text[]`)
  if (filter.workflow) q = q.where("workflow", "=", filter.workflow)
  if (filter.state) q = q.where((eb) => eb.or([eb("state", "=", filter.state!), eb("state", "like", `${filter.state!.replace(/[\\%_]/g, "\\$&")}.%`)]))
  if (filter.status) q = q.where("status", "=", filter.status)
  if (filter.overdue) q = q.where("status", "=", "active").where("next_due_at", "<", now)
  if (filter.cursor) {
    const c = decodeCursor(filter.cursor, isCursor, "filter")
    if (byDeadline) {
      q =
        c.k === null
          ? q.where("next_due_at", "is", null).where("id", ">", c.id)
          : q.where((eb) =>
              eb.or([
                eb("next_due_at", "is", null),
                eb("next_due_at", ">", new Date(c.k!)),
                eb.and([eb("next_due_at", "=", new Date(c.k!)), eb("id", ">", c.id)]),
              ]),
            )
    } else {
      const at = new Date(c.k ?? 0)
      q = q.where((eb) => eb.or([eb("created_at", ">", at), eb.and([eb("created_at", "=", at), eb("id", ">", c.id)])]))
    }
  }
  q = byDeadline ? q.orderBy(sql`next_due_at asc nulls last`).orderBy("id") : q.orderBy("created_at").orderBy("id")
  const rows = (await q.limit(limit + 1).execute()) as unknown as CaseRow[]
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  const items = page.map(toView)
  if (rows.length <= limit || !last) return { items }
  const key = byDeadline ? (last.next_due_at ? new Date(last.next_due_at).toISOString() : null) : new Date(last.created_at).toISOString()
  return { items, nextCursor: encodeCursor({ k: key, id: last.id }) }
}
