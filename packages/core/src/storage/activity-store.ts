import { type RawBuilder, sql } from "kysely"
import { type AssignmentColumns, type Executor, type HistoryWrite, announced, assignmentSet, historyInsert, json, outboxInsert, ts } from "./case-store.js"

/** The documents row an attaching activity inserts. */
export interface DocumentRowWrite {
  id: string
  name: string
  mediaType: string
  size: number
  sha256: string
  store: string
  storeKey: string
  decision: unknown
  createdBy: string
}

/**
 * The `civicase_links` row an activity writes with itself: a new link
 * (`insert`), or what the peer reported of its linked case (`remote`, kept
 * only when newer than what is stored, so a late retry never winds it back).
 */
export type LinkRowWrite =
  | { readonly op: "insert"; readonly province: string; readonly id: string; readonly direction: "outbound" | "inbound"; readonly peer: string; readonly kind: string }
  | {
      readonly op: "remote"
      readonly province: string
      readonly id: string
      readonly caseId: string
      readonly workflow: string
      readonly state: string
      readonly status: string
      readonly rev: number
    }

/**
 * Everything one activity (assignment, comment, attached document) writes:
 * the case row's rev, chain head and time (never its snapshot or state), its
 * history row, and what the activity adds.
 */
export interface ActivityWrite {
  id: string
  rev: number
  headHash: string
  at: Date
  history: HistoryWrite
  /** The assignment after the write, or null to leave it. */
  assignment: AssignmentColumns | null
  outbox: Array<{ topic: string; payload: unknown }>
  document: DocumentRowWrite | null
  /** The links row written with it, or null. */
  link: LinkRowWrite | null
  notify: string | null
}

function documentInsert(w: ActivityWrite, d: DocumentRowWrite): RawBuilder<unknown> {
  return sql`doc as (insert into civicase_documents (id, case_id, province, name, media_type, size, sha256, store, store_key, decision, created_by, created_at, rev)
    select ${d.id}, w.id, w.province, ${d.name}, ${d.mediaType}, ${d.size}, ${d.sha256}, ${d.store}, ${d.storeKey}, ${d.decision === null ? null : json(d.decision)},
      ${d.createdBy}, ${ts(w.at)}, ${w.rev} from w)`
}

function linkWrite(w: ActivityWrite, l: LinkRowWrite): RawBuilder<unknown> {
  if (l.op === "insert") {
    return sql`lnk as (insert into civicase_links (province, id, direction, case_id, peer, kind, created_at, updated_at)
      select ${l.province}, ${l.id}, ${l.direction}, w.id, ${l.peer}, ${l.kind}, ${ts(w.at)}, ${ts(w.at)} from w)`
  }
  return sql`lnk as (update civicase_links l set remote_case_id = ${l.caseId}, remote_workflow = ${l.workflow}, remote_state = ${l.state},
      remote_status = ${l.status}, remote_rev = ${l.rev}, updated_at = ${ts(w.at)}
    from w where l.province = ${l.province} and l.id = ${l.id} and l.case_id = w.id and (l.remote_rev is null or l.remote_rev < ${l.rev}))`
}

/**
 * The SQL of case activities: one statement whose optimistic update of the
 * case row (`where rev = n`) gates the history row, outbox rows and
 * documents row, like a transition, but leaves the snapshot, context and
 * state columns alone, so a comment costs a narrow update.
 *
 * @example
 * const ok = await activityStore.write(db, write) // false when the case moved on
 */
export const activityStore = {
  async write(db: Executor, w: ActivityWrite): Promise<boolean> {
    const parts: RawBuilder<unknown>[] = [
      sql`w as (update civicase_cases set rev = ${w.rev}, head_hash = ${w.headHash}, updated_at = ${ts(w.at)}${assignmentSet(w.assignment)}
        where id = ${w.id} and rev = ${w.rev - 1} returning id, province)`,
      sql`h as (${historyInsert("w", w)})`,
    ]
    if (w.outbox.length > 0) parts.push(outboxInsert(w))
    if (w.document) parts.push(documentInsert(w, w.document))
    if (w.link) parts.push(linkWrite(w, w.link))
    const r = await sql<{ n: number }>`with ${sql.join(parts, sql`, `)} select count(*)::int as n from ${announced(w)}`.execute(db)
    return r.rows[0]?.n === 1
  },
}
