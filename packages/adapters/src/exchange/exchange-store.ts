import { type Kysely, sql } from "kysely"
import type { EdxmlResponseFor } from "../edxml/model.js"

/**
 * What civicase keeps of a package it received, to act on it once and to
 * report the case's progress back: the sender, the inbox agency it came to,
 * and the `ResponseFor` a status packet about it carries.
 */
export interface ReceivedDocument {
  readonly documentId: string
  readonly sender: string
  readonly recipient: string
  readonly responseFor: EdxmlResponseFor
  readonly caseId: string | null
  readonly outcome: "pending" | "created" | "event" | "failed"
}

// The connector's own table, made when the engine starts: the exchange is optional, so core's migrations do not carry it.
const DDL = [
  sql`create table if not exists civicase_exchange_documents (
    province text not null,
    direction text not null check (direction in ('in', 'out')),
    document_id text not null,
    case_id uuid,
    rev integer,
    peers text[] not null,
    info jsonb not null,
    outcome text not null,
    created_at timestamptz not null default now(),
    primary key (province, direction, document_id)
  )`,
  sql`create index if not exists civicase_exchange_documents_case on civicase_exchange_documents (case_id) where case_id is not null`,
]

/** Rows of `civicase_exchange_documents`: packages sent (`out`) and received (`in`). */
export const exchangeStore = {
  async migrate(db: Kysely<any>): Promise<void> {
    for (const statement of DDL) await statement.execute(db)
  },

  /** Records a package as sent (once; a retry changes nothing). */
  async sent(db: Kysely<any>, row: { province: string; documentId: string; caseId: string; rev: number; to: ReadonlyArray<string>; messageId: string }): Promise<void> {
    await sql`insert into civicase_exchange_documents (province, direction, document_id, case_id, rev, peers, info, outcome)
      values (${row.province}, 'out', ${row.documentId}, ${row.caseId}::uuid, ${row.rev}, ${sql.val([...row.to])}::text[], ${JSON.stringify({ messageId: row.messageId })}::jsonb, 'sent')
      on conflict do nothing`.execute(db)
  },

  /** The case a package this province sent belongs to, if `peer` was one of its recipients. */
  async sentTo(db: Kysely<any>, province: string, documentId: string, peer: string): Promise<{ caseId: string; rev: number } | undefined> {
    const r = await sql<{ case_id: string; rev: number }>`select case_id, rev from civicase_exchange_documents
      where province = ${province} and direction = 'out' and document_id = ${documentId} and ${peer} = any(peers)`.execute(db)
    const row = r.rows[0]
    return row ? { caseId: row.case_id, rev: row.rev } : undefined
  },

  /** Records a received package on first sight and returns the row as it is (a repeat returns the first). */
  async received(db: Kysely<any>, province: string, doc: Omit<ReceivedDocument, "caseId" | "outcome">): Promise<ReceivedDocument> {
    const info = { sender: doc.sender, recipient: doc.recipient, responseFor: doc.responseFor }
    await sql`insert into civicase_exchange_documents (province, direction, document_id, peers, info, outcome)
      values (${province}, 'in', ${doc.documentId}, ${sql.val([doc.sender])}::text[], ${JSON.stringify(info)}::jsonb, 'pending')
      on conflict do nothing`.execute(db)
    return (await exchangeStore.receivedById(db, province, doc.documentId))!
  },

  async receivedById(db: Kysely<any>, province: string, documentId: string): Promise<ReceivedDocument | undefined> {
    const r = await sql<{ document_id: string; case_id: string | null; info: any; outcome: ReceivedDocument["outcome"] }>`select document_id, case_id, info, outcome
      from civicase_exchange_documents where province = ${province} and direction = 'in' and document_id = ${documentId}`.execute(db)
    const row = r.rows[0]
    return row ? toReceived(row) : undefined
  },

  /** Marks what a received package did. */
  async settle(db: Kysely<any>, province: string, documentId: string, outcome: ReceivedDocument["outcome"], caseId: string | null): Promise<void> {
    await sql`update civicase_exchange_documents set outcome = ${outcome}, case_id = ${caseId}::uuid
      where province = ${province} and direction = 'in' and document_id = ${documentId}`.execute(db)
  },
}

function toReceived(row: { document_id: string; case_id: string | null; info: any; outcome: ReceivedDocument["outcome"] }): ReceivedDocument {
  const info = typeof row.info === "string" ? JSON.parse(row.info) : row.info
  return { documentId: row.document_id, sender: info.sender, recipient: info.recipient, responseFor: info.responseFor, caseId: row.case_id, outcome: row.outcome }
}
