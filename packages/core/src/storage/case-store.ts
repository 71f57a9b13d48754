import { type Kysely, type RawBuilder, sql } from "kysely"
import type { CalendarGap } from "../timers/calendar-year.js"
import type { CivicaseDatabase } from "./schema.js"

/** A database handle or an open transaction. */
export type Executor = Kysely<CivicaseDatabase>

/** A case row as read back. */
export interface CaseRow {
  id: string
  province: string
  workflow: string
  version: number
  state: string
  state_value: unknown
  status: "active" | "done"
  context: unknown
  snapshot: unknown
  rev: number
  owner_agency: string
  lead_agency: string | null
  cooperating_agencies: string[]
  agencies: string[]
  deadlines: StoredDeadline[]
  next_due_at: Date | null
  head_hash: string
  created_by: string
  /** The idempotency key the case was created with (per province and creator), or null. */
  create_key: string | null
  created_at: Date
  updated_at: Date
  /** Null on a row no write of this version has touched yet. */
  waiting: string[] | null
  title: string | null
  assignee: string | null
  assignee_scope: "case" | "step" | null
  /** The assignee's name, when the read joined the people directory. */
  assignee_name?: string | null
}

/** A case row with what its idempotency lookup found: the rev, event type and actor id of the history row with the key. */
export type LoadedCase = CaseRow & { replay_rev: number | null; replay_type: string | null; replay_actor: string | null }

/** A pending timer as kept on the case row (for the view) and in civicase_timers (for the scheduler). */
export interface StoredDeadline {
  id: string
  name: string
  event: { type: string; [key: string]: unknown }
  dueAt: string
  /** Years counted over that the calendar does not know for sure (absent when none): the due time is provisional. */
  calendarGaps?: ReadonlyArray<CalendarGap>
}

/** The history row a transition appends. */
export interface HistoryWrite {
  type: string
  payload: unknown
  actor: unknown
  at: Date
  from: string | null
  to: string
  idempotencyKey: string | null
  meta: Record<string, unknown> | null
  /** What `hash` covers (`CHAIN_FORMAT` for every new row). */
  chainFormat: number
  prevHash: string
  hash: string
}

/** Everything one transition writes, in one statement. */
export interface CaseWrite {
  id: string
  rev: number
  state: string
  stateValue: unknown
  status: "active" | "done"
  context: unknown
  snapshot: unknown
  owner: string
  lead: string | null
  cooperating: string[]
  agencies: string[]
  deadlines: StoredDeadline[]
  nextDueAt: string | null
  headHash: string
  at: Date
  history: HistoryWrite
  timerDeletes: string[]
  deleteAllTimers: boolean
  timerUpserts: StoredDeadline[]
  outbox: Array<{ topic: string; payload: unknown }>
  /** Payload to `NOTIFY civicase_transitions` with on commit, when other processes listen. */
  notify: string | null
  /** Work-list tokens of the new state (see `WaitingTokens`). */
  waiting: string[]
  title: string | null
  /** The folded search text to store, or null to leave the stored one. */
  searchText: string | null
  /** The assignment after the write, or null to leave it as it is. */
  assignment: AssignmentColumns | null
}

/** The assignment columns of a case. */
export interface AssignmentColumns {
  assignee: string | null
  scope: "case" | "step" | null
}

/** The channel every commit is announced on (when the engine notifies). */
export const TRANSITIONS_CHANNEL = "civicase_transitions"

/** The row source of the final SELECT: the written case, plus a NOTIFY sent when the statement commits. */
export function announced(w: { notify: string | null }): RawBuilder<unknown> {
  return w.notify === null ? sql`w` : sql`w, lateral (select pg_notify(${TRANSITIONS_CHANNEL}, ${w.notify})) as announce`
}

