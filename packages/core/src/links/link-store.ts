import { type RawBuilder, type Selectable, sql } from "kysely"
import type { LinkTable } from "../storage/schema.js"
import type { Executor } from "../storage/case-store.js"
import { ts } from "../storage/case-store.js"

/** A link as stored. */
export type LinkRow = Selectable<LinkTable>

/** The SQL of links (liên kết) outside activities. */
export const linkStore = {
  async byCase(db: Executor, caseId: string): Promise<LinkRow[]> {
    return (await sql<LinkRow>`select * from civicase_links where case_id = ${caseId} order by created_at, id`.execute(db)).rows
  },

  async get(db: Executor, province: string, id: string): Promise<LinkRow | undefined> {
    return (await sql<LinkRow>`select * from civicase_links where province = ${province} and id = ${id}`.execute(db)).rows[0]
  },

  /** The CTE that records an inbound link in the statement inserting its case (`w`). */
  inboundInsert(row: { province: string; id: string; peer: string; kind: string; remote: { caseId: string; workflow: string; state: string; rev: number }; at: Date }): RawBuilder<unknown> {
    return sql`lnk as (insert into civicase_links (province, id, direction, case_id, peer, kind, remote_case_id, remote_workflow, remote_state, remote_status, remote_rev, created_at, updated_at)
      select ${row.province}, ${row.id}, 'inbound', w.id, ${row.peer}, ${row.kind}, ${row.remote.caseId}, ${row.remote.workflow}, ${row.remote.state}, 'active', ${row.remote.rev}, ${ts(row.at)}, ${ts(row.at)} from w)`
  },

  /** The link id of the history row at `rev` of a case (`case.link_created` payload). */
  async createdAt(db: Executor, caseId: string, rev: number): Promise<string | undefined> {
    const r = await sql<{ id: string | null }>`select payload->>'linkId' as id from civicase_history where case_id = ${caseId} and rev = ${rev}`.execute(db)
    return r.rows[0]?.id ?? undefined
  },
}
