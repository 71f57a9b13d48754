import { sql } from "kysely"
import type { CaseRow, Executor } from "../storage/case-store.js"

/**
 * The rows with their assignee's name from the people directory (one query
 * for the whole page, none when nobody is assigned). A person not in the
 * directory leaves the name out.
 *
 * @example
 * const named = await withAssigneeNames(db, rows) // named[0].assignee_name === "Nguyễn Văn A"
 */
export async function withAssigneeNames<R extends CaseRow>(db: Executor, rows: ReadonlyArray<R>): Promise<R[]> {
  const keys = [...new Set(rows.filter((r) => r.assignee !== null).map((r) => JSON.stringify([r.province, r.assignee])))]
  if (keys.length === 0) return [...rows]
  const found = await sql<{ province: string; id: string; name: string }>`
    select p.province, p.id, p.name from civicase_people p
    join jsonb_to_recordset(${JSON.stringify(keys.map((k) => JSON.parse(k) as [string, string]).map(([province, id]) => ({ province, id })))}::jsonb) as k(province text, id text)
      on p.province = k.province and p.id = k.id`.execute(db)
  const names = new Map(found.rows.map((r) => [JSON.stringify([r.province, r.id]), r.name]))
  return rows.map((r) => (r.assignee === null ? r : { ...r, assignee_name: names.get(JSON.stringify([r.province, r.assignee])) ?? null }))
}