/** A jsonb parameter. */
export const json = (v: unknown) => sql`${JSON.stringify(v ?? null)}::jsonb`
/** A text[] parameter, passed as JSON so that any string survives. */
export const textArray = (v: ReadonlyArray<string>) => sql`array(select jsonb_array_elements_text(${JSON.stringify(v)}::jsonb))`
/** A timestamptz parameter. */
export const ts = (d: Date | string | null) => sql`${d === null ? null : typeof d === "string" ? d : d.toISOString()}::timestamptz`

/** The history row of a write, inserted from the CTE `source` only when that CTE returned the case. */
export function historyInsert(source: string, w: { rev: number; history: HistoryWrite }): RawBuilder<unknown> {
  const h = w.history
  return sql`insert into civicase_history (case_id, rev, type, payload, actor, at, from_state, to_state, idempotency_key, meta, chain_format, prev_hash, hash)
    select id, ${w.rev}, ${h.type}, ${json(h.payload)}, ${json(h.actor)}, ${ts(h.at)}, ${h.from}, ${h.to}, ${h.idempotencyKey}, ${h.meta === null ? null : json(h.meta)}, ${h.chainFormat}, ${h.prevHash}, ${h.hash}
    from ${sql.raw(source)}`
}

/** The outbox rows of a write, inserted only when the CTE `w` returned the case. */
export function outboxInsert(w: { rev: number; at: Date; outbox: ReadonlyArray<{ topic: string; payload: unknown }> }): RawBuilder<unknown> {
  return sql`obox as (insert into civicase_outbox (case_id, rev, topic, payload, next_attempt_at, created_at)
      select w.id, ${w.rev}, x.topic, x.payload, ${ts(w.at)}, ${ts(w.at)} from w, jsonb_to_recordset(${JSON.stringify(w.outbox)}::jsonb) as x(topic text, payload jsonb))`
}

function sideEffects(w: CaseWrite): RawBuilder<unknown>[] {
  const parts: RawBuilder<unknown>[] = []
  if (w.searchText !== null) {
    // Only when the folded text changed (the caller compares): an unchanged case writes no text row.
    parts.push(sql`txt as (insert into civicase_case_text (case_id, province, doc) select w.id, w.province, to_tsvector('simple', ${w.searchText}) from w
      on conflict (case_id) do update set doc = excluded.doc)`)
  }
  if (w.deleteAllTimers) {
    parts.push(sql`tdel as (delete from civicase_timers t using w where t.case_id = w.id)`)
  } else if (w.timerDeletes.length > 0) {
    parts.push(sql`tdel as (delete from civicase_timers t using w where t.case_id = w.id and t.id in (select jsonb_array_elements_text(${JSON.stringify(w.timerDeletes)}::jsonb)))`)
  }
  if (w.timerUpserts.length > 0) {
    parts.push(sql`tins as (insert into civicase_timers (case_id, id, name, event, due_at, rev)
      select w.id, x.id, x.name, x.event, x."dueAt", ${w.rev} from w, jsonb_to_recordset(${JSON.stringify(w.timerUpserts)}::jsonb) as x(id text, name text, event jsonb, "dueAt" timestamptz)
      on conflict (case_id, id) do update set name = excluded.name, event = excluded.event, due_at = excluded.due_at, rev = excluded.rev, locked_until = null)`)
  }
  if (w.outbox.length > 0) parts.push(outboxInsert(w))
  return parts
}

/** `, assignee = …, assignee_scope = …` when a write changes the assignment; nothing when it leaves it. */
export function assignmentSet(a: AssignmentColumns | null): RawBuilder<unknown> {
  return a === null ? sql`` : sql`, assignee = ${a.assignee}, assignee_scope = ${a.scope}`
}

/**
 * The SQL of cases. Every write is one statement: data-modifying CTEs append
 * the history row, replace timers and add outbox rows only if the optimistic
 * update of the case row matched, so a transition is atomic without an
 * explicit transaction and costs two round trips (read, write).
 */
