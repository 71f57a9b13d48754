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
  status: "pending" | "delivered" | "failed"
  attempts: Generated<number>
  next_attempt_at: Timestamp
  last_error: string | null
  created_at: Timestamp
  delivered_at: Timestamp | null
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
  civicase_migrations: MigrationTable
}
