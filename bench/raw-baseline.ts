import { randomUUID } from "node:crypto"
import type pg from "pg"
import type { RecordedStatement } from "./sql-recorder.js"

/** What the engine sent to create one case and to apply each of its transitions, in order. */
export interface RecordedCase {
  readonly caseId: string
  readonly create: ReadonlyArray<RecordedStatement>
  readonly transitions: ReadonlyArray<ReadonlyArray<RecordedStatement>>
}

/** The same statements aimed at another case: the id is replaced wherever it appears, JSON text included. */
function retarget(statements: ReadonlyArray<RecordedStatement>, from: string, to: string): RecordedStatement[] {
  const swap = (v: unknown) => (typeof v === "string" && v.includes(from) ? v.split(from).join(to) : v)
  return statements.map((s) => ({ sql: s.sql, params: s.params.map(swap) }))
}

/** One raw worker's precomputed work: the cases to create first, then one statement list per transition. */
export interface RawScript {
  readonly caseIds: ReadonlyArray<string>
  readonly creates: ReadonlyArray<ReadonlyArray<RecordedStatement>>
  readonly transitions: ReadonlyArray<ReadonlyArray<RecordedStatement>>
}

/**
 * Builds the script of a worker that applies `count` transitions, moving to a
 * fresh case after every recorded sequence (as the engine workers do), so both
 * sides write documents of the same sizes.
 *
 * @example
 * const script = rawScript(recorded, 500)
 * await createRawCases(pool, script)
 * await runRawScript(pool, script)
 */
export function rawScript(recorded: RecordedCase, count: number): RawScript {
  const perCase = recorded.transitions.length
  const caseIds: string[] = []
  const creates: RecordedStatement[][] = []
  const transitions: RecordedStatement[][] = []
  for (let i = 0; i < count; i++) {
    if (i % perCase === 0) {
      const id = randomUUID()
      caseIds.push(id)
      creates.push(retarget(recorded.create, recorded.caseId, id))
    }
    transitions.push(retarget(recorded.transitions[i % perCase]!, recorded.caseId, caseIds[caseIds.length - 1]!))
  }
  return { caseIds, creates, transitions }
}

/** Inserts the script's cases (outside the timed window). */
export async function createRawCases(pool: pg.Pool, script: RawScript): Promise<void> {
  for (const statements of script.creates) for (const s of statements) await pool.query(s.sql, s.params as unknown[])
}

/** Sends every transition's statements in order, one pooled query each, as Kysely does outside a transaction. */
export async function runRawScript(pool: pg.Pool, script: RawScript): Promise<void> {
  for (const statements of script.transitions) for (const s of statements) await pool.query(s.sql, s.params as unknown[])
}
