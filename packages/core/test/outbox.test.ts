import { describe, expect, it } from "vitest"
import { type Notifier, acceptsTopic, retryDelay } from "@civicase/core"

describe("outbox backoff and routing", () => {
  it("doubles the delay per attempt, randomises the jitter share, and caps it", () => {
    expect([1, 2, 3, 4].map((n) => retryDelay(n, { jitter: 0 }))).toEqual([1000, 2000, 4000, 8000])
    expect(retryDelay(3, {}, () => 0)).toBe(2000)
    expect(retryDelay(3, {}, () => 1)).toBe(4000)
    expect(retryDelay(3, { jitter: 1 }, () => 0.25)).toBe(1000)
    expect(retryDelay(40, {}, () => 1)).toBe(15 * 60_000)
    expect(retryDelay(1000, { baseDelayMs: 500, maxDelayMs: 60_000 }, () => 1)).toBe(60_000)
    const spread = new Set(Array.from({ length: 50 }, () => retryDelay(5)))
    expect(spread.size).toBeGreaterThan(1)
    for (const d of spread) expect(d).toBeGreaterThanOrEqual(8000)
  })

  it("routes topics by exact name or prefix", () => {
    const n = (topics?: string[]): Notifier => ({ name: "n", topics, deliver: async () => {} })
    expect(acceptsTopic(n(), "anything")).toBe(true)
    expect(acceptsTopic(n(["press.*"]), "press.escalated")).toBe(true)
    expect(acceptsTopic(n(["press.*"]), "violation.opened")).toBe(false)
    expect(acceptsTopic(n(["demo.approved"]), "demo.approved.v2")).toBe(false)
  })
})
