import type { Clock } from "./clock.js"

/** What a {@link WakeupLoop} runs and how long it may sleep. */
export interface WakeupLoopOptions {
  readonly clock: Clock
  /** The longest sleep between passes, in milliseconds: it bounds how late work written by another process is noticed. */
  readonly maxIdleMs: number
  /** One pass: does the work due now. */
  readonly pass: () => Promise<unknown>
  /** Called with the error of a pass that threw; the loop goes on. */
  readonly passFailed: (error: unknown) => void
  /** When (engine clock, ms) work next becomes due, as far as the table says; undefined when nothing is pending. */
  readonly nextDue: () => Promise<number | undefined>
}

/**
 * The background loop of the timer scheduler and the outbox dispatcher. It
 * runs a pass at once when poked or when the test clock jumps, then sleeps
 * until the next due time, at most `maxIdleMs`. One pass runs at a time: a
 * poke during a pass runs another pass right after it, and `stop` waits for
 * the running pass.
 *
 * @example
 * const loop = new WakeupLoop({ clock, maxIdleMs: 5000, pass: () => fireDue(), passFailed: log, nextDue: () => nextDueTime(db) })
 * loop.start()
 * loop.poke() // this process just wrote work
 * await loop.stop()
 */
export class WakeupLoop {
  private sleeper: ReturnType<typeof setTimeout> | undefined
  /** When the armed sleeper fires (engine clock, ms). */
  private sleeperAt = Number.POSITIVE_INFINITY
  /** The earliest due time announced by `wakeBy` while a pass was running. */
  private hint = Number.POSITIVE_INFINITY
  private running: Promise<void> | undefined
  private again = false
  private stopped = true
  private unsubscribeJump: (() => void) | undefined

  constructor(private readonly options: WakeupLoopOptions) {}

  /** Starts: the first pass runs now (work already due, left while the process was down, goes first). */
  start(): void {
    if (!this.stopped) return
    this.stopped = false
    this.unsubscribeJump = this.options.clock.onJump?.(() => this.poke())
    this.poke()
  }

  /** Stops waking; resolves when the running pass, if any, ends. */
  async stop(): Promise<void> {
    this.stopped = true
    this.unsubscribeJump?.()
    this.disarm()
    await this.running
  }

  /** Runs a pass now, or right after the running one. */
  poke(): void {
    if (this.stopped) return
    if (this.running) {
      this.again = true
      return
    }
    this.disarm()
    this.running = this.loop().finally(() => {
      this.running = undefined
      // A poke that arrived after the pass's last look must not wait for the sleeper.
      if (this.again) return this.poke()
      // Nor a wake-by hint that arrived after the sleep was armed.
      const hinted = this.hint
      this.hint = Number.POSITIVE_INFINITY
      if (Number.isFinite(hinted) && hinted < this.sleeperAt) this.sleepUntil(hinted)
    })
  }

  /** Wakes by `dueAt` at the latest (this process just wrote work due then). */
  wakeBy(dueAt: Date): void {
    if (this.stopped) return
    const at = dueAt.getTime()
    if (at <= this.options.clock.now().getTime()) this.poke()
    else if (this.running) this.hint = Math.min(this.hint, at)
    else if (at < this.sleeperAt) this.sleepUntil(at)
  }

  /** The running pass, if any (`drain` in tests waits for it). */
  get current(): Promise<void> | undefined {
    return this.running
  }

  private disarm(): void {
    if (this.sleeper) clearTimeout(this.sleeper)
    this.sleeper = undefined
    this.sleeperAt = Number.POSITIVE_INFINITY
  }

  private sleepUntil(next: number | undefined): void {
    if (this.stopped) return
    this.disarm()
    const now = this.options.clock.now().getTime()
    const wait = next === undefined ? this.options.maxIdleMs : Math.max(0, Math.min(this.options.maxIdleMs, next - now))
    this.sleeperAt = now + wait
    this.sleeper = setTimeout(() => {
      this.sleeper = undefined
      this.sleeperAt = Number.POSITIVE_INFINITY
      this.poke()
    }, wait)
    this.sleeper.unref?.()
  }

  private async loop(): Promise<void> {
    do {
      this.again = false
      try {
        await this.options.pass()
      } catch (e) {
        this.options.passFailed(e)
      }
    } while (this.again && !this.stopped)
    if (this.stopped) return
    let next: number | undefined
    try {
      next = await this.options.nextDue()
    } catch {
      // Sleep the idle cap and look again.
    }
    const hinted = this.hint
    this.hint = Number.POSITIVE_INFINITY
    const soonest = Math.min(next ?? Number.POSITIVE_INFINITY, hinted)
    this.sleepUntil(Number.isFinite(soonest) ? soonest : undefined)
  }
}
