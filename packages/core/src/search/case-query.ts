import { type RawBuilder, sql } from "kysely"
import type { Actor } from "../actor.js"
import type { CaseRow } from "../storage/case-store.js"
import { decodeCursor, encodeCursor } from "../storage/cursor.js"
import { actorTokens } from "../worklist/waiting-tokens.js"
import type { CaseOrder, CheckedCaseFilter } from "./case-filter.js"

/** Whose list it is: the province, the agency a partial view is limited to (null: the whole province), and the actor for work-list filters. */
export interface ListScope {
  readonly actor: Actor
  /** Null when the actor sees the whole province. */
  readonly ownAgency: string | null
}

interface Cursor {
  /** The sort key of the last row (ISO instant); null for "no deadline" (sorted last). */
  readonly k: string | null
  readonly id: string
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const isCursor = (c: unknown): c is Cursor => {
  const x = c as Cursor | null
  return typeof x?.id === "string" && UUID.test(x.id) && (x.k === null || (typeof x.k === "string" && !Number.isNaN(Date.parse(x.k))))
}

/**
 * The sort key of each order, written exactly as its index is
 * (`civicase_cases_list`, `_updated`, `_deadline`), so that the keyset
 * condition `(key, id) > (…)` is an index condition and a page costs the
 * same at any depth.
 */
const keyOf: Record<CaseOrder, RawBuilder<unknown>> = {
  created: sql`c.created_at`,
  updated: sql`c.updated_at`,
  deadline: sql`coalesce(c.next_due_at, 'infinity'::timestamptz)`,
}

/** A text[] literal of parameters, which the planner treats as a constant (an index condition can use it). */
export const textArrayLiteral = (values: ReadonlyArray<string>) => sql`array[${sql.join(values.length ? values.map((v) => sql`${v}`) : [sql`null`])}]::text[]`

/** The tsquery text of folded words: each a prefix, all required. The words hold only a-z and 0-9, so nothing else reaches the parser. */
export const prefixQuery = (words: ReadonlyArray<string>) => words.map((w) => `${w}:*`).join(" & ")

/**
 * The conditions of a case list or count, without order or keyset: the
 * province, visibility, and every filter, each written so that an index can
 * answer it (work list: `waiting &&` on the GIN index of open cases; search:
 * the GIN index of `civicase_case_text`; assignee: its partial index).
 *
 * @example
 * const where = caseConditions(filter, { actor, ownAgency: null }, now)
 */
export function caseConditions(f: CheckedCaseFilter, scope: ListScope, now: Date): RawBuilder<unknown>[] {
  const { actor } = scope
  const where: RawBuilder<unknown>[] = [sql`c.province = ${actor.province}`]
  if (scope.ownAgency !== null) where.push(sql`c.agencies @> array[${scope.ownAgency}]::text[]`)
  if (f.agency) where.push(sql`c.agencies @> array[${f.agency}]::text[]`)
  if (f.workflow) where.push(sql`c.workflow = ${f.workflow}`)
  if (f.state) where.push(sql`(c.state = ${f.state} or c.state like ${`${f.state.replace(/[\\%_]/g, "\\$&")}.%`})`)
  if (f.status) where.push(sql`c.status = ${f.status}`)
  if (f.overdue) where.push(sql`c.status = 'active' and coalesce(c.next_due_at, 'infinity'::timestamptz) < ${now.toISOString()}::timestamptz`)
  if (f.assignee === null) where.push(sql`c.assignee is null`)
  else if (f.assignee !== undefined) where.push(sql`c.assignee = ${f.assignee}`)
  if (f.actionable) {
    where.push(sql`c.status = 'active' and c.waiting && ${textArrayLiteral(actorTokens(actor))} and (c.assignee is null or c.assignee = ${actor.id})`)
  }
  if (f.words.length) {
    where.push(sql`c.id in (select t.case_id from civicase_case_text t where t.province = ${actor.province} and t.doc @@ to_tsquery('simple', ${prefixQuery(f.words)}))`)
  }
  if (f.createdFrom) where.push(sql`c.created_at >= ${f.createdFrom.toISOString()}::timestamptz`)
  if (f.createdTo) where.push(sql`c.created_at < ${f.createdTo.toISOString()}::timestamptz`)
  if (f.updatedFrom) where.push(sql`c.updated_at >= ${f.updatedFrom.toISOString()}::timestamptz`)
  if (f.updatedTo) where.push(sql`c.updated_at < ${f.updatedTo.toISOString()}::timestamptz`)
  return where
}

/**
 * One page of a case list: the conditions, then the keyset `(key, id) >
 * (cursor)` (or `<` descending) as a row comparison matching the index order,
 * ordered by the key and id, `limit + 1` rows (the extra one says whether
 * there is a next page).
 *
 * @example
 * const rows = (await caseListQuery(filter, scope, now).execute(db)).rows
 */
export function caseListQuery(f: CheckedCaseFilter, scope: ListScope, now: Date): RawBuilder<CaseRow> {
  const where = caseConditions(f, scope, now)
  const key = keyOf[f.orderBy]
  const desc = f.direction === "desc"
  if (f.cursor) {
    const c = decodeCursor(f.cursor, isCursor, "filter")
    const k = c.k ?? "infinity"
    where.push(desc ? sql`(${key}, c.id) < (${k}::timestamptz, ${c.id}::uuid)` : sql`(${key}, c.id) > (${k}::timestamptz, ${c.id}::uuid)`)
  }
  const dir = sql.raw(desc ? "desc" : "asc")
  return sql<CaseRow>`select c.* from civicase_cases c where ${sql.join(where, sql` and `)} order by ${key} ${dir}, c.id ${dir} limit ${f.limit + 1}`
}

/**
 * The cursor after `row` in order `orderBy`.
 *
 * @example
 * const nextCursor = cursorAfter(page[page.length - 1], "deadline")
 */
export function cursorAfter(row: CaseRow, orderBy: CaseOrder): string {
  const at = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString())
  const k = orderBy === "created" ? at(row.created_at) : orderBy === "updated" ? at(row.updated_at) : at(row.next_due_at)
  return encodeCursor({ k, id: row.id })
}
