import { describe, expect, it } from "vitest"
import { systemClock, testClock } from "@civicase/core"

describe("testClock", () => {
  it("moves forward by ISO 8601 durations or milliseconds, and tells listeners of each jump", () => {
    const clock = testClock(new Date("2025-03-03T02:00:00.000Z"))
    const jumps: string[] = []
    const off = clock.onJump!(() => jumps.push(clock.now().toISOString()))
    expect(clock.advance("PT1H").toISOString()).toBe("2025-03-03T03:00:00.000Z")
    expect(clock.advance(500).toISOString()).toBe("2025-03-03T03:00:00.500Z")
    expect(clock.set(new Date("2025-03-10T00:00:00.000Z")).toISOString()).toBe("2025-03-10T00:00:00.000Z")
    off()
    clock.advance("P1D")
    expect(jumps).toEqual(["2025-03-03T03:00:00.000Z", "2025-03-03T03:00:00.500Z", "2025-03-10T00:00:00.000Z"])
    expect(clock.now().toISOString()).toBe("2025-03-11T00:00:00.000Z")
  })

  it("refuses to go backwards or to an invalid time, naming the value", () => {
    const clock = testClock(new Date("2025-03-03T02:00:00.000Z"))
    expect(() => clock.advance(-1)).toThrow("a test clock moves forward only, by a finite amount, got -1")
    expect(() => clock.advance(Number.POSITIVE_INFINITY)).toThrow("got Infinity")
    expect(() => clock.advance("P1M")).toThrow('"P1M" is not an ISO 8601 duration')
    expect(() => clock.set(new Date("2025-03-01T00:00:00.000Z"))).toThrow("2025-03-01T00:00:00.000Z is before 2025-03-03T02:00:00.000Z")
    expect(() => clock.set(new Date("garbage"))).toThrow("a test clock is set to a valid Date, got Invalid Date")
    expect(() => testClock(new Date(Number.NaN))).toThrow("a test clock starts at a valid Date")
    expect(clock.now().toISOString()).toBe("2025-03-03T02:00:00.000Z")
  })

  it("hands out copies, so a caller cannot move time by mutating a Date", () => {
    const clock = testClock(new Date("2025-03-03T02:00:00.000Z"))
    clock.now().setUTCFullYear(2030)
    expect(clock.now().getUTCFullYear()).toBe(2025)
    expect(systemClock.now().getTime()).toBeGreaterThan(Date.parse("2025-01-01"))
  })
})
