import { randomUUID } from "node:crypto"
import type pg from "pg"
import { STEPS, type RecordedSteps } from "./coordination-load.js"

/**
 * The yardstick of issue 15: a transition written by hand the way a careful
 * application would, with `pg` and nothing else. A table of cases (state,
 * context, rev) and a history table keyed by (case, rev); each transition is
 *
 *   BEGIN; SELECT … FOR UPDATE; UPDATE … WHERE rev = $old; INSERT history; COMMIT
 *
 * five round trips on one pooled connection. It writes the very contexts the
 * engine stored for the same steps (recorded before the run), so both sides
 * move the same bytes of business data; what it leaves out (snapshot, hash
 * chain, timers, outbox, work-list columns, indexes, NOTIFY) is the engine's
 * overhead the ratio shows.
 */
export async function createMinimalTables(pool: pg.Pool): Promise<void> {
  await pool.query(`create table min_cases (id uuid primary key, state text not null, context jsonb not null, rev integer not null, updated_at timestamptz not null)`)
  await pool.query(`create table min_history (case_id uuid not null, rev integer not null, type text not null, payload jsonb not null, actor jsonb not null,
    at timestamptz not null, from_state text, to_state text not null, primary key (case_id, rev))`)
}

/** Inserts `n` cases at their initial state (outside the timed window); returns their ids. */
export async function createMinimalCases(pool: pg.Pool, recorded: RecordedSteps, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID())
  const context = JSON.stringify(recorded.initial.context)
  for (const id of ids) {
    await pool.query(`insert into min_cases (id, state, context, rev, updated_at) values ($1, $2, $3, 1, now())`, [id, recorded.initial.state, context])
    await pool.query(`insert into min_history (case_id, rev, type, payload, actor, at, from_state, to_state) values ($1, 1, 'created', '{}', '{}', now(), null, $2)`, [
      id,
      recorded.initial.state,
    ])
  }
  return ids
}

/** One hand-written transition of case `id` to the recorded step `i`. Throws when the row moved under it (it cannot: one writer per case). */
async function transition(pool: pg.Pool, recorded: RecordedSteps, id: string, i: number): Promise<void> {
  const step = STEPS[i]!
  const next = recorded.after[i]!
  const client = await pool.connect()
  try {
    await client.query("begin")
    const { rows } = await client.query<{ rev: number; state: string }>("select rev, state, context from min_cases where id = $1 for update", [id])
    const row = rows[0]!
    const moved = await client.query("update min_cases set state = $2, context = $3, rev = $4, updated_at = now() where id = $1 and rev = $5", [
      id,
      next.state,
      JSON.stringify(next.context),
      row.rev + 1,
      row.rev,
    ])
    if (moved.rowCount !== 1) throw new Error(`minimal transition of ${id} matched no row`)
    await client.query("insert into min_history (case_id, rev, type, payload, actor, at, from_state, to_state) values ($1, $2, $3, $4, $5, now(), $6, $7)", [
      id,
      row.rev + 1,
      step.event.type,
      JSON.stringify(step.event.payload),
      JSON.stringify(step.actor),
      row.state,
      next.state,
    ])
    await client.query("commit")
  } catch (e) {
    await client.query("rollback").catch(() => undefined)
    throw e
  } finally {
    client.release()
  }
}

/** Applies `count` transitions, moving to the next of `ids` after every full run of the steps, as the engine's workers do. */
export async function runMinimal(pool: pg.Pool, recorded: RecordedSteps, ids: ReadonlyArray<string>, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await transition(pool, recorded, ids[Math.floor(i / STEPS.length)]!, i % STEPS.length)
}

/** How many revisions the minimal side applied to `ids` in all (creation included): the run must really have written. */
export async function minimalRevisions(pool: pg.Pool, ids: ReadonlyArray<string>): Promise<number> {
  const { rows } = await pool.query<{ n: number }>("select coalesce(sum(rev), 0)::int as n from min_cases where id = any($1::uuid[])", [ids])
  return rows[0]?.n ?? 0
}
