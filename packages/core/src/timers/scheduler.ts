import { type Kysely, sql } from "kysely"
import type { Clock } from "../clock/clock.js"
import { WakeupLoop } from "../clock/wakeup-loop.js"
import type { CommittedTransition } from "../engine/types.js"
import type { Logger } from "../engine/logger.js"
import { classifyDatabaseError } from "../storage/driver.js"
import type { CivicaseDatabase } from "../storage/schema.js"

/**
 * Options of the timer scheduler.
 *
 * @example
 * createEngine({ store, workflows, scheduler: { maxIdleMs: 2000, batchSize: 50 } })
 */
export interface SchedulerOptions {
  /**
   * The longest the scheduler sleeps without looking at the table, in
   * milliseconds (default 5000). It wakes earlier at the next due time it
   * knows of, and at once when this engine schedules an earlier timer; the
   * cap only bounds how late it notices timers written by another process.
   */
  readonly maxIdleMs?: number
  /**
   * Timers claimed per transaction (default 25). One commit per batch instead
   * of one per timer is what makes a backlog fire quickly; a larger batch holds
   * its cases' row locks longer, delaying people's events on those cases.
   */
  readonly batchSize?: number
  /**
   * How long a timer whose delivery threw is held back before it is tried
   * again, in milliseconds of the engine's clock (default 60000), so that one
   * broken timer does not stop the others.
   */
  readonly retryDelayMs?: number
}

/** A claimed timer row. */
export interface ClaimedTimer {
  readonly case_id: string
  readonly id: string
  readonly name: string
  readonly event: unknown
  readonly due_at: Date
}

/** Delivers one timer inside the claiming transaction; undefined when it was stale and dropped. */
export type DeliverTimer = (trx: Kysely<CivicaseDatabase>, timer: ClaimedTimer) => Promise<CommittedTransition | undefined>

const time = (d: Date | string) => new Date(d).getTime()

/**
 * Fires due timers. A transaction claims a small batch of due timers with
 * `FOR UPDATE SKIP LOCKED` and delivers each in that same transaction, so the
 * transitions and the timers' removal commit together: two engines on one
 * database never fire a timer twice, and a crash before commit leaves the
 * timers to fire later. Each delivery runs under a savepoint, so a timer whose
 * delivery throws is rolled back alone and held back for `retryDelayMs`.
 *
 * @example
 * const scheduler = new TimerScheduler(db, clock, logger, deliver, publish, { batchSize: 25 })
 * scheduler.start() // fires what fell due while the process was down, in due order
 */
export class TimerScheduler {
  private readonly loop: WakeupLoop
  private readonly observers = new Set<(t: CommittedTransition) => void>()
  private readonly batchSize: number
  private readonly retryDelayMs: number

  constructor(
    private readonly db: Kysely<CivicaseDatabase>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly deliver: DeliverTimer,
    private readonly published: (t: CommittedTransition) => void,
    options: SchedulerOptions = {},
  ) {
    const maxIdleMs = positive(options.maxIdleMs, 5000, "maxIdleMs")
    this.batchSize = positive(options.batchSize, 25, "batchSize")
    if (!Number.isInteger(this.batchSize)) throw new RangeError(`scheduler batchSize must be a whole number, got ${this.batchSize}`)
    this.retryDelayMs = positive(options.retryDelayMs, 60_000, "retryDelayMs")
    this.loop = new WakeupLoop({
      clock,
      maxIdleMs,
      pass: () => this.fireDue(),
      passFailed: (e) => this.logger.error({ error: (e as Error).message }, "timer scheduler pass failed; retrying"),
      nextDue: () => this.nextClaimable(),
    })
  }

  /** Starts firing: everything already due fires now, in due order. */
  start(): void {
    this.loop.start()
  }

  /** Stops after the batch being delivered, if any, commits. */
  async stop(): Promise<void> {
    await this.loop.stop()
  }

  /** Looks at the table again now (a timer was scheduled, or time jumped). */
  poke(): void {
    this.loop.poke()
  }

  /** Wakes by `dueAt` at the latest (this engine just scheduled a timer due then). */
  wakeBy(dueAt: Date): void {
    this.loop.wakeBy(dueAt)
  }

