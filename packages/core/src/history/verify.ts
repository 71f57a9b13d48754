import { type Kysely, sql } from "kysely"
import type { CivicaseDatabase } from "../storage/schema.js"
import type { DocumentsVerification } from "../documents/verify-documents.js"
import { CHAIN_FORMATS, type ChainFormat, GENESIS_HASH, chainHash } from "./hash.js"
import { type VerifyReport, verifyChannel } from "../observe/channels.js"

/**
 * The result of checking one case's chain (kiểm tra tính toàn vẹn của hồ sơ).
 *
 * @example
 * const r = await engine.verify(caseId, coordinator)
 * if (!r.ok) console.log(`history altered from rev ${r.firstBadRev}`)
 */
export interface CaseVerification {
  readonly ok: boolean
  /** History rows read. */
  readonly checked: number
  /** The first rev whose row is altered, missing, out of place, or added after the case's head. */
  readonly firstBadRev?: number
  /** `engine.verify` only, for a case with documents: each re-hashed; any problem makes `ok` false. */
  readonly documents?: DocumentsVerification
}

/** Progress of {@link verifyAllChains}, reported after each batch. */
export interface VerifyProgress {
  /** Cases finished so far. */
  readonly cases: number
  /** History rows read so far. */
  readonly checked: number
  /** History rows in the database when verification began (an estimate for a progress bar; rows may be added meanwhile). */
  readonly totalEvents: number
}

/** Options of `engine.verifyAll`. */
export interface VerifyAllOptions {
  /** Cases per batch and history rows per query; default 1000. Memory stays proportional to it. */
  readonly batchSize?: number
  /** Called after each batch, for a progress indication. */
  readonly onProgress?: (progress: VerifyProgress) => void
  /** At most this many broken cases are listed (all are counted); default 1000. */
  readonly maxReported?: number
}

/**
 * The result of checking every case's chain.
 *
 * @example
 * const r = await engine.verifyAll({ onProgress: (p) => bar.update(p.checked / p.totalEvents) })
 * // { ok: false, cases: 1200, checked: 48210, brokenCount: 1, broken: [{ caseId, firstBadRev: 7 }] }
 */
export interface DatabaseVerification {
  readonly ok: boolean
  readonly cases: number
  readonly checked: number
  /** Broken cases, at most `maxReported` of them. */
  readonly broken: ReadonlyArray<{ readonly caseId: string; readonly firstBadRev: number }>
  /** How many cases are broken (may exceed `broken.length`). */
  readonly brokenCount: number
}

type Db = Kysely<CivicaseDatabase>

interface HistoryRow {
  case_id: string
  rev: number
  type: string
  payload: unknown
  actor: unknown
  at: Date | string
  from_state: string | null
  to_state: string
  meta: Record<string, unknown> | null
  chain_format: number
  prev_hash: string
  hash: string
}

interface CaseHead {
  id: string
  rev: number
  head_hash: string
}

/**
 * Walks one case's rows in rev order. Fed row by row so a long chain never
 * has to be in memory at once.
 */
class ChainWalker {
  private expectedRev = 1
  private prev = GENESIS_HASH
  private bad: number | undefined
  checked = 0

  constructor(private readonly head: CaseHead) {}

  push(row: HistoryRow): void {
    this.checked++
    if (this.bad !== undefined) return
    if (row.rev !== this.expectedRev) {
      // A gap (deleted row) or a rev out of sequence (reordered or inserted).
      this.bad = Math.min(row.rev, this.expectedRev)
      return
    }
    if (!CHAIN_FORMATS.includes(row.chain_format as ChainFormat)) {
      // A format this version does not know (or a row whose format was altered): it cannot be vouched for.
      this.bad = row.rev
      return
    }
    const at = row.at instanceof Date ? row.at : new Date(row.at)
    const hash = chainHash(this.prev, {
      caseId: row.case_id,
      rev: row.rev,
      type: row.type,
      payload: row.payload,
      actor: row.actor,
      at,
      from: row.from_state,
      to: row.to_state,
      meta: row.meta,
      chainFormat: row.chain_format as ChainFormat,
    })
    if (row.prev_hash !== this.prev || row.hash !== hash) {
      this.bad = row.rev
      return
    }
    if (row.rev > this.head.rev) {
      // A row added after the case's head, even one with a well-formed hash.
      this.bad = row.rev
      return
    }
    if (row.rev === this.head.rev && row.hash !== this.head.head_hash) this.bad = row.rev
    this.prev = row.hash
    this.expectedRev++
  }

  finish(): CaseVerification {
    let bad = this.bad
    // The chain stops before the case's head: its tail was removed.
    if (bad === undefined && this.expectedRev <= this.head.rev) bad = this.expectedRev
    return bad === undefined ? { ok: true, checked: this.checked } : { ok: false, checked: this.checked, firstBadRev: bad }
  }
}

