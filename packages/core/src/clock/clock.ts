import { parseIsoDuration } from "../timers/duration.js"

/**
 * Where the engine reads the time. Everything time-dependent (history
 * timestamps, deadline due times, the timer scheduler) asks the clock, so tests
 * and simulations can move time without waiting.
 *
 * @example
 * const clock = testClock(new Date("2025-03-03T01:00:00Z"))
 * clock.advance("P3D")
 */
export interface Clock {
  now(): Date
  /**
   * Calls `listener` whenever time jumps (a test clock moving forward), so
   * waiters such as the timer scheduler can look again at once.
   */
  onJump?(listener: () => void): () => void
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() }

/** A clock that only moves when told to. */
export interface TestClock extends Clock {
  /** Moves time forward by milliseconds or an ISO 8601 duration (`"PT1H"`, `"P3D"`). */
  advance(by: number | string): Date
  /** Sets the time; it may not move backwards. */
  set(to: Date): Date
}

/**
 * A manual clock for tests and simulations, starting at `start`.
 *
 * @example
 * const clock = testClock(new Date("2025-01-06T02:00:00Z"))
 * const engine = createEngine({ store, workflows, clock })
 * clock.advance("PT2H") // due timers fire on the next scheduler pass
 */
export function testClock(start: Date = new Date("2025-01-06T02:00:00.000Z")): TestClock {
  if (!(start instanceof Date) || Number.isNaN(start.getTime())) throw new RangeError(`a test clock starts at a valid Date, got ${String(start)}`)
  let current = start.getTime()
  const listeners = new Set<() => void>()
  const jump = () => {
    for (const l of [...listeners]) l()
  }
  return {
    now: () => new Date(current),
    advance(by) {
      const ms = typeof by === "number" ? by : parseIsoDuration(by)
      if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`a test clock moves forward only, by a finite amount, got ${String(by)}`)
      current += ms
      jump()
      return new Date(current)
    },
    set(to) {
      if (!(to instanceof Date) || Number.isNaN(to.getTime())) throw new RangeError(`a test clock is set to a valid Date, got ${String(to)}`)
      if (to.getTime() < current) throw new RangeError(`a test clock moves forward only: ${to.toISOString()} is before ${new Date(current).toISOString()}`)
      current = to.getTime()
      jump()
      return new Date(current)
    },
    onJump(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
