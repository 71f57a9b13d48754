import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, describe, expect, it, vi } from "vitest"
import { type Engine, type EngineOptions, type OutboxDelivery, createEngine, silentLogger, testClock } from "@civicase/core"
import { demoActors as A, demoWorkflow, expectCode } from "@civicase/core/testing"
import { inProcessNotifier, pglite } from "@civicase/adapters"

describe("outbox dispatcher (PGlite)", () => {
  const cleanup: Array<() => Promise<void> | void> = []
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c()
  })

  function engineOn(store: EngineOptions["store"], options: Partial<EngineOptions> = {}): Engine {
    const engine = createEngine({ store, workflows: [demoWorkflow], clock: testClock(), scheduler: false, logger: silentLogger, ...options })
    cleanup.push(() => engine.close())
    return engine
  }

  async function approve(engine: Engine, title = "Kế hoạch") {
    const c = await engine.createCase("demo", { title }, A.officer)
    await engine.send(c.id, { type: "SUBMIT" }, A.head)
    await engine.send(c.id, { type: "APPROVE" }, A.coordinator)
    return c.id
  }

  it("delivers after a crash between commit and delivery, once the store is reopened", async () => {
    const dir = mkdtempSync(join(tmpdir(), "civicase-outbox-"))
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }))
    // First process: commits, but its dispatcher is off; it stops before delivering.
    const seenBefore: OutboxDelivery[] = []
    const first = engineOn(pglite({ dataDir: dir }), { notifiers: [inProcessNotifier((m) => void seenBefore.push(m))], outbox: { enabled: false } })
    const caseId = await approve(first)
    expect(await first.outbox.stats()).toEqual({ pending: 1, delivered: 0, failed: 0, unrouted: 0 })
    await first.close()
    expect(seenBefore).toEqual([])

    // Second process on the same data: delivers on start, without any new commit.
    const seen: OutboxDelivery[] = []
    const second = engineOn(pglite({ dataDir: dir }), { notifiers: [inProcessNotifier((m) => void seen.push(m))] })
    await second.start()
    await vi.waitFor(() => expect(seen).toHaveLength(1), { timeout: 10_000 })
    expect(seen[0]).toMatchObject({ caseId, rev: 3, topic: "demo.approved", attempt: 1, payload: { type: "demo.approved", title: "Kế hoạch" } })
    await vi.waitFor(async () => expect(await second.outbox.stats()).toEqual({ pending: 0, delivered: 1, failed: 0, unrouted: 0 }))
  })

  it("marks a row failed after maxAttempts with its last error, and an operator can send it back", async () => {
    const clock = testClock()
    let down = true
    const calls: number[] = []
    const engine = engineOn(pglite(), {
      clock,
      notifiers: [
        inProcessNotifier((m) => {
          calls.push(m.attempt)
          if (down) throw new Error("portal unreachable")
        }, { name: "portal" }),
      ],
      outbox: { enabled: false, maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 5000 },
    })
    await approve(engine)
    expect(await engine.outbox.dispatch()).toEqual({ delivered: 0, retried: 1, failed: 0, unrouted: 0 })
    clock.advance("PT5S")
    expect(await engine.outbox.dispatch()).toEqual({ delivered: 0, retried: 1, failed: 0, unrouted: 0 })
    clock.advance("PT5S")
    expect(await engine.outbox.dispatch()).toEqual({ delivered: 0, retried: 0, failed: 1, unrouted: 0 })
    clock.advance("PT1H")
    expect(await engine.outbox.dispatch()).toEqual({ delivered: 0, retried: 0, failed: 0, unrouted: 0 })
    expect(calls).toEqual([1, 2, 3])
    const { items } = await engine.outbox.list({ status: "failed" })
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({ topic: "demo.approved", attempts: 3, lastError: "portal: portal unreachable", deliveredAt: null })

    down = false
    expect(await engine.outbox.retry(items[0]!.id)).toBe(true)
    expect(await engine.outbox.dispatch()).toEqual({ delivered: 1, retried: 0, failed: 0, unrouted: 0 })
    expect(await engine.outbox.retry(items[0]!.id)).toBe(false)
    expect((await engine.outbox.list({ status: "delivered" })).items[0]).toMatchObject({ id: items[0]!.id, attempts: 1, lastError: null })
  })

  it("routes by topic, pages the operator list, and rejects bad filters by path", async () => {
    const approved: string[] = []
    const reminders: string[] = []
    const engine = engineOn(pglite(), {
      notifiers: [inProcessNotifier((m) => void approved.push(m.topic), { topics: ["demo.approved"] }), inProcessNotifier((m) => void reminders.push(m.topic), { topics: ["demo.rem*"] })],
      outbox: { enabled: false },
    })
    await approve(engine, "một")
    await approve(engine, "hai")
    await approve(engine, "ba")
    expect(await engine.outbox.dispatch()).toEqual({ delivered: 3, retried: 0, failed: 0, unrouted: 0 })
    expect(approved).toEqual(["demo.approved", "demo.approved", "demo.approved"])
    expect(reminders).toEqual([])
    const page1 = await engine.outbox.list({ limit: 2 })
    expect(page1.items).toHaveLength(2)
    const page2 = await engine.outbox.list({ limit: 2, cursor: page1.nextCursor })
    expect(page2.items).toHaveLength(1)
    expect(page2.nextCursor).toBeUndefined()
    expect(new Set([...page1.items, ...page2.items].map((i) => i.id)).size).toBe(3)
    const e = await expectCode(engine.outbox.list({ status: "lost" as never, limit: 0 }), "CIVICASE_E_VALIDATION")
    expect(e.issues.map((i: { path: string }) => i.path)).toEqual(["/status", "/limit"])
    await expectCode(engine.outbox.list({ cursor: "nonsense" }), "CIVICASE_E_VALIDATION")
    expect(() => createEngine({ store: pglite(), outbox: { maxAttempts: 0 } })).toThrow(/\/maxAttempts: must be a positive integer/)
  })
})
