import { type Kysely, sql } from "kysely"
import type { Clock } from "../clock/clock.js"
import { WakeupLoop } from "../clock/wakeup-loop.js"
import type { Logger } from "../engine/logger.js"
import { InvalidConfigError } from "../errors/errors.js"
import type { CivicaseDatabase } from "../storage/schema.js"
import { type BackoffOptions, retryDelay } from "./backoff.js"
import { type Notifier, type OutboxDelivery, acceptsTopic } from "./notifier.js"
import { tracedDelivery } from "../observe/traced-delivery.js"

/**
 * Options of the outbox dispatcher (`createEngine({ outbox })`).
 *
 * @example
 * createEngine({ store, workflows, notifiers: [hook], outbox: { maxAttempts: 12, maxDelayMs: 3_600_000 } })
 */
export interface OutboxOptions extends BackoffOptions {
  /** Deliver in the background in this process (default true when there are notifiers). `engine.outbox.dispatch()` works either way. */
  readonly enabled?: boolean
  /** After this many failed attempts a row is `failed` and left for an operator; default 10. */
  readonly maxAttempts?: number
  /**
   * How long a claimed row stays invisible to other dispatchers while this one
   * delivers it, in milliseconds; default 60000. Keep it above the notifiers'
   * timeouts: a delivery outliving its lease may be repeated by another engine.
   */
  readonly leaseMs?: number
  /** Rows claimed per statement; default 20. */
  readonly batchSize?: number
  /**
   * The longest the dispatcher sleeps without looking at the table, in
   * milliseconds (default 10000). It wakes at once after this engine commits
   * outbox rows and at the next retry time it knows of; the cap bounds how
   * late it notices rows written by another process.
   */
  readonly maxIdleMs?: number
}

/** What one dispatch pass did. */
export interface DispatchResult {
  readonly delivered: number
  /** Failed attempts that will be tried again. */
  readonly retried: number
  /** Rows that reached `maxAttempts` in this pass. */
  readonly failed: number
  /** Rows no notifier took (no channel for their topic or recipients): left `unrouted`, visible to operators. */
  readonly unrouted: number
}

interface ClaimedRow {
  id: string
  case_id: string
  rev: number
  topic: string
  payload: unknown
  attempts: number
  created_at: Date | string
}

const iso = (d: Date) => d.toISOString()

/**
 * Delivers outbox rows to notifiers after commit. A row is claimed by one
 * statement (`FOR UPDATE SKIP LOCKED`, then its `next_attempt_at` pushed a
 * lease ahead and `attempts` counted), delivered outside any transaction, and
 * then marked delivered (or `unrouted` when no notifier took it), or rescheduled with exponential backoff, or `failed`
 * after `maxAttempts`. Two engines on one database never hold the same row at
 * once; a crash during delivery leaves the row to be retried when its lease
 * ends, so delivery is at least once and receivers deduplicate on the row id.
 */
export class OutboxDispatcher {
  private readonly loop: WakeupLoop
  private readonly maxAttempts: number
  private readonly leaseMs: number
  private readonly batchSize: number

  constructor(
    private readonly db: Kysely<CivicaseDatabase>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly notifiers: ReadonlyArray<Notifier>,
    private readonly options: OutboxOptions = {},
  ) {
    this.maxAttempts = positiveInt(options.maxAttempts, 10, "maxAttempts")
    this.leaseMs = positiveInt(options.leaseMs, 60_000, "leaseMs")
    this.batchSize = positiveInt(options.batchSize, 20, "batchSize")
    this.loop = new WakeupLoop({
      clock,
      maxIdleMs: positiveInt(options.maxIdleMs, 10_000, "maxIdleMs"),
      pass: () => this.dispatchDue(),
      passFailed: (e) => this.logger.error({ error: (e as Error).message }, "outbox dispatch pass failed; retrying"),
      nextDue: () => this.nextAttempt(),
    })
  }

  /** Starts background delivery: everything already due (left by a crash, say) goes now. */
  start(): void {
    if (this.notifiers.length === 0) return
    this.loop.start()
  }

  /** Stops after the deliveries in flight finish. */
  async stop(): Promise<void> {
    await this.loop.stop()
  }

  /** Looks at the table now (this engine committed outbox rows, or time jumped). */
  poke(): void {
    this.loop.poke()
  }