const HISTORY_COLUMNS = sql.raw("case_id, rev, type, payload, actor, at, from_state, to_state, meta, chain_format, prev_hash, hash")

/** A read-only transaction at one snapshot, so rows committed meanwhile do not look like tampering. */
async function snapshotRead<T>(db: Db, body: (trx: Db) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`set transaction isolation level repeatable read, read only`.execute(trx)
    return body(trx)
  })
}

function checkBatchSize(n: number | undefined, fallback: number): number {
  if (n === undefined) return fallback
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new RangeError(`batchSize must be an integer from 1 to 100000, got ${String(n)}`)
  return n
}

/**
 * Recomputes one case's hash chain from genesis and compares its end with the
 * case's `head_hash`. Reads `batchSize` rows at a time. Returns undefined when
 * the case does not exist.
 */
export async function verifyCaseChain(db: Db, caseId: string, batchSize = 1000): Promise<CaseVerification | undefined> {
  const size = checkBatchSize(batchSize, 1000)
  return snapshotRead(db, async (trx) => {
    const head = (await sql<CaseHead>`select id, rev, head_hash from civicase_cases where id = ${caseId}`.execute(trx)).rows[0]
    if (!head) return undefined
    const walker = new ChainWalker(head)
    let after = 0
    for (;;) {
      const rows = (
        await sql<HistoryRow>`select ${HISTORY_COLUMNS} from civicase_history where case_id = ${caseId} and rev > ${after} order by rev limit ${size}`.execute(trx)
      ).rows
      for (const row of rows) walker.push(row)
      if (rows.length < size) break
      after = rows[rows.length - 1]!.rev
    }
    const result = walker.finish()
    if (verifyChannel.hasSubscribers) verifyChannel.publish({ scope: "case", ok: result.ok, cases: 1, checked: result.checked, broken: result.ok ? 0 : 1 } satisfies VerifyReport)
    return result
  })
}

/**
 * Recomputes every case's chain: cases are read `batchSize` at a time (keyset
 * on id), and their history `batchSize` rows at a time (keyset on
 * `(case_id, rev)`), each batch in one snapshot. Memory stays bounded by the
 * batch size whatever the size of the database.
 */
export async function verifyAllChains(db: Db, options: VerifyAllOptions = {}): Promise<DatabaseVerification> {
  const size = checkBatchSize(options.batchSize, 1000)
  const maxReported = options.maxReported ?? 1000
  const totalEvents = Number((await sql<{ n: string | number }>`select count(*) as n from civicase_history`.execute(db)).rows[0]?.n ?? 0)
  const broken: Array<{ caseId: string; firstBadRev: number }> = []
  let brokenCount = 0
  let cases = 0
  let checked = 0
  let lastCase: string | undefined
  for (;;) {
    const done = await snapshotRead(db, async (trx) => {
      const heads = (
        await (lastCase === undefined
          ? sql<CaseHead>`select id, rev, head_hash from civicase_cases order by id limit ${size}`
          : sql<CaseHead>`select id, rev, head_hash from civicase_cases where id > ${lastCase} order by id limit ${size}`
        ).execute(trx)
      ).rows
      if (heads.length === 0) return true
      const first = heads[0]!.id
      const last = heads[heads.length - 1]!.id
      const walkers = new Map(heads.map((h) => [h.id, new ChainWalker(h)]))
      let cursor: { caseId: string; rev: number } = { caseId: first, rev: 0 }
      for (;;) {
        const rows = (
          await sql<HistoryRow>`select ${HISTORY_COLUMNS} from civicase_history
            where (case_id, rev) > (${cursor.caseId}::uuid, ${cursor.rev}) and case_id <= ${last}::uuid
            order by case_id, rev limit ${size}`.execute(trx)
        ).rows
        for (const row of rows) walkers.get(row.case_id)?.push(row)
        checked += rows.length
        if (rows.length < size) break
        const end = rows[rows.length - 1]!
        cursor = { caseId: end.case_id, rev: end.rev }
      }
      for (const [caseId, walker] of walkers) {
        const r = walker.finish()
        if (r.ok) continue
        brokenCount++
        if (broken.length < maxReported) broken.push({ caseId, firstBadRev: r.firstBadRev! })
      }
      cases += heads.length
      lastCase = last
      return heads.length < size
    })
    options.onProgress?.({ cases, checked, totalEvents })
    if (done) break
  }
  if (verifyChannel.hasSubscribers) verifyChannel.publish({ scope: "all", ok: brokenCount === 0, cases, checked, broken: brokenCount } satisfies VerifyReport)
  return { ok: brokenCount === 0, cases, checked, broken, brokenCount }
}
