import type { ColumnType, Generated } from "kysely"

type Json = ColumnType<unknown, string, string>
type Timestamp = ColumnType<Date, Date | string, Date | string>

/** civicase_cases: one row per case, holding its latest snapshot. */
export interface CaseTable {
  id: string
  province: string
  workflow: string
  version: number
  state: string
  state_value: Json
  status: "active" | "done"
  context: Json
  snapshot: Json
  rev: number
  owner_agency: string
  lead_agency: string | null
  cooperating_agencies: ColumnType<string[], string[], string[]>
  agencies: ColumnType<string[], string[], string[]>
  deadlines: Json
  next_due_at: Timestamp | null
  head_hash: string
  created_by: string
  create_key: string | null
  created_at: Timestamp
  updated_at: Timestamp
  /** Work-list tokens `role@agency` / `role@*` of the events the state accepts; null until this version first writes the row. */
  waiting: ColumnType<string[] | null, string[] | null, string[] | null>
  title: string | null
  /** The person the case (or its current step) is assigned to (người được phân công). */
  assignee: string | null
  assignee_scope: "case" | "step" | null
}

/** civicase_case_text: each case's folded search text, written only when it changes. */
export interface CaseTextTable {
  case_id: string
  province: string
  doc: unknown
}

/** civicase_people: the officers (cán bộ) of each province, for assignment and mentions. */
export interface PersonTable {
  province: string
  id: string
  agency: string
  name: string
  email: string | null
  roles: ColumnType<string[], string[], string[]>
  active: boolean
  /** Name, id and email folded for search. */
  search: string
  updated_at: Timestamp
}

/** civicase_documents: documents attached to cases; the bytes live in a document store. */
export interface DocumentTable {
  id: string
  case_id: string
  province: string
  name: string
  media_type: string
  size: ColumnType<string | number, number, number>
  sha256: string
  store: string
  store_key: string
  decision: Json | null
  created_by: string
  created_at: Timestamp
  /** The history rev of the `case.document_attached` row that attached it. */
  rev: number
}

/** civicase_document_blobs: the bytes of the database document store, in chunks. */
export interface DocumentBlobTable {
  key: string
  seq: number
  bytes: Uint8Array
}

/** civicase_history: the append-only, hash-chained event log. */
export interface HistoryTable {
  case_id: string
  rev: number
  type: string
  payload: Json
  actor: Json
  at: Timestamp
  from_state: string | null
  to_state: string
  idempotency_key: string | null
  meta: Json | null
  prev_hash: string
  /** What the row's hash covers (`ChainFormat`); 1 for rows written before formats existed. */
  chain_format: ColumnType<number, number | undefined, never>
  hash: string
}

/** civicase_timers: pending deadlines, claimed by the scheduler. */
export interface TimerTable {
  case_id: string
  id: string
  name: string
  event: Json
  due_at: Timestamp
  rev: number
  locked_until: Timestamp | null
}

/** civicase_outbox: side effects to deliver after commit. */
export interface OutboxTable {
  id: Generated<string>
  case_id: string
  rev: number
  topic: string
  payload: Json
  status: "pending" | "delivered" | "failed" | "unrouted"
  attempts: Generated<number>
  next_attempt_at: Timestamp
  last_error: string | null
  created_at: Timestamp
  delivered_at: Timestamp | null
}

/** civicase_subscriptions: webhook subscriptions of a province (managed by coordinators). */
export interface SubscriptionTable {
  id: string
  province: string
  url: string
  secret: string
  workflows: ColumnType<string[] | null, string[] | null, string[] | null>
  agencies: ColumnType<string[] | null, string[] | null, string[] | null>
  event_types: ColumnType<string[] | null, string[] | null, string[] | null>
  description: string | null
  created_by: Json
  created_at: Timestamp
}

/** civicase_links: links of a case to a case of another deployment (outbound: we forwarded it; inbound: a peer did). */
export interface LinkTable {
  province: string
  id: string
  direction: "outbound" | "inbound"
  case_id: string
  peer: string
  kind: string
  remote_case_id: string | null
  remote_workflow: string | null
  remote_state: string | null
  remote_status: string | null
  remote_rev: number | null
  created_at: Timestamp
  updated_at: Timestamp
}

/** civicase_link_nonces: nonces of accepted link requests, kept for the replay window. */
export interface LinkNonceTable {
  province: string
  peer: string
  nonce: string
  seen_at: Timestamp
}

/** civicase_config_versions: every applied version of a province's configuration, with who, when and what changed. */
export interface ConfigVersionTable {
  province: string
  version: number
  content: Json
  /** The changes from the previous version, as `ConfigChange[]` (JSON Pointer paths). */
  diff: Json
  applied_by: Json
  applied_at: Timestamp
}

export interface MigrationTable {
  version: number
  name: string
  applied_at: Timestamp
}

/** The Kysely database type of civicase's tables. */
export interface CivicaseDatabase {
  civicase_cases: CaseTable
  civicase_history: HistoryTable
  civicase_timers: TimerTable
  civicase_outbox: OutboxTable
  civicase_case_text: CaseTextTable
  civicase_people: PersonTable
  civicase_documents: DocumentTable
  civicase_document_blobs: DocumentBlobTable
  civicase_migrations: MigrationTable
  civicase_config_versions: ConfigVersionTable
  civicase_subscriptions: SubscriptionTable
  civicase_links: LinkTable
  civicase_link_nonces: LinkNonceTable
}