  /** When the earliest pending row is due (engine clock, ms). */
  private async nextAttempt(): Promise<number | undefined> {
    const r = await sql<{ next: Date | string | null }>`select min(next_attempt_at) as next from civicase_outbox where status = 'pending'`.execute(this.db)
    return r.rows[0]?.next ? new Date(r.rows[0].next).getTime() : undefined
  }

  /** Delivers every row due now, batch by batch, and reports what happened. */
  async dispatchDue(): Promise<DispatchResult> {
    const total = { delivered: 0, retried: 0, failed: 0, unrouted: 0 }
    if (this.notifiers.length === 0) return total
    for (;;) {
      const rows = await this.claim()
      if (rows.length === 0) break
      for (const row of rows) {
        const outcome = await tracedDelivery(row, this.clock, () => this.deliverOne(row))
        total[outcome]++
      }
      if (rows.length < this.batchSize) break
    }
    return total
  }

  private async claim(): Promise<ClaimedRow[]> {
    const now = this.clock.now()
    const leaseUntil = new Date(now.getTime() + this.leaseMs)
    const r = await sql<ClaimedRow>`with due as (
        select id from civicase_outbox where status = 'pending' and next_attempt_at <= ${iso(now)}::timestamptz
        order by next_attempt_at, created_at, id limit ${this.batchSize} for update skip locked)
      update civicase_outbox o set attempts = o.attempts + 1, next_attempt_at = ${iso(leaseUntil)}::timestamptz
      from due where o.id = due.id
      returning o.id, o.case_id, o.rev, o.topic, o.payload, o.attempts, o.created_at`.execute(this.db)
    // Oldest first, so a case's messages go out in rev order when nothing fails.
    return r.rows.sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime() || a.rev - b.rev)
  }

  private async deliverOne(row: ClaimedRow): Promise<keyof DispatchResult> {
    const message: OutboxDelivery = {
      id: row.id,
      caseId: row.case_id,
      rev: row.rev,
      topic: row.topic,
      payload: row.payload,
      attempt: row.attempts,
      createdAt: new Date(row.created_at).toISOString(),
    }
    let failure: string | undefined
    let routed = false
    for (const notifier of this.notifiers) {
      if (!acceptsTopic(notifier, row.topic)) continue
      try {
        if ((await notifier.deliver(message)) !== "unrouted") routed = true
      } catch (e) {
        failure = `${notifier.name}: ${e instanceof Error ? e.message : String(e)}`.slice(0, 2000)
        break
      }
    }
    const now = this.clock.now()
    if (failure === undefined && !routed) {
      // Nobody was told: say so instead of calling it delivered. `outbox.retry` sends it again once a channel exists.
      await sql`update civicase_outbox set status = 'unrouted', last_error = ${"no notifier or channel took this message"}
        where id = ${row.id} and attempts = ${row.attempts}`.execute(this.db)
      this.logger.warn({ outboxId: row.id, caseId: row.case_id, topic: row.topic }, "outbox message unrouted: no notifier or channel took it")
      return "unrouted"
    }
    if (failure === undefined) {
      // Guarded by attempts: if our lease ran out and another engine took the row, its outcome wins.
      await sql`update civicase_outbox set status = 'delivered', delivered_at = ${iso(now)}::timestamptz, last_error = null
        where id = ${row.id} and attempts = ${row.attempts}`.execute(this.db)
      return "delivered"
    }
    const giveUp = row.attempts >= this.maxAttempts
    const next = new Date(now.getTime() + retryDelay(row.attempts, this.options))
    await sql`update civicase_outbox set status = ${giveUp ? "failed" : "pending"}, last_error = ${failure}, next_attempt_at = ${iso(next)}::timestamptz
      where id = ${row.id} and attempts = ${row.attempts}`.execute(this.db)
    this.logger.warn(
      { outboxId: row.id, caseId: row.case_id, topic: row.topic, attempt: row.attempts, error: failure },
      giveUp ? "outbox delivery failed for good" : "outbox delivery failed; will retry",
    )
    return giveUp ? "failed" : "retried"
  }
}

function positiveInt(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidConfigError("outbox options", [{ path: `/${name}`, message: `must be a positive integer, got ${String(value)}` }])
  }
  return value
}
