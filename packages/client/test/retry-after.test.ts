import { describe, expect, it } from "vitest"
import { retryAfterMs } from "../src/retry-after.js"
import { retryPolicy } from "../src/retry-policy.js"

describe("Retry-After and the retry policy", () => {
  it("reads delta-seconds and HTTP dates, and nothing else", () => {
    const now = Date.parse("2026-11-29T10:00:00Z")
    expect(retryAfterMs("3", now)).toBe(3000)
    expect(retryAfterMs(" 0 ", now)).toBe(0)
    expect(retryAfterMs("Sun, 29 Nov 2026 10:00:30 GMT", now)).toBe(30_000)
    expect(retryAfterMs("Sun, 29 Nov 2026 09:00:00 GMT", now)).toBe(0)
    expect(retryAfterMs("-1", now)).toBeUndefined()
    expect(retryAfterMs("soon", now)).toBeUndefined()
    expect(retryAfterMs(null, now)).toBeUndefined()
  })

  it("fills defaults and names a bad option", () => {
    expect(retryPolicy(undefined)).toEqual({ max: 3, minDelayMs: 200, maxDelayMs: 30_000 })
    expect(retryPolicy(0).max).toBe(0)
    expect(() => retryPolicy({ minDelayMs: 1.5 })).toThrow(/retries\.minDelayMs/)
  })
})
