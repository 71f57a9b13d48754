import { type Kysely, sql } from "kysely"
import type { Clock } from "../clock/clock.js"
import type { CommittedTransition } from "../engine/types.js"
import type { Logger } from "../engine/logger.js"
import type { CivicaseDatabase } from "../storage/schema.js"

/** Options of the timer scheduler. */
export interface SchedulerOptions {
  /**
   * The longest the scheduler sleeps without looking at the table, in
   * milliseconds (default 5000). It wakes earlier at the next due time it
   * knows of, and at once when this engine schedules an earlier timer; the
   * cap only bounds how late it notices timers written by another process.
   */
  readonly maxIdleMs?: number
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

/**
 * Fires due timers. Each timer is claimed in its own transaction with
 * `FOR UPDATE SKIP LOCKED` and delivered in that same transaction, so the
 * transition and the timer's removal commit together: two engines on one
 * database never fire a timer twice, and a crash before commit leaves the
 * timer to fire later.
 */
export class TimerScheduler {
  private sleeper: ReturnType<typeof setTimeout> | undefined
  private running: Promise<void> | undefined
  private again = false
  private stopped = true
  private unsubscribeJump: (() => void) | undefined
  private readonly maxIdleMs: number

  constructor(
    private readonly db: Kysely<CivicaseDatabase>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly deliver: DeliverTimer,
    private readonly published: (t: CommittedTransition) => void,
    options: SchedulerOptions = {},
  ) {
    this.maxIdleMs = options.maxIdleMs ?? 5000
  }

  /** Starts firing: everything already due fires now, in due order. */
  start(): void {
    if (!this.stopped) return
    this.stopped = false
    this.unsubscribeJump = this.clock.onJump?.(() => this.poke())
    this.poke()
  }

  /** Stops after the timer being delivered, if any, commits. */
  async stop(): Promise<void> {
    this.stopped = true
    this.unsubscribeJump?.()
    if (this.sleeper) clearTimeout(this.sleeper)
    await this.running
  }

  /** Looks at the table again now (a timer was scheduled, or time jumped). */
  poke(): void {
    if (this.stopped) return
    if (this.running) {
      this.again = true
      return
    }
    if (this.sleeper) clearTimeout(this.sleeper)
    this.running = this.loop().finally(() => {
      this.running = undefined
    })
  }

  /** Wakes by `dueAt` at the latest. */
  wakeBy(dueAt: Date): void {
    if (this.stopped) return
    if (dueAt.getTime() <= this.clock.now().getTime()) this.poke()
    else if (!this.running) this.sleepUntil(dueAt)
  }

  private sleepUntil(next: Date | undefined): void {
    if (this.stopped) return
    if (this.sleeper) clearTimeout(this.sleeper)
    const wait = next ? Math.max(0, Math.min(this.maxIdleMs, next.getTime() - this.clock.now().getTime())) : this.maxIdleMs
    this.sleeper = setTimeout(() => this.poke(), wait)
    this.sleeper.unref?.()
  }

  private async loop(): Promise<void> {
    do {
      this.again = false
      try {
        await this.fireDue()
      } catch (e) {
        this.logger.error("timer scheduler pass failed; retrying", { error: (e as Error).message })
      }
    } while (this.again && !this.stopped)
    if (this.stopped) return
    try {
      const r = await sql<{ next: Date | null }>`select min(due_at) as next from civicase_timers`.execute(this.db)
      const next = r.rows[0]?.next
      this.sleepUntil(next ? new Date(next) : undefined)
    } catch {
      this.sleepUntil(undefined)
    }
  }

  /** Fires every timer due now, one transaction each; returns how many fired. */
  async fireDue(): Promise<number> {
    let fired = 0
    for (;;) {
      if (this.stopped && this.running) break
      const now = this.clock.now().toISOString()
      let committed: CommittedTransition | undefined
      const claimed = await this.db.transaction().execute(async (trx) => {
        const r = await sql<ClaimedTimer>`select case_id, id, name, event, due_at from civicase_timers
          where due_at <= ${now}::timestamptz order by due_at, case_id, id limit 1 for update skip locked`.execute(trx)
        const timer = r.rows[0]
        if (!timer) return false
        committed = await this.deliver(trx, timer)
        return true
      })
      if (!claimed) break
      if (committed) {
        fired++
        this.published(committed)
      }
    }
    return fired
  }
}
