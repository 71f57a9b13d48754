import { afterEach, describe, expect, it } from "vitest"
import { type Actor, type Engine, type StorageDriver, createEngine, silentLogger, testClock } from "@civicase/core"
import { planV1toV2, planV1toV2States, planWorkflowV1, provinceEngineOptions } from "@civicase/workflows"
import { attachDecision } from "./scenario-fixtures.js"
import { people, vinhPhuc } from "./support.js"

const { coordinator, coordinatorHead, leader, vhOfficer, vhHead } = people
const indicators = [{ name: "Tin, bài, sản phẩm thông tin đối ngoại được đăng, phát", target: "120" }, { name: "Chỉ tiêu riêng", target: "nhiều" }]
type Step = readonly [type: string, actor: Actor, payload?: Record<string, unknown>]

const report: Step = ["SUBMIT_REPORT", vhHead, { summary: "Báo cáo kỳ", indicators: [{ name: "Tin, bài, sản phẩm thông tin đối ngoại được đăng, phát", achieved: "30" }] }]
const accept: Step = ["ACCEPT_REPORT", coordinator]
/** A project through every step of version 1, in order: the state after k steps is the k-th of `projectStates`. */
const project: Step[] = [
  ["SUBMIT", vhHead],
  ["START_REVIEW", coordinator],
  ["APPROVE", coordinator, { comment: "Đạt" }],
  ["APPRAISE", coordinatorHead, { opinion: "Đề án khả thi", favourable: true }],
  ["LEADER_APPROVE", leader, { decision: "Quyết định 345/QĐ-UBND" }],
  ["START_IMPLEMENTATION", vhOfficer],
  report,
  accept, report, accept, report, accept, report, accept,
  ["CLOSE", coordinator, { reason: "Hết các kỳ báo cáo", result: "Đạt" }],
]
const projectStates: ReadonlyArray<readonly [string, number]> = [
  ["draft", 0],
  ["submitted", 1],
  ["under_review", 2],
  ["appraisal", 3],
  ["leader_approval", 4],
  ["approved", 5],
  ["in_implementation.awaiting_report", 6],
  ["in_implementation.report_review", 7],
  ["summarizing", 14],
  ["closed", 15],
]

