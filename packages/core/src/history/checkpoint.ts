import { createHash } from "node:crypto"
import { type Kysely, sql } from "kysely"
import type { CivicaseDatabase } from "../storage/schema.js"

/** One case's chain head at checkpoint time: `[caseId, rev, headHash]`. */
export type CheckpointHead = readonly [caseId: string, rev: number, headHash: string]

/**
 * A digest over every case's chain head (điểm kiểm soát), to export and keep
 * outside the database (print it in a report, sign it, send it to the
 * province archive). Later, `engine.verifyCheckpoint(cp)` shows whether any
 * case present then was removed or had its history rewritten or cut back,
 * which a chain check alone cannot see when the tail and `head_hash` were
 * changed together.
 *
 * @example
 * const cp = await engine.checkpoint()
 * writeFileSync("checkpoint-2025-06.json", JSON.stringify(cp))
 * // months later
 * const r = await engine.verifyCheckpoint(JSON.parse(readFileSync("checkpoint-2025-06.json", "utf8")))
 */
export interface Checkpoint {
  readonly format: "civicase.checkpoint.v1"
  /** When it was taken (the engine clock). */
  readonly at: string
  readonly cases: number
  /** Sum of the heads' revs: the number of history rows covered. */
  readonly events: number
  /** SHA-256 over the heads in order; published on its own it authenticates the head list. */
  readonly digest: string
  /** Every case head, ordered by case id. */
  readonly heads: ReadonlyArray<CheckpointHead>
}

/** The result of `engine.verifyCheckpoint`. */
export interface CheckpointVerification {
  readonly ok: boolean
  /** Heads compared. */
  readonly checked: number
  /** False when the checkpoint's heads do not match its own digest (the file was edited). */
  readonly digestOk: boolean
  /** Cases in the checkpoint that no longer exist. */
  readonly missingCases: ReadonlyArray<string>
  /** Cases whose row at the checkpointed rev is gone or has another hash (rewritten or truncated). */
  readonly changedCases: ReadonlyArray<{ readonly caseId: string; readonly rev: number }>
}

/**
 * The digest of a list of heads: SHA-256 over one line per head,
 * `caseId rev headHash\n`, in the given (case id) order.
 *
 * @example
 * checkpointDigest([["6f1c…", 3, "ab12…"]]) // "9e4d…"
 */
export function checkpointDigest(heads: ReadonlyArray<CheckpointHead>): string {
  const h = createHash("sha256")
  for (const [id, rev, hash] of heads) h.update(`${id} ${rev} ${hash}\n`)
  return h.digest("hex")
}

/** Reads every case head in batches of `batchSize` (keyset on id) and builds a checkpoint. */
export async function takeCheckpoint(db: Kysely<CivicaseDatabase>, now: Date, batchSize = 5000): Promise<Checkpoint> {
  const heads: CheckpointHead[] = []
  let events = 0
  await db.transaction().execute(async (trx) => {
    // One snapshot, so the heads belong together even while cases move on.
    await sql`set transaction isolation level repeatable read, read only`.execute(trx)
    let last: string | undefined
    for (;;) {
      const rows = (
        await (last === undefined
          ? sql<{ id: string; rev: number; head_hash: string }>`select id, rev, head_hash from civicase_cases order by id limit ${batchSize}`
          : sql<{ id: string; rev: number; head_hash: string }>`select id, rev, head_hash from civicase_cases where id > ${last} order by id limit ${batchSize}`
        ).execute(trx)
      ).rows
      for (const r of rows) {
        heads.push([r.id, r.rev, r.head_hash])
        events += r.rev
      }
      if (rows.length < batchSize) break
      last = rows[rows.length - 1]!.id
    }
  })
  return { format: "civicase.checkpoint.v1", at: now.toISOString(), cases: heads.length, events, digest: checkpointDigest(heads), heads }
}

const HEX64 = /^[0-9a-f]{64}$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** What is wrong with `value` as a checkpoint (path and message), or undefined when it is one. */
export function checkpointProblem(value: unknown): { path: string; message: string } | undefined {
  const cp = value as Partial<Checkpoint> | null
  if (typeof cp !== "object" || cp === null) return { path: "", message: "a checkpoint must be an object" }
  if (cp.format !== "civicase.checkpoint.v1") return { path: "/format", message: `must be "civicase.checkpoint.v1", got ${JSON.stringify(cp.format)}` }
  if (typeof cp.digest !== "string" || !HEX64.test(cp.digest)) return { path: "/digest", message: "must be 64 hex digits" }
  if (!Array.isArray(cp.heads)) return { path: "/heads", message: "must be an array" }
  for (let i = 0; i < cp.heads.length; i++) {
    const h = cp.heads[i] as unknown
    if (!Array.isArray(h) || h.length !== 3 || typeof h[0] !== "string" || !UUID.test(h[0]) || !Number.isInteger(h[1]) || h[1] < 1 || typeof h[2] !== "string" || !HEX64.test(h[2])) {
      return { path: `/heads/${i}`, message: "must be [caseId (uuid), rev (integer >= 1), headHash (64 hex digits)]" }
    }
  }
  return undefined
}

/**
 * Checks a checkpoint against the database: each head's case must exist and
 * its history row at the checkpointed rev must carry the checkpointed hash.
 * Combined with `verifyAll` (every chain intact from genesis to today's
 * head), this proves that nothing recorded before the checkpoint has changed.
 */
export async function verifyCheckpointHeads(db: Kysely<CivicaseDatabase>, cp: Checkpoint, batchSize = 1000): Promise<CheckpointVerification> {
  const digestOk = checkpointDigest(cp.heads) === cp.digest
  const missingCases: string[] = []
  const changedCases: Array<{ caseId: string; rev: number }> = []
  for (let i = 0; i < cp.heads.length; i += batchSize) {
    const chunk = cp.heads.slice(i, i + batchSize)
    const wanted = JSON.stringify(chunk.map(([id, rev]) => ({ id, rev })))
    const rows = (
      await sql<{ id: string; exists: boolean; hash: string | null }>`
        select x.id, c.id is not null as exists, h.hash
        from jsonb_to_recordset(${wanted}::jsonb) as x(id uuid, rev integer)
        left join civicase_cases c on c.id = x.id
        left join civicase_history h on h.case_id = x.id and h.rev = x.rev`.execute(db)
    ).rows
    const found = new Map(rows.map((r) => [String(r.id), r]))
    for (const [id, rev, hash] of chunk) {
      const r = found.get(id.toLowerCase())
      if (!r || !r.exists) missingCases.push(id)
      else if (r.hash !== hash) changedCases.push({ caseId: id, rev })
    }
  }
  return {
    ok: digestOk && missingCases.length === 0 && changedCases.length === 0,
    checked: cp.heads.length,
    digestOk,
    missingCases,
    changedCases,
  }
}
