import { afterAll, describe, expect, it } from "vitest"
import { type Engine, createEngine, silentLogger, testClock } from "@civicase/core"
import { type StoreHandle, demoActors as A, demoWorkflow } from "@civicase/core/testing"
import { inProcessNotifier } from "@civicase/adapters"
import { postgresTarget } from "./stores.js"

const url = process.env.DATABASE_URL

describe.runIf(url)("outbox on a PostgreSQL server", () => {
  let handle: StoreHandle
  const engines: Engine[] = []
  afterAll(async () => {
    for (const e of engines) await e.close()
    await handle?.dispose()
  })

  it("two dispatchers on one database deliver each row exactly once", async () => {
    handle = await postgresTarget(url!).fresh({ durable: true })
    const clock = testClock()
    const deliveries: Array<{ engine: string; id: string }> = []
    const make = (name: string, driver = handle.reopen()) => {
      const engine = createEngine({
        store: driver,
        workflows: [demoWorkflow],
        clock,
        scheduler: false,
        logger: silentLogger,
        notifiers: [
          inProcessNotifier(async (m) => {
            deliveries.push({ engine: name, id: m.id })
            // Yield so the other dispatcher's claim runs while this row is held.
            await new Promise((r) => setTimeout(r, 2))
          }),
        ],
        outbox: { enabled: false, batchSize: 3 },
      })
      engines.push(engine)
      return engine
    }
    const one = make("one", handle.driver)
    const two = make("two")
    const ids = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const c = await one.createCase("demo", { title: `Nhiệm vụ ${i}` }, A.officer)
        await one.send(c.id, { type: "SUBMIT" }, A.head)
        await one.send(c.id, { type: "APPROVE" }, A.coordinator)
        return c.id
      }),
    )
    expect(await one.outbox.stats()).toEqual({ pending: 30, delivered: 0, failed: 0, unrouted: 0 })
    const results = await Promise.all([one.outbox.dispatch(), two.outbox.dispatch(), one.outbox.dispatch(), two.outbox.dispatch()])
    expect(results.reduce((n, r) => n + r.delivered, 0)).toBe(30)
    expect(deliveries).toHaveLength(30)
    expect(new Set(deliveries.map((d) => d.id)).size).toBe(30)
    // Both took part (the split itself is up to the database).
    expect(new Set(deliveries.map((d) => d.engine)).size).toBe(2)
    expect(await two.outbox.stats()).toEqual({ pending: 0, delivered: 30, failed: 0, unrouted: 0 })
    const caseIds = new Set((await two.outbox.list({ limit: 500 })).items.map((i) => i.caseId))
    expect(caseIds).toEqual(new Set(ids))
  })
})
