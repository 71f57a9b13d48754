import { sql } from "kysely"
import { afterAll, describe, expect, it } from "vitest"
import { type Engine, createEngine, silentLogger, testClock } from "@civicase/core"
import { demoActors as A } from "@civicase/core/testing"
import { postgresTarget } from "./stores.js"
import { expiryWorkflow, inBatches } from "./timers-fixtures.js"

const url = process.env.DATABASE_URL

describe.runIf(url)("timers on one PostgreSQL database shared by two engines", () => {
  const cleanup: Array<() => Promise<void>> = []
  afterAll(async () => {
    for (const c of cleanup.splice(0).reverse()) await c()
  })

  async function twoEngines(options: { scheduler: boolean }) {
    const handle = await postgresTarget(url!).fresh()
    const clock = testClock(new Date("2025-03-03T02:00:00.000Z"))
    const workflows = [expiryWorkflow("PT1M")]
    // NOTIFY channels are database-wide, not per schema: keep thousands of commits off other test files' listeners.
    const a = createEngine({ store: handle.driver, workflows, clock, scheduler: options.scheduler, logger: silentLogger, notify: false })
    await a.start()
    const b = createEngine({ store: handle.reopen(), workflows, clock, scheduler: options.scheduler, logger: silentLogger, notify: false })
    await b.start()
    cleanup.push(async () => {
      await a.close()
      await b.close()
      await handle.dispose()
    })
    return { a, b, clock }
  }

  async function createMany(engine: Engine, n: number): Promise<string[]> {
    const ids: string[] = []
    await inBatches(Array.from({ length: n }, (_, i) => i), 16, async (i) => {
      ids.push((await engine.createCase("expiry", { title: `c${i}` }, A.officer)).id)
    })
    return ids
  }

  async function firedCounts(engine: Engine) {
    const r = await sql<{ cases: number; rows: number; max_per_case: number; timers: number; outbox: number }>`
      select count(distinct case_id)::int as cases, count(*)::int as rows,
        coalesce(max(n), 0)::int as max_per_case,
        (select count(*)::int from civicase_timers) as timers,
        (select count(*)::int from civicase_outbox where topic = 'expiry.expired') as outbox
      from (select case_id, count(*) over (partition by case_id) as n from civicase_history
            where meta->>'deadline' = 'expiry' and type = 'xstate.after.expiry.expiry.waiting' and actor->>'id' = 'system') h`.execute(engine.db)
    return r.rows[0]!
  }

  it("fires 1,000 due timers exactly once when both run runDueTimers() at the same time", async () => {
    const { a, b, clock } = await twoEngines({ scheduler: false })
    const ids = await createMany(a, 1000)
    expect(await a.runDueTimers()).toBe(0)
    clock.advance("PT2M")
    const t0 = performance.now()
    const [fa, fb] = await Promise.all([a.runDueTimers(), b.runDueTimers()])
    const ms = performance.now() - t0
    console.info(`1,000 timers fired by two engines in ${ms.toFixed(0)} ms (a: ${fa}, b: ${fb})`)
    expect(fa + fb).toBe(1000)
    expect(fa).toBeGreaterThan(0)
    expect(fb).toBeGreaterThan(0)
    expect(await firedCounts(a)).toEqual({ cases: 1000, rows: 1000, max_per_case: 1, timers: 0, outbox: 1000 })
    const states = await sql<{ state: string; n: number }>`select state, count(*)::int as n from civicase_cases where id = any(${ids}::uuid[]) group by state`.execute(a.db)
    expect(states.rows).toEqual([{ state: "expired", n: 1000 }])
    expect(await Promise.all([a.runDueTimers(), b.runDueTimers()])).toEqual([0, 0])
  })

  it("while people act on the same cases, each case ends once: by its deadline or by the person", async () => {
    const { a, b, clock } = await twoEngines({ scheduler: false })
    const ids = await createMany(a, 300)
    clock.advance("PT2M")
    const resolving = ids.filter((_, i) => i % 3 === 0)
    const outcomes = await Promise.allSettled([
      a.runDueTimers(),
      b.runDueTimers(),
      ...resolving.map((id, i) => (i % 2 ? a : b).send(id, { type: "RESOLVE" }, A.officer)),
    ])
    // A person who lost the race finds the case already expired: a typed refusal, not a failure.
    for (const o of outcomes) if (o.status === "rejected") expect(o.reason.code).toBe("CIVICASE_E_CASE_CLOSED")
    for (let i = 0; i < 3 && (await firedCounts(a)).timers > 0; i++) await a.runDueTimers()
    const r = await sql<{ state: string; n: number; events: number }>`
      select c.state, count(*)::int as n, sum((select count(*) from civicase_history h where h.case_id = c.id and h.rev > 1))::int as events
      from civicase_cases c group by c.state order by c.state`.execute(a.db)
    const byState = Object.fromEntries(r.rows.map((row) => [row.state, row]))
    expect((byState.expired?.n ?? 0) + (byState.resolved?.n ?? 0)).toBe(300)
    // Exactly one event after creation on every case: never both the deadline and the person.
    expect((byState.expired?.events ?? 0) + (byState.resolved?.events ?? 0)).toBe(300)
    expect(byState.resolved?.n ?? 0).toBe(outcomes.filter((o, i) => i >= 2 && o.status === "fulfilled").length)
    expect((await firedCounts(a)).timers).toBe(0)
  })

  it("fires 500 due timers exactly once from both running schedulers when the shared clock jumps", async () => {
    const { a, b, clock } = await twoEngines({ scheduler: true })
    await createMany(a, 500)
    const seen = { a: 0, b: 0 }
    a.subscribe((t) => t.actor.id === "system" && seen.a++)
    b.subscribe((t) => t.actor.id === "system" && seen.b++)
    clock.advance("PT2M")
    const deadline = Date.now() + 30_000
    while (seen.a + seen.b < 500 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    expect(seen.a + seen.b).toBe(500)
    expect(await firedCounts(a)).toEqual({ cases: 500, rows: 500, max_per_case: 1, timers: 0, outbox: 500 })
  })
})