/** The migration suite, run against one kind of store that two engines can open in turn (PGlite in a folder, a PostgreSQL schema). */
export function caseMigrationSuite(name: string, store: () => { driver: () => StorageDriver; dispose: (engine: Engine) => Promise<void> }): void {
  describe(`plan cases moved from version 1 to version 2 (${name})`, () => {
    const cleanup: Array<() => Promise<void>> = []
    afterEach(async () => {
      for (const c of cleanup.splice(0).reverse()) await c()
    })

    it("moves a case in every state of plan v1 with one hash-chained case.migrated row each, reports what cannot move, and resumes", { timeout: 240_000 }, async () => {
      const { driver, dispose } = store()
      const clock = testClock(new Date("2025-01-06T02:00:00.000Z"))
      const ids = new Map<string, string>()
      const v1 = createEngine({ store: driver(), workflows: [planWorkflowV1(vinhPhuc)], clock, scheduler: false, logger: silentLogger })
      const run = async (state: string, input: object, steps: ReadonlyArray<Step>) => {
        const c = await v1.createCase("plan", input, vhOfficer)
        let now = c
        for (const [type, actor, payload] of steps) now = await v1.send(c.id, { type, ...(payload ? { payload } : {}) }, actor)
        expect([now.version, now.state]).toEqual([1, state])
        ids.set(state, c.id)
      }
      try {
        // Overdue first: its first report falls due on 15 March 2025.
        await run("in_implementation.awaiting_report", { title: "Kế hoạch 2025", year: 2025 }, [["SUBMIT", vhHead], ["START_REVIEW", coordinator], ["APPROVE", coordinator], ["START_IMPLEMENTATION", vhOfficer]])
        clock.set(new Date("2025-03-15T10:00:00.000Z"))
        await v1.runDueTimers()
        expect((await v1.getCase(ids.get("in_implementation.awaiting_report")!, vhHead)).state).toBe("in_implementation.overdue")
        ids.set("in_implementation.overdue", ids.get("in_implementation.awaiting_report")!)
        for (const [state, k] of projectStates) await run(state, { title: `Đề án 2026 (${state})`, year: 2026, isProject: true, indicators }, project.slice(0, k))
        await run("revision_requested", { title: "Kế hoạch 2026", year: 2026 }, [["SUBMIT", vhHead], ["START_REVIEW", coordinator], ["REQUEST_REVISION", coordinator, { comments: "Bổ sung" }]])
        await run("cancelled", { title: "Kế hoạch hủy", year: 2026 }, [["SUBMIT", vhHead], ["START_REVIEW", coordinator], ["APPROVE", coordinator], ["CANCEL", leader, { reason: "Hợp nhất", result: "Chuyển" }]])
      } finally {
        await v1.close()
      }
      const v1States = [...ids.keys()].filter((s) => s !== "closed" && s !== "cancelled").sort()
      expect(v1States).toEqual(Object.keys(planV1toV2States).sort())

      const engine = createEngine({ store: driver(), ...provinceEngineOptions(vinhPhuc), clock, scheduler: false, logger: silentLogger })
      cleanup.push(async () => {
        await dispose(engine)
        await engine.close()
      })
      const system = engine.access.systemActor("vinh-phuc")
      const plan = engine.caseMigrations().find((p) => p.workflow === "plan" && p.from === 1 && p.to === 2)!
      expect(plan.states).toEqual(planV1toV2(vinhPhuc).states)
      const read = (state: string) => engine.getCase(ids.get(state)!, coordinator)
      const before = await read("in_implementation.report_review")

      // Refused up front: a coordinator is not an operator; a plan naming a version the engine lacks.
      await expect(engine.migrateCases(plan, { actor: coordinator, dryRun: true })).rejects.toMatchObject({ code: "CIVICASE_E_FORBIDDEN" })
      await expect(engine.migrateCases({ ...plan, to: 9 }, { actor: system, dryRun: true })).rejects.toMatchObject({ code: "CIVICASE_E_WORKFLOW_NOT_FOUND" })
      await expect(engine.migrateCases({ ...plan, deadlines: "later" as never }, { actor: system })).rejects.toMatchObject({ code: "CIVICASE_E_VALIDATION" })

      // What cannot move, said per case: a context function that throws, a target that is not a state.
      const throwing = await engine.migrateCases({ ...plan, context: () => { throw new Error("dữ liệu thiếu") } }, { actor: system, dryRun: true })
      expect(throwing.moved).toEqual([])
      expect(throwing.cannot).toHaveLength(11)
      expect(throwing.cannot.every((c) => c.reason.includes("dữ liệu thiếu"))).toBe(true)
      const nowhere = await engine.migrateCases({ ...plan, states: { ...plan.states, draft: "nowhere" } }, { actor: system, dryRun: true })
      expect(nowhere.cannot).toEqual([{ caseId: ids.get("draft"), state: "draft", reason: expect.stringContaining('"nowhere" is not a state of plan@2') }])
      expect(nowhere.moved).toHaveLength(10)
      expect(nowhere.done).toBe(2)

      // A first run that maps one state only, keeping pending due times: the others are reported unmapped and stay.
      const keepOne = { ...plan, states: { "in_implementation.report_review": "in_implementation.report_review" }, deadlines: "keep" as const }
      const progress: number[] = []
      const first = await engine.migrateCases(keepOne, { actor: system, batch: 4, onProgress: (p) => progress.push(p.scanned) })
      expect(first.moved).toEqual([{ caseId: ids.get("in_implementation.report_review"), from: "in_implementation.report_review", to: "in_implementation.report_review", rev: before.rev + 1 }])
      expect(first.cannot).toHaveLength(10)
      expect(first.cannot.find((c) => c.state === "draft")?.reason).toContain('maps no state of version 2 to "draft"')
      expect(progress).toEqual([4, 8, 11])
      const kept = await read("in_implementation.report_review")
      expect(kept.version).toBe(2)
      expect(kept.deadlines.map((d) => [d.name, d.dueAt])).toEqual(before.deadlines.map((d) => [d.name, d.dueAt]))

      // Dry run of the real plan: the ten left would move; nothing is written.
      const dry = await engine.migrateCases(plan, { actor: system, dryRun: true })
      expect(dry.moved).toHaveLength(10)
      expect(dry.cannot).toEqual([])
      expect((await read("draft")).version).toBe(1)

      clock.set(new Date("2026-02-02T02:00:00.000Z"))
      const applied = await engine.migrateCases(plan, { actor: system })
      expect(applied.moved.map((m) => [m.from, m.to]).sort()).toEqual(
        Object.entries(planV1toV2States).filter(([from]) => from !== "in_implementation.report_review").sort(),
      )
      for (const state of v1States) {
        const c = await read(state)
        expect([state, c.version, c.state]).toEqual([state, 2, planV1toV2States[state]])
        const history = await engine.history(c.id, coordinator)
        const last = history.at(-1)!
        expect(last).toMatchObject({ type: "case.migrated", from: state, to: planV1toV2States[state], payload: { workflow: "plan", from: { version: 1, state }, to: { version: 2 } } })
        expect((await engine.verify(c.id, coordinator)).ok).toBe(true)
      }
      for (const done of ["closed", "cancelled"]) expect((await read(done)).version).toBe(1)

      // Re-running moves nothing: the moved cases are on version 2.
      const again = await engine.migrateCases(plan, { actor: system })
      expect([again.moved.length, again.cannot.length, again.done]).toEqual([0, 0, 2])

      // Recomputed deadlines: each approval step's own deadline from the day of the move; the old timers are gone.
      const submitted = await read("submitted")
      expect(submitted.context).toMatchObject({ route: "provincial", step: 0 })
      expect(submitted.deadlines.map((d) => d.name)).toEqual(["approvalStepDeadline"])
      expect(Date.parse(submitted.deadlines[0]!.dueAt)).toBeGreaterThan(Date.parse("2026-02-02T02:00:00.000Z"))
      const timers = await engine.db.selectFrom("civicase_timers").select(["name"]).where("case_id", "=", submitted.id).execute()
      expect(timers.map((t) => t.name)).toEqual(["approvalStepDeadline"])
      expect((await read("appraisal")).context).toMatchObject({ step: 1 })
      expect((await read("leader_approval")).context).toMatchObject({ step: 2 })
      expect((await read("approved")).context).toMatchObject({ issued: { decision: "Quyết định 345/QĐ-UBND" }, targets: { articles_published: 120 } })

      // The moved cases run on version 2: the appraisal goes on to the leader, who issues the plan.
      const appraisal = ids.get("appraisal")!
      await engine.send(appraisal, { type: "APPRAISE", payload: { opinion: "Khả thi", favourable: true } }, coordinatorHead)
      // Version 2 issues a plan only with its signed decision document.
      const decisionDocument = await attachDecision(engine, appraisal, leader)
      const issued = await engine.send(appraisal, { type: "APPROVE", payload: { decision: "QĐ 12", decisionDocument } }, leader)
      expect([issued.version, issued.state]).toEqual([2, "issued"])
      // And a migrated deadline fires on version 2.
      clock.set(new Date(Date.parse(submitted.deadlines[0]!.dueAt) + 1000))
      await engine.runDueTimers()
      expect((await read("submitted")).context.escalations).toContainEqual({ deadline: "approval_overdue", step: "approval", to: "coordinator_head" })
    })
  })
}
