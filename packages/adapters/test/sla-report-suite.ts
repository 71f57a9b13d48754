import { afterEach, describe, expect, it } from "vitest"
import { type Engine, type EngineOptions, createEngine, silentLogger, testClock } from "@civicase/core"
import { demoActors as A, demoWorkflow, expectCode } from "@civicase/core/testing"
import type { ContractTarget } from "@civicase/core/testing"

const T0 = new Date("2025-03-03T02:00:00.000Z") // a Monday
const at = (ms: number) => new Date(T0.getTime() + ms).toISOString()
const MIN = 60_000
const HOUR = 60 * MIN

/** The SLA report suite, run against one kind of store (PGlite here, the PostgreSQL server in sla-report.integration.test.ts). */
export function slaReportSuite(name: string, target: ContractTarget): void {
describe(`engine.reports.sla: the SLA report from the database (${name})`, () => {
  const cleanup: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c()
  })

  async function scenario() {
    const store = await target.fresh({ durable: true })
    cleanup.push(store.dispose)
    const clock = testClock(T0)
    const options = (driver = store.driver): EngineOptions => ({ store: driver, workflows: [demoWorkflow], clock, scheduler: false, logger: silentLogger, outbox: { enabled: false } })
    const e = createEngine(options())
    const a = await e.createCase("demo", { title: "A" }, A.officer)
    const b = await e.createCase("demo", { title: "B" }, A.otherOfficer)
    clock.advance("PT30M")
    await e.send(a.id, { type: "SUBMIT" }, A.head)
    await e.send(b.id, { type: "SUBMIT" }, A.otherHead)
    clock.advance("PT2H") // both reminders (1 h) fire: missed
    expect(await e.runDueTimers()).toBe(2)
    await e.send(a.id, { type: "APPROVE" }, A.coordinator) // a moved on before its review deadline: met
    await e.comment(a.id, { text: "Đã duyệt, chờ đóng" }, A.coordinator) // an activity, not a transition: not counted
    clock.advance("P5D") // b's 3-working-day review deadline fires and escalates
    expect(await e.runDueTimers()).toBe(1)
    return { e, a, b, clock, store, options }
  }

  const expected = [
    {
      province: "demo",
      workflow: "demo",
      agency: "agency-a",
      casesByState: { approved: 1 },
      casesDone: 0,
      transitions: 4,
      timeInState: [
        { state: "draft", stints: 1, totalMs: 30 * MIN, averageMs: 30 * MIN, medianMs: 30 * MIN, p90Ms: 30 * MIN },
        { state: "review", stints: 1, totalMs: 2 * HOUR, averageMs: 2 * HOUR, medianMs: 2 * HOUR, p90Ms: 2 * HOUR },
      ],
      deadlines: [
        { name: "reminder", met: 0, missed: 1 },
        { name: "reviewDeadline", met: 1, missed: 0 },
      ],
      escalations: 1,
    },
    {
      province: "demo",
      workflow: "demo",
      agency: "agency-b",
      casesByState: { review: 1 },
      casesDone: 0,
      transitions: 4,
      // Review is still open (the escalation re-entered it): no ended stint yet.
      timeInState: [{ state: "draft", stints: 1, totalMs: 30 * MIN, averageMs: 30 * MIN, medianMs: 30 * MIN, p90Ms: 30 * MIN }],
      deadlines: [
        { name: "reminder", met: 0, missed: 1 },
        { name: "reviewDeadline", met: 0, missed: 1 },
      ],
      escalations: 2,
    },
  ]

  it("counts deadlines met and missed, time in state by the clock, and gives the same figures to a second engine on the reopened store", async () => {
    const { e, a, store, options } = await scenario()
    expect(await e.reports.sla({}, A.coordinator)).toEqual(expected)
    const approve = (await e.history(a.id, A.coordinator)).find((h) => h.type === "APPROVE")
    expect(approve?.meta).toEqual({ deadlinesMet: ["reviewDeadline"] })
    await e.close()

    const again: Engine = createEngine(options(store.reopen()))
    cleanup.push(() => again.close())
    expect(await again.reports.sla({}, A.coordinator)).toEqual(expected)
    expect(await again.reports.sla({ workflow: "demo", agency: "agency-b" }, again.access.systemActor("demo"))).toEqual([expected[1]])
    expect(await again.reports.sla({ workflow: "other" }, A.coordinator)).toEqual([])
  })

  it("an agency officer sees only its agency's row; another province sees nothing", async () => {
    const { e } = await scenario()
    cleanup.push(() => e.close())
    expect(await e.reports.sla({}, A.officer)).toEqual([expected[0]])
    expect(await e.reports.sla({ agency: "agency-a" }, A.head)).toEqual([expected[0]])
    await expectCode(e.reports.sla({ agency: "agency-b" }, A.officer), "CIVICASE_E_FORBIDDEN")
    expect(await e.reports.sla({}, A.foreignCoordinator)).toEqual([])
    expect(await e.reports.sla({ agency: "agency-a" }, A.foreignCoordinator)).toEqual([])
  })

  it("limits history figures to the [from, to) window; case counts stay current", async () => {
    const { e } = await scenario()
    cleanup.push(() => e.close())
    const early = await e.reports.sla({ to: at(HOUR) }, A.coordinator)
    expect(early.map((r) => [r.agency, r.transitions, r.timeInState.map((t) => [t.state, t.totalMs]), r.deadlines, r.escalations])).toEqual([
      ["agency-a", 2, [["draft", 30 * MIN]], [], 0],
      ["agency-b", 2, [["draft", 30 * MIN]], [], 0],
    ])
    expect(early[0]!.casesByState).toEqual({ approved: 1 })
    const late = await e.reports.sla({ from: new Date(T0.getTime() + 3 * HOUR), to: "2025-04-01" }, A.coordinator)
    expect(late.map((r) => [r.agency, r.transitions, r.timeInState, r.deadlines, r.escalations])).toEqual([
      ["agency-a", 0, [], [], 0],
      ["agency-b", 1, [], [{ name: "reviewDeadline", met: 0, missed: 1 }], 1],
    ])
  })

  it("a deadline the case leaves after its due time, before the timer fired, is missed", async () => {
    const clock = testClock(T0)
    const store = await target.fresh()
    const e = createEngine({ store: store.driver, workflows: [demoWorkflow], clock, scheduler: false, logger: silentLogger, outbox: { enabled: false } })
    cleanup.push(() => e.close())
    const c = await e.createCase("demo", { title: "late" }, A.officer)
    await e.send(c.id, { type: "SUBMIT" }, A.head)
    clock.advance("P7D") // nobody ran the timers
    await e.send(c.id, { type: "APPROVE" }, A.coordinator)
    const approve = (await e.history(c.id, A.coordinator)).at(-1)
    expect(approve?.meta).toEqual({ deadlinesMissed: ["reminder", "reviewDeadline"] })
    const [row] = await e.reports.sla({}, A.coordinator)
    expect(row?.deadlines).toEqual([
      { name: "reminder", met: 0, missed: 1 },
      { name: "reviewDeadline", met: 0, missed: 1 },
    ])
    expect(row?.escalations).toBe(0)
    expect(row?.timeInState.find((t) => t.state === "review")?.totalMs).toBe(7 * 24 * HOUR)
  })

  it("refuses a bad filter with a ValidationError naming the path", async () => {
    const store = await target.fresh()
    const e = createEngine({ store: store.driver, workflows: [demoWorkflow], clock: testClock(T0), scheduler: false, logger: silentLogger })
    cleanup.push(() => e.close())
    const bad = await expectCode(e.reports.sla({ from: "yesterday" }, A.coordinator), "CIVICASE_E_VALIDATION")
    expect(bad.issues).toEqual([{ path: "/from", message: expect.stringContaining("ISO 8601") }])
    const reversed = await expectCode(e.reports.sla({ from: "2025-03-02", to: "2025-03-01" }, A.coordinator), "CIVICASE_E_VALIDATION")
    expect(reversed.issues).toEqual([{ path: "/to", message: "must be after /from" }])
    await expectCode(e.reports.sla({ to: new Date(Number.NaN) }, A.coordinator), "CIVICASE_E_VALIDATION")
  })
})
}
