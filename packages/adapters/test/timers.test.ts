import { sql } from "kysely"
import { afterEach, describe, expect, it } from "vitest"
import { emit, setup } from "xstate"
import { type Engine, type EngineOptions, createEngine, defineWorkflow, silentLogger, systemClock, testClock } from "@civicase/core"
import { demoActors as A, demoWorkflow, expectCode } from "@civicase/core/testing"
import { pglite } from "@civicase/adapters"
import { expiryWorkflow, recordingDriver } from "./timers-fixtures.js"

const monday = new Date("2025-03-03T02:00:00.000Z") // Monday 09:00 in Hà Nội

describe("timers on PGlite", () => {
  const open: Engine[] = []
  afterEach(async () => {
    for (const engine of open.splice(0)) await engine.close()
  })

  async function engineWith(options: Partial<EngineOptions> = {}) {
    const clock = testClock(monday)
    const engine = createEngine({ store: pglite(), workflows: [demoWorkflow, expiryWorkflow("PT1M")], clock, scheduler: false, logger: silentLogger, ...options })
    open.push(engine)
    await engine.start()
    return { engine, clock }
  }

  async function outboxTopics(engine: Engine, caseId: string) {
    const r = await sql<{ topic: string }>`select topic from civicase_outbox where case_id = ${caseId} order by rev, topic`.execute(engine.db)
    return r.rows.map((row) => row.topic)
  }

  async function timerRows(engine: Engine) {
    return (await sql<{ n: number }>`select count(*)::int as n from civicase_timers`.execute(engine.db)).rows[0]!.n
  }

  describe("engine.testing.advanceTime", () => {
    it("moves the test clock and returns the transitions that fell due, in order", async () => {
      const { engine, clock } = await engineWith()
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      await engine.send(c.id, { type: "SUBMIT" }, A.head)
      expect(await engine.testing.advanceTime("PT59M")).toEqual([])
      const reminder = await engine.testing.advanceTime(60_000)
      expect(clock.now().toISOString()).toBe("2025-03-03T03:00:00.000Z")
      expect(reminder.map((t) => [t.event, t.from, t.to, t.actor.id, t.meta.deadline])).toEqual([
        ["xstate.after.reminder.demo.review", "review", "review", "system", "reminder"],
      ])
      // Thursday 17:00 local is the review deadline; Friday morning it has fired once.
      const late = await engine.testing.advanceTime("P4D")
      expect(late.map((t) => t.meta.deadline)).toEqual(["reviewDeadline"])
      expect(await engine.testing.advanceTime("PT1H")).toHaveLength(1) // the reminder restarted with the review
    })

    it("works with the running scheduler too, each timer reported once", async () => {
      const { engine } = await engineWith({ scheduler: true })
      const ids = []
      for (let i = 0; i < 5; i++) ids.push((await engine.createCase("expiry", { title: `c${i}` }, A.officer)).id)
      const fired = await engine.testing.advanceTime("PT1M")
      expect(fired.map((t) => t.caseId).sort()).toEqual([...ids].sort())
      expect(await timerRows(engine)).toBe(0)
    })

    it("names the problem when the engine does not run on a test clock", async () => {
      const engine = createEngine({ store: pglite(), workflows: [demoWorkflow], clock: systemClock, scheduler: false, logger: silentLogger })
      open.push(engine)
      const e = await expectCode(engine.testing.advanceTime("P3D"), "CIVICASE_E_INVALID_CONFIG")
      expect(e.message).toContain("/clock: engine.testing.advanceTime needs a test clock")
      const { engine: ok } = await engineWith()
      await expect(ok.testing.advanceTime("P1Y")).rejects.toThrow('"P1Y" is not an ISO 8601 duration')
      await expect(ok.testing.advanceTime(-5)).rejects.toThrow("a test clock moves forward only")
    })
  })

  describe("escalations", () => {
    it("a deadline that changes state: recorded in history, emitted to the outbox, timers gone", async () => {
      const { engine } = await engineWith()
      const c = await engine.createCase("expiry", { title: "late" }, A.officer)
      expect(c.deadlines).toMatchObject([{ name: "expiry", label: { en: "Expiry" }, dueAt: "2025-03-03T02:01:00.000Z", event: "xstate.after.expiry.expiry.waiting" }])
      const [t] = await engine.testing.advanceTime("PT1M")
      expect(t).toMatchObject({ from: "waiting", to: "expired", status: "done", emitted: [{ type: "expiry.expired" }] })
      const after = await engine.getCase(c.id, A.officer)
      expect(after).toMatchObject({ state: "expired", status: "done", rev: 2, deadlines: [] })
      const h = await engine.history(c.id, A.officer)
      expect(h[1]).toMatchObject({ rev: 2, type: "xstate.after.expiry.expiry.waiting", from: "waiting", to: "expired", actor: { id: "system" }, meta: { deadline: "expiry" } })
      expect(h[1]!.prevHash).toBe(h[0]!.hash)
      expect(await outboxTopics(engine, c.id)).toEqual(["expiry.expired"])
      expect(await timerRows(engine)).toBe(0)
    })

    it("a deadline that notifies while the case stays where it is", async () => {
      const { engine } = await engineWith()
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      await engine.send(c.id, { type: "SUBMIT" }, A.head)
      const [reminder] = await engine.testing.advanceTime("PT1H")
      expect(reminder).toMatchObject({ from: "review", to: "review", emitted: [{ type: "demo.reminder" }] })
      const [escalation] = await engine.testing.advanceTime("P4D")
      expect(escalation).toMatchObject({ from: "review", to: "review", emitted: [{ type: "demo.escalated" }] })
      const now = await engine.getCase(c.id, A.coordinator)
      expect(now).toMatchObject({ state: "review", rev: 4, context: { escalated: true } })
      // Re-entering the state restarted both of its deadlines from the moment the escalation fired.
      expect(now.deadlines.map((d) => [d.name, d.dueAt])).toEqual([
        ["reminder", "2025-03-07T04:00:00.000Z"],
        ["reviewDeadline", "2025-03-12T10:00:00.000Z"],
      ])
      const h = await engine.history(c.id, A.coordinator)
      expect(h.slice(2).map((r) => [r.type, r.from, r.to, r.meta?.deadline])).toEqual([
        ["xstate.after.reminder.demo.review", "review", "review", "reminder"],
        ["xstate.after.reviewDeadline.demo.review", "review", "review", "reviewDeadline"],
      ])
      expect(await outboxTopics(engine, c.id)).toEqual(["demo.reminder", "demo.escalated"])
      // People can still act on the case: the escalation did not move it.
      expect((await engine.send(c.id, { type: "APPROVE" }, A.coordinator)).state).toBe("approved")
    })
  })

  describe("stale timers", () => {
    it("drops a timer row whose event the case's state no longer accepts, without error or trace", async () => {
      const { engine, clock } = await engineWith()
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      await engine.send(c.id, { type: "SUBMIT" }, A.head)
      await engine.send(c.id, { type: "APPROVE" }, A.coordinator)
      // A row left behind (a crash mid-migration, a hand-edited table): the case is already approved.
      const event = JSON.stringify({ type: "xstate.after.reviewDeadline.demo.review" })
      await sql`insert into civicase_timers (case_id, id, name, event, due_at, rev)
        values (${c.id}, 'xstate.after.reviewDeadline.demo.review', 'reviewDeadline', ${event}::jsonb, ${monday.toISOString()}::timestamptz, 2)`.execute(engine.db)
      const before = await engine.history(c.id, A.head)
      clock.advance("PT1M")
      expect(await engine.runDueTimers()).toBe(0)
      expect(await timerRows(engine)).toBe(0)
      expect(await engine.history(c.id, A.head)).toEqual(before)
      expect((await engine.getCase(c.id, A.head)).rev).toBe(3)
    })

    it("drops timers of a case that is done", async () => {
      const { engine, clock } = await engineWith()
      const done = await engine.createCase("expiry", { title: "resolved" }, A.officer)
      await engine.send(done.id, { type: "RESOLVE" }, A.officer)
      const event = JSON.stringify({ type: "xstate.after.expiry.expiry.waiting" })
      await sql`insert into civicase_timers (case_id, id, name, event, due_at, rev)
        values (${done.id}, 'xstate.after.expiry.expiry.waiting', 'expiry', ${event}::jsonb, ${monday.toISOString()}::timestamptz, 1)`.execute(engine.db)
      clock.advance("PT5M")
      expect(await engine.runDueTimers()).toBe(0)
      expect(await timerRows(engine)).toBe(0)
      expect((await engine.history(done.id, A.officer)).map((h) => h.type)).toEqual(["case.created", "RESOLVE"])
    })

    it("holds back, and does not drop, the timer of a workflow version this engine does not run", async () => {
      const errors: Array<Record<string, unknown> | undefined> = []
      const { engine, clock } = await engineWith({ logger: { ...silentLogger, error: (fields) => errors.push(fields) } })
      const c = await engine.createCase("expiry", { title: "v99" }, A.officer)
      // As if a newer deployment had started it: in a rolling upgrade, the engine that runs v99 will fire it.
      await sql`update civicase_cases set version = 99 where id = ${c.id}`.execute(engine.db)
      clock.advance("PT5M")
      expect(await engine.runDueTimers()).toBe(0)
      expect(await timerRows(engine)).toBe(1)
      expect(errors[0]).toMatchObject({ caseId: c.id, error: "workflow expiry@99 not found" })
    })

    it("fires a timer left and re-entered at its new due time only", async () => {
      const { engine, clock } = await engineWith()
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      await engine.send(c.id, { type: "SUBMIT" }, A.head)
      clock.advance("PT50M")
      await engine.send(c.id, { type: "RETURN", payload: { comment: "thiếu số liệu" } }, A.coordinator)
      clock.advance("PT5M")
      await engine.send(c.id, { type: "SUBMIT" }, A.head)
      const again = await engine.getCase(c.id, A.head)
      expect(again.deadlines.find((d) => d.name === "reminder")!.dueAt).toBe("2025-03-03T03:55:00.000Z")
      expect(await engine.testing.advanceTime("PT10M")).toEqual([]) // 03:05: the first reminder's time has passed, unfired
      expect((await engine.testing.advanceTime("PT50M")).map((t) => t.meta.deadline)).toEqual(["reminder"])
    })
  })

  describe("failures", () => {
    it("holds back a timer whose delivery throws, and fires the others", async () => {
      const errors: string[] = []
      const logger = { ...silentLogger, error: (_fields: unknown, message: string) => errors.push(message) }
      const { engine, clock } = await engineWith({ logger, scheduler: { retryDelayMs: 600_000 } })
      const boom = await engine.createCase("expiry", { title: "boom" }, A.officer)
      const fine = await engine.createCase("expiry", { title: "fine" }, A.officer)
      const fired = await engine.testing.advanceTime("PT1M")
      expect(fired.map((t) => t.caseId)).toEqual([fine.id])
      expect(errors).toEqual(["timer delivery failed; holding it back"])
      expect((await engine.getCase(boom.id, A.officer)).state).toBe("waiting")
      const held = await sql<{ locked_until: Date }>`select locked_until from civicase_timers where case_id = ${boom.id}`.execute(engine.db)
      expect(new Date(held.rows[0]!.locked_until).toISOString()).toBe(new Date(clock.now().getTime() + 600_000).toISOString())
      expect(await engine.testing.advanceTime("PT5M")).toEqual([]) // still held back: not retried in a tight loop
      expect(await engine.testing.advanceTime("PT5M")).toEqual([]) // retried at the end of the hold-back, fails again
      expect(errors).toHaveLength(2)
    })
  })

  it("delivers a zero-length deadline that re-enters its own state once per pass, not forever", async () => {
    const machine = setup({ delays: { tick: 0 } }).createMachine({
      id: "tick",
      initial: "ticking",
      states: { ticking: { after: { tick: { target: "ticking", reenter: true, actions: emit({ type: "tick.fired" }) } } } },
    })
    const tick = defineWorkflow({
      id: "tick",
      version: 1,
      machine,
      events: {},
      permissions: {},
      deadlines: { tick: { label: { vi: "Nhịp", en: "Tick" }, duration: "PT0S" } },
      labels: { title: { vi: "Nhịp", en: "Tick" } },
    })
    const { engine } = await engineWith({ workflows: [tick] })
    const c = await engine.createCase("tick", {}, A.officer)
    expect(await engine.testing.advanceTime(0)).toHaveLength(1)
    expect(await engine.runDueTimers()).toBe(1)
    expect((await engine.getCase(c.id, A.coordinator)).rev).toBe(3)
  })

  describe("waking (system clock)", () => {
    it("wakes at the next due time without polling, and an idle scheduler stays quiet", async () => {
      const { driver, statements } = recordingDriver(pglite())
      // The idle cap is far above the test's span: a timely firing can only come from waking at the due time.
      const engine = createEngine({ store: driver, workflows: [expiryWorkflow("PT0.3S")], scheduler: { maxIdleMs: 60_000 }, logger: silentLogger })
      open.push(engine)
      await engine.start()
      const timerQueries = () => statements.filter((s) => s.includes("civicase_timers")).length
      await new Promise((r) => setTimeout(r, 100))
      const fired = new Promise<{ at: string; realMs: number }>((resolve) =>
        engine.subscribe((t) => t.actor.id === "system" && resolve({ at: t.at, realMs: performance.now() - t0 })),
      )
      const t0 = performance.now()
      const c = await engine.createCase("expiry", { title: "quick" }, A.officer)
      const beforeDue = timerQueries()
      const { at, realMs } = await fired
      const dueAt = Date.parse(c.deadlines[0]!.dueAt)
      expect(Date.parse(at)).toBeGreaterThanOrEqual(dueAt) // never early
      expect(Date.parse(at) - dueAt).toBeLessThan(2000) // and promptly after, even on a loaded machine
      expect(realMs).toBeGreaterThanOrEqual(250)
      // While it waited 0.3 s it looked at the timer table a few times at most (one wake-up: claim, then next-due).
      expect(timerQueries() - beforeDue).toBeLessThanOrEqual(8)
      const idleFrom = timerQueries()
      await new Promise((r) => setTimeout(r, 1000))
      expect(timerQueries() - idleFrom).toBeLessThanOrEqual(2)
      expect((await engine.getCase(c.id, A.officer)).state).toBe("expired")
    })

    it("keeps the earliest wake-up when a later timer is scheduled after it", async () => {
      const workflow = expiryWorkflow(({ context }) => (context.title === "later" ? "PT1H" : "PT0.5S"))
      const engine = createEngine({ store: pglite(), workflows: [workflow], scheduler: { maxIdleMs: 60_000 }, logger: silentLogger })
      open.push(engine)
      await engine.start()
      const fired = new Promise<string>((resolve) => engine.subscribe((t) => t.actor.id === "system" && resolve(t.at)))
      const soon = await engine.createCase("expiry", { title: "soon" }, A.officer)
      await engine.createCase("expiry", { title: "later" }, A.officer)
      // Were the sleeper re-armed for the later timer, this would wait for the 60 s idle cap.
      const at = await Promise.race([fired, new Promise<string>((_, reject) => setTimeout(() => reject(new Error("no timer fired within 10 s")), 10_000))])
      expect(Date.parse(at) - Date.parse(soon.deadlines[0]!.dueAt)).toBeLessThan(5000)
      expect((await engine.getCase(soon.id, A.officer)).state).toBe("expired")
    })
  })
})