  /**
   * Calls `observer` with each transition this scheduler commits, until the
   * returned function is called (the engine's `testing.advanceTime` collects them).
   */
  observe(observer: (t: CommittedTransition) => void): () => void {
    this.observers.add(observer)
    return () => this.observers.delete(observer)
  }

  /** Fires what is due now, and waits for a pass of the running loop to end too. */
  async drain(): Promise<number> {
    const [fired] = await Promise.all([this.fireDue(), this.loop.current])
    return fired
  }

  /** The next instant a timer becomes claimable: its due time, or the end of its hold-back. */
  private async nextClaimable(): Promise<number | undefined> {
    const r = await sql<{ next: Date | null }>`select min(greatest(due_at, coalesce(locked_until, due_at))) as next from civicase_timers`.execute(this.db)
    return r.rows[0]?.next ? time(r.rows[0].next) : undefined
  }

  /** Fires every timer due now, a batch per transaction; returns how many fired. */
  async fireDue(): Promise<number> {
    let fired = 0
    // A pass delivers each timer at most once: a deadline of zero length that
    // re-enters its own state would otherwise fire forever without yielding.
    const seen = new Set<string>()
    for (;;) {
      const { claimed, skipped, committed } = await this.fireBatch(seen)
      for (const t of committed) {
        this.published(t)
        for (const o of this.observers) o(t)
      }
      fired += committed.length
      if (claimed < this.batchSize || skipped === claimed) break
    }
    return fired
  }

  private async fireBatch(seen: Set<string>): Promise<{ claimed: number; skipped: number; committed: CommittedTransition[] }> {
    const now = this.clock.now()
    const committed: CommittedTransition[] = []
    let skipped = 0
    const claimed = await this.db.transaction().execute(async (trx) => {
      // Locking the case rows with the timers, in one statement, keeps lock order the
      // same as a person's event (case first): a case being written to is skipped
      // this time instead of deadlocking with its writer.
      const r = await sql<ClaimedTimer>`select t.case_id, t.id, t.name, t.event, t.due_at
        from civicase_timers t join civicase_cases c on c.id = t.case_id
        where t.due_at <= ${now.toISOString()}::timestamptz and (t.locked_until is null or t.locked_until <= ${now.toISOString()}::timestamptz)
        order by t.due_at, t.case_id, t.id limit ${this.batchSize} for update of t, c skip locked`.execute(trx)
      const touched = new Set<string>()
      for (const claim of r.rows) {
        const key = `${claim.case_id} ${claim.id}`
        if (seen.has(key)) {
          skipped++
          continue
        }
        seen.add(key)
        let timer: ClaimedTimer | undefined = claim
        if (touched.has(claim.case_id)) {
          // An earlier timer of this case fired in this batch and may have cancelled or reset this one.
          timer = await current(trx, claim, now)
          if (!timer) continue
        }
        await sql`savepoint civicase_timer`.execute(trx)
        try {
          const t = await this.deliver(trx, timer)
          await sql`release savepoint civicase_timer`.execute(trx)
          if (t) committed.push(t)
          touched.add(timer.case_id)
        } catch (e) {
          await sql`rollback to savepoint civicase_timer`.execute(trx)
          if (classifyDatabaseError(e).kind === "retryable") continue // a concurrent event on the case; claimable again at once
          const until = new Date(now.getTime() + this.retryDelayMs).toISOString()
          await sql`update civicase_timers set locked_until = ${until}::timestamptz where case_id = ${timer.case_id} and id = ${timer.id}`.execute(trx)
          this.logger.error({ caseId: timer.case_id, timer: timer.id, retryAt: until, error: (e as Error).message }, "timer delivery failed; holding it back")
        }
      }
      return r.rows.length
    })
    return { claimed, skipped, committed }
  }
}

/** The claimed timer as it stands now in this transaction, if it still exists and is due. */
async function current(trx: Kysely<CivicaseDatabase>, claim: ClaimedTimer, now: Date): Promise<ClaimedTimer | undefined> {
  const r = await sql<ClaimedTimer>`select case_id, id, name, event, due_at from civicase_timers where case_id = ${claim.case_id} and id = ${claim.id}`.execute(trx)
  const row = r.rows[0]
  return row && time(row.due_at) <= now.getTime() ? row : undefined
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`scheduler ${name} must be a positive number, got ${String(value)}`)
  return value
}
