import { afterEach, beforeEach, describe, expect, it } from "vitest"
import type { Engine, TestClock } from "@civicase/core"
import { expectCode } from "@civicase/core/testing"
import { planWorkflowV1 as planWorkflow } from "@civicase/workflows"
import { outboxTopics, people, testEngine, vinhPhuc } from "./support.js"

const { coordinator, coordinatorHead, leader, vhOfficer, vhHead, nvHead } = people
const plan = { title: "Kế hoạch TTĐN năm 2025 của Sở VHTTDL", year: 2025, isProject: true, indicators: [{ name: "Tin bài đối ngoại", target: "120" }] }
const due = (view: { deadlines: ReadonlyArray<{ name: string; dueAt: string }> }) => Object.fromEntries(view.deadlines.map((d) => [d.name, d.dueAt]))

describe("plan through the engine (PGlite, test clock)", () => {
  let engine: Engine
  let clock: TestClock
  beforeEach(async () => {
    engine = testEngine([planWorkflow(vinhPhuc)], { start: new Date("2025-01-06T02:00:00.000Z") })
    clock = engine.clock as TestClock
    await engine.start()
  })
  afterEach(() => engine.close())

  it("drafts, revises, appraises and approves a project, then reports each period until a closing summary", async () => {
    await expectCode(engine.createCase("plan", plan, coordinator), "CIVICASE_E_FORBIDDEN")
    const bad = await expectCode(engine.createCase("plan", { ...plan, year: "2025", extra: 1 }, vhOfficer), "CIVICASE_E_VALIDATION")
    expect(bad.issues.map((i: { path: string }) => i.path).sort()).toEqual(["/extra", "/year"])

    const c = await engine.createCase("plan", plan, vhOfficer)
    expect(c.state).toBe("draft")
    // Fifteen working days from Monday 6 January skip the Tết holidays (25 January to 2 February 2025).
    expect(due(c)).toEqual({ submissionDeadline: "2025-02-03T10:00:00.000Z" })
    expect(c.context.periods.map((p: any) => [p.id, p.dueAt])).toEqual([
      ["q1", "2025-03-15T10:00:00.000Z"],
      ["h1", "2025-06-15T10:00:00.000Z"],
      ["q3", "2025-09-15T10:00:00.000Z"],
      ["year", "2025-12-10T10:00:00.000Z"],
    ])

    // Wrong role, wrong agency.
    await expectCode(engine.send(c.id, { type: "SUBMIT" }, vhOfficer), "CIVICASE_E_FORBIDDEN")
    await expectCode(engine.send(c.id, { type: "SUBMIT" }, nvHead), "CIVICASE_E_CASE_NOT_FOUND")
    await expectCode(engine.send(c.id, { type: "APPROVE" }, coordinator), "CIVICASE_E_EVENT_NOT_ACCEPTED")

    // The submission deadline passes: the agency and the coordinator are alerted.
    clock.set(new Date("2025-02-03T10:00:00.000Z"))
    expect(await engine.runDueTimers()).toBe(1)
    let now = await engine.getCase(c.id, vhHead)
    expect(now.context.escalations).toEqual([{ deadline: "submission_overdue", step: "draft", to: "agency_head,coordinator" }])
    expect(await outboxTopics(engine, c.id)).toEqual(["plan.submission_overdue"])

    await engine.send(c.id, { type: "SUBMIT" }, vhHead)
    await engine.send(c.id, { type: "START_REVIEW" }, coordinator)
    now = await engine.send(c.id, { type: "REQUEST_REVISION", payload: { comments: "Bổ sung chỉ tiêu về báo chí nước ngoài" } }, coordinator)
    expect(now.state).toBe("revision_requested")
    await engine.send(c.id, { type: "SUBMIT", payload: { note: "Đã bổ sung" } }, vhHead)
    await engine.send(c.id, { type: "START_REVIEW" }, coordinator)
    now = await engine.send(c.id, { type: "APPROVE", payload: { comment: "Đạt" } }, coordinator)
    expect(now.state).toBe("appraisal")
    await expectCode(engine.send(c.id, { type: "APPRAISE", payload: { opinion: "Đạt", favourable: true } }, coordinator), "CIVICASE_E_FORBIDDEN")
    now = await engine.send(c.id, { type: "APPRAISE", payload: { opinion: "Đề án khả thi", favourable: true } }, coordinatorHead)
    expect(now.state).toBe("leader_approval")
    await expectCode(engine.send(c.id, { type: "LEADER_APPROVE", payload: { decision: "QĐ" } }, coordinatorHead), "CIVICASE_E_FORBIDDEN")
    now = await engine.send(c.id, { type: "LEADER_APPROVE", payload: { decision: "Quyết định 345/QĐ-UBND" } }, leader)
    expect(now.state).toBe("approved")
    expect(now.context.revisions).toBe(1)
    expect(now.context.approvals.map((a: any) => a.step)).toEqual(["review", "appraisal", "leader"])
    now = await engine.send(c.id, { type: "START_IMPLEMENTATION" }, vhOfficer)
    expect(now.state).toBe("in_implementation.awaiting_report")
    expect(due(now)).toEqual({ reportReminder: "2025-03-08T10:00:00.000Z", reportDue: "2025-03-15T10:00:00.000Z" })

    // A week before the first report is due: a reminder; on the due date: overdue, escalated to the coordinator.
    clock.set(new Date("2025-03-08T10:00:00.000Z"))
    await engine.runDueTimers()
    now = await engine.getCase(c.id, vhHead)
    expect(now.state).toBe("in_implementation.awaiting_report")
    expect(now.context.periods[0].reminded).toBe(true)
    clock.set(new Date("2025-03-15T10:00:00.000Z"))
    await engine.runDueTimers()
    now = await engine.getCase(c.id, vhHead)
    expect(now.state).toBe("in_implementation.overdue")
    expect(now.context.escalations.at(-1)).toEqual({ deadline: "report_overdue", step: "in_implementation", to: "coordinator" })

    // A returned late report is overdue again at once, without a second reminder.
    clock.set(new Date("2025-03-17T02:00:00.000Z"))
    await engine.send(c.id, { type: "SUBMIT_REPORT", payload: { summary: "Quý I", indicators: [{ name: "Tin bài đối ngoại", achieved: "25" }] } }, vhHead)
    await engine.send(c.id, { type: "RETURN_REPORT", payload: { comments: "Thiếu số liệu" } }, coordinator)
    await engine.runDueTimers()
    now = await engine.getCase(c.id, vhHead)
    expect(now.state).toBe("in_implementation.overdue")
    expect(now.context.escalations.filter((e: any) => e.deadline === "report_overdue")).toHaveLength(2)
    await expectCode(engine.send(c.id, { type: "SUBMIT_REPORT", payload: { summary: "x" } }, vhOfficer), "CIVICASE_E_FORBIDDEN")
    await engine.send(c.id, { type: "SUBMIT_REPORT", payload: { summary: "Quý I, đủ số liệu", indicators: [{ name: "Tin bài đối ngoại", achieved: "28" }] } }, vhHead)
    now = await engine.send(c.id, { type: "ACCEPT_REPORT" }, coordinator)
    expect(now.state).toBe("in_implementation.awaiting_report")
    expect(now.context.current).toBe(1)
    expect(due(now)).toEqual({ reportReminder: "2025-06-08T10:00:00.000Z", reportDue: "2025-06-15T10:00:00.000Z" })

    // The other periods are reported on time.
    for (const [at, achieved] of [["2025-06-10T02:00:00.000Z", "60"], ["2025-09-10T02:00:00.000Z", "95"], ["2025-12-01T02:00:00.000Z", "130"]] as const) {
      clock.set(new Date(at))
      await engine.runDueTimers()
      await engine.send(c.id, { type: "SUBMIT_REPORT", payload: { summary: "Báo cáo kỳ", indicators: [{ name: "Tin bài đối ngoại", achieved }] } }, vhHead)
      now = await engine.send(c.id, { type: "ACCEPT_REPORT", payload: { comment: "Đạt" } }, coordinator)
    }
    expect(now.state).toBe("summarizing")
    expect(now.context.summary).toEqual({ periodsAccepted: 4, periodsLate: 1, indicators: [{ name: "Tin bài đối ngoại", target: "120", achieved: "130" }] })

    await expectCode(engine.send(c.id, { type: "CLOSE", payload: { result: "Đạt" } }, coordinator), "CIVICASE_E_VALIDATION")
    const closed = await engine.send(c.id, { type: "CLOSE", payload: { reason: "Đã hết các kỳ báo cáo năm 2025", result: "Đạt 130/120 tin bài" } }, coordinator)
    expect(closed.status).toBe("done")
    expect(closed.context.closure).toEqual({ outcome: "completed", by: coordinator.id, agency: "so-tttt", reason: "Đã hết các kỳ báo cáo năm 2025", result: "Đạt 130/120 tin bài" })
    // Reminders for h1 and q3 (reported after their reminder date), none for the yearly report handed in early.
    expect(await outboxTopics(engine, c.id)).toEqual([
      "plan.submission_overdue",
      "plan.approved",
      "plan.report_reminder",
      "plan.report_overdue",
      "plan.report_overdue",
      "plan.report_reminder",
      "plan.report_reminder",
    ])
  })

  it("sends an unfavourable appraisal or a leader's return back for revision; an ordinary plan needs no appraisal", async () => {
    const project = await engine.createCase("plan", plan, vhOfficer)
    for (const e of [{ type: "SUBMIT" }, { type: "START_REVIEW" }, { type: "APPROVE" }]) await engine.send(project.id, e, e.type === "SUBMIT" ? vhHead : coordinator)
    let now = await engine.send(project.id, { type: "APPRAISE", payload: { opinion: "Kinh phí chưa hợp lý", favourable: false } }, coordinatorHead)
    expect(now.state).toBe("revision_requested")
    expect(now.context.comments.at(-1)).toEqual({ by: coordinatorHead.id, step: "appraisal", text: "Kinh phí chưa hợp lý" })

    const ordinary = await engine.createCase("plan", { title: "Kế hoạch TTĐN 2025", year: 2025 }, vhOfficer)
    for (const e of [{ type: "SUBMIT" }, { type: "START_REVIEW" }]) await engine.send(ordinary.id, e, e.type === "SUBMIT" ? vhHead : coordinator)
    now = await engine.send(ordinary.id, { type: "APPROVE" }, coordinator)
    expect(now.state).toBe("approved")
    const cancelled = await engine.send(ordinary.id, { type: "CANCEL", payload: { reason: "Cơ quan hợp nhất", result: "Chuyển sang kế hoạch của cơ quan mới" } }, leader)
    expect(cancelled.context.closure).toMatchObject({ outcome: "cancelled", by: leader.id, result: "Chuyển sang kế hoạch của cơ quan mới" })
  })
})