export const caseStore = {
  /**
   * A case row; with `idempotencyKey`, also the rev, event type and actor id
   * of the history row that carries that key (null when none does).
   */
  async load(db: Executor, id: string, idempotencyKey?: string): Promise<LoadedCase | undefined> {
    const query = idempotencyKey
      ? sql<LoadedCase>`select c.*, h.rev as replay_rev, h.type as replay_type, h.actor->>'id' as replay_actor from civicase_cases c
          left join civicase_history h on h.case_id = c.id and h.idempotency_key = ${idempotencyKey} where c.id = ${id}`
      : sql<LoadedCase>`select c.*, null::int as replay_rev, null::text as replay_type, null::text as replay_actor from civicase_cases c where c.id = ${id}`
    return (await query.execute(db)).rows[0]
  },

  async findByCreateKey(db: Executor, province: string, createdBy: string, key: string): Promise<CaseRow | undefined> {
    const r = await sql<CaseRow>`select * from civicase_cases where province = ${province} and created_by = ${createdBy} and create_key = ${key}`.execute(db)
    return r.rows[0]
  },

  /**
   * Inserts a new case with its first history row, timers and outbox rows;
   * `also` are further CTEs that insert from `w` (the new case's id), written
   * in the same statement (an inbound link's row).
   */
  async insert(
    db: Executor,
    w: CaseWrite & { province: string; workflow: string; version: number; createdBy: string; createKey: string | null },
    also: ReadonlyArray<RawBuilder<unknown>> = [],
  ): Promise<void> {
    const parts = [
      sql`w as (insert into civicase_cases (id, province, workflow, version, state, state_value, status, context, snapshot, rev,
        owner_agency, lead_agency, cooperating_agencies, agencies, deadlines, next_due_at, head_hash, created_by, create_key, created_at, updated_at, waiting, title)
        values (${w.id}, ${w.province}, ${w.workflow}, ${w.version}, ${w.state}, ${json(w.stateValue)}, ${w.status}, ${json(w.context)}, ${json(w.snapshot)}, ${w.rev},
        ${w.owner}, ${w.lead}, ${textArray(w.cooperating)}, ${textArray(w.agencies)}, ${json(w.deadlines)}, ${ts(w.nextDueAt)}, ${w.headHash}, ${w.createdBy}, ${w.createKey}, ${ts(w.at)}, ${ts(w.at)},
        ${textArray(w.waiting)}, ${w.title})
        returning id, province)`,
      sql`h as (${historyInsert("w", w)})`,
      ...sideEffects(w),
      ...also,
    ]
    await sql`with ${sql.join(parts, sql`, `)} select 1 from ${announced(w)}`.execute(db)
  },

  /** Writes a transition if the case is still at `w.rev - 1`; false when it moved on. */
  async update(db: Executor, w: CaseWrite): Promise<boolean> {
    const parts = [
      sql`w as (update civicase_cases set state = ${w.state}, state_value = ${json(w.stateValue)}, status = ${w.status}, context = ${json(w.context)},
        snapshot = ${json(w.snapshot)}, rev = ${w.rev}, owner_agency = ${w.owner}, lead_agency = ${w.lead}, cooperating_agencies = ${textArray(w.cooperating)},
        agencies = ${textArray(w.agencies)}, deadlines = ${json(w.deadlines)}, next_due_at = ${ts(w.nextDueAt)}, head_hash = ${w.headHash}, updated_at = ${ts(w.at)},
        waiting = ${textArray(w.waiting)}, title = ${w.title}${assignmentSet(w.assignment)}
        where id = ${w.id} and rev = ${w.rev - 1} returning id, province)`,
      sql`h as (${historyInsert("w", w)})`,
      ...sideEffects(w),
    ]
    const r = await sql<{ n: number }>`with ${sql.join(parts, sql`, `)} select count(*)::int as n from ${announced(w)}`.execute(db)
    return r.rows[0]?.n === 1
  },
}
