import type { Clock, TestClock } from "../clock/clock.js"
import type { CommittedTransition } from "../engine/types.js"
import { InvalidConfigError } from "../errors/errors.js"
import type { TimerScheduler } from "./scheduler.js"

/**
 * Helpers for embedders' tests, on `engine.testing`: move virtual time and see
 * deadlines fire, with no real waiting.
 *
 * @example
 * const engine = createEngine({ store: pglite(), workflows, clock: testClock() })
 * const fired = await engine.testing.advanceTime("P3D")
 * fired.map((t) => t.event) // ["xstate.after.reviewDeadline.demo.review"]
 */
export interface EngineTesting {
  /**
   * Moves the engine's test clock forward by an ISO 8601 duration or a number
   * of milliseconds, then fires every timer due by then (including timers
   * those firings schedule within the new time). Resolves with the
   * transitions this engine fired, in commit order. Fails with
   * `InvalidConfigError` when the engine does not run on a `testClock()`.
   */
  advanceTime(by: string | number): Promise<CommittedTransition[]>
}

function isTestClock(clock: Clock): clock is TestClock {
  return typeof (clock as Partial<TestClock>).advance === "function"
}

/** Builds `engine.testing` over the engine's clock and timer scheduler. */
export function engineTesting(clock: Clock, timers: TimerScheduler, ready: () => Promise<void>): EngineTesting {
  return {
    async advanceTime(by) {
      if (!isTestClock(clock)) {
        throw new InvalidConfigError("engine options", [
          { path: "/clock", message: "engine.testing.advanceTime needs a test clock: createEngine({ clock: testClock() }); this engine reads the system clock" },
        ])
      }
      await ready()
      const fired: CommittedTransition[] = []
      const stop = timers.observe((t) => fired.push(t))
      try {
        clock.advance(by)
        await timers.drain()
      } finally {
        stop()
      }
      return fired
    },
  }
}
