import { afterEach, describe, expect, it } from "vitest"
import type { Engine, TestClock } from "@civicase/core"
import { expectCode } from "@civicase/core/testing"
import { loadProvince, planWorkflow, planWorkflowV1 } from "@civicase/workflows"
import { outboxTopics, people, testEngine, vinhPhuc } from "./support.js"
import { attachDecision, attachFile, footprint } from "./scenario-fixtures.js"

const { coordinator, coordinatorHead, leader, vhOfficer, vhHead, nvHead } = people
const due = (view: { deadlines: ReadonlyArray<{ name: string; dueAt: string }> }) => Object.fromEntries(view.deadlines.map((d) => [d.name, d.dueAt]))
const copy = () => JSON.parse(JSON.stringify(vinhPhuc))

describe("plan version 2: each agency issues its own plan (Plan 155/KH-UBND, III.1–III.2)", () => {
  let engine: Engine
  afterEach(() => engine?.close())

  it("an agency's own plan: the officer submits to the agency head, who approves and issues it; the coordinator comments and is told", async () => {
    engine = testEngine([planWorkflowV1(vinhPhuc), planWorkflow(vinhPhuc)], { start: new Date("2025-03-03T02:00:00.000Z") })
    const c = await engine.createCase("plan", { title: "Kế hoạch TTĐN 2025 của Sở VHTTDL", year: 2025, targets: { articles_published: 120, officers_trained: 40 } }, vhOfficer)
    expect([c.version, c.state, c.context.route]).toEqual([2, "draft", "agency"])
    const bad = await expectCode(engine.createCase("plan", { title: "x", year: 2025, targets: { made_up: 1, articles_published: -1 } }, vhOfficer), "CIVICASE_E_VALIDATION")
    expect([...new Set(bad.issues.map((i: { path: string }) => i.path))].sort()).toEqual(["/targets", "/targets/articles_published"])

    let now = await engine.send(c.id, { type: "SUBMIT", payload: { note: "Trình Giám đốc Sở" } }, vhOfficer)
    expect(now.state).toBe("approval")
    expect(now.context.chain).toEqual([{ role: "agency_head", agency: "owner", act: "approve" }])
    // Ten working days for the head (the configured step deadline).
    expect(due(now)).toEqual({ approvalStepDeadline: "2025-03-17T10:00:00.000Z" })
    // The coordinator neither approves nor is asked to; another agency's head cannot reach the case.
    await expectCode(engine.send(c.id, { type: "APPROVE" }, coordinator), "CIVICASE_E_FORBIDDEN")
    await expectCode(engine.send(c.id, { type: "APPROVE" }, nvHead), "CIVICASE_E_CASE_NOT_FOUND")
    await expectCode(engine.send(c.id, { type: "APPRAISE", payload: { opinion: "x", favourable: true } }, coordinatorHead), "CIVICASE_E_EVENT_NOT_ACCEPTED")

    // The coordinator guides and urges at any step, without moving the case.
    now = await engine.send(c.id, { type: "COMMENT", payload: { comments: "Bổ sung chỉ tiêu về báo chí nước ngoài", kind: "guidance" } }, coordinator)
    expect([now.state, now.context.comments]).toEqual(["approval", [{ by: coordinator.id, agency: "so-tttt", kind: "guidance", text: "Bổ sung chỉ tiêu về báo chí nước ngoài" }]])
    await expectCode(engine.send(c.id, { type: "COMMENT", payload: { comments: "x" } }, vhOfficer), "CIVICASE_E_FORBIDDEN")

    now = await engine.send(c.id, { type: "RETURN", payload: { comments: "Thêm lộ trình" } }, vhHead)
    expect([now.state, now.context.revisions]).toEqual(["revision_requested", 1])
    await engine.send(c.id, { type: "SUBMIT" }, vhOfficer)
    // The approval that issues the plan names the signed plan, a decision document of this case; a refusal writes nothing.
    const other = await engine.createCase("plan", { title: "Kế hoạch khác", year: 2025 }, vhOfficer)
    const draft = await attachFile(engine, c.id, vhOfficer, "du-thao-ke-hoach.pdf")
    const elsewhere = await attachDecision(engine, other.id, vhHead)
    const before = await footprint(engine, c.id, vhHead)
    await expectCode(engine.send(c.id, { type: "APPROVE", payload: { decision: "Quyết định 15/QĐ-SVHTTDL" } }, vhHead), "CIVICASE_E_EVENT_NOT_ACCEPTED")
    const plain = await expectCode(engine.send(c.id, { type: "APPROVE", payload: { decisionDocument: draft } }, vhHead), "CIVICASE_E_VALIDATION")
    expect(plain.issues).toMatchObject([{ path: "/decisionDocument", message: expect.stringContaining("decision metadata") }])
    const foreign = await expectCode(engine.send(c.id, { type: "APPROVE", payload: { decisionDocument: elsewhere } }, vhHead), "CIVICASE_E_VALIDATION")
    expect(foreign.issues).toEqual([{ path: "/decisionDocument", message: "must be the id of a document attached to this case" }])
    expect(await footprint(engine, c.id, vhHead)).toEqual(before)
    const signed = await attachDecision(engine, c.id, vhHead, "ke-hoach-15.pdf")
    now = await engine.send(c.id, { type: "APPROVE", payload: { decision: "Quyết định 15/QĐ-SVHTTDL", decisionDocument: signed } }, vhHead)
    expect(now.state).toBe("issued")
    expect(now.context.issued).toEqual({ by: vhHead.id, agency: "so-vhttdl", role: "agency_head", decision: "Quyết định 15/QĐ-SVHTTDL", decisionDocument: signed })
    expect(now.context.decisions.map((d: any) => [d.act, d.role])).toEqual([["return", "agency_head"], ["approve", "agency_head"]])
    await engine.send(c.id, { type: "COMMENT", payload: { comments: "Đề nghị gửi báo cáo đúng hạn", kind: "urging" } }, coordinatorHead)
    expect(await outboxTopics(engine, c.id)).toEqual(["plan.comment", "plan.issued", "plan.comment"])
    const issued = await engine.db.selectFrom("civicase_outbox").select("payload").where("case_id", "=", c.id).where("topic", "=", "plan.issued").executeTakeFirstOrThrow()
    expect(issued.payload).toMatchObject({ to: "coordinator", agency: "so-vhttdl", route: "agency" })
  })

  it("a project goes to the agency head, the coordinator head's appraisal and the province leader; reports carry indicator values", async () => {
    engine = testEngine([planWorkflow(vinhPhuc)], { start: new Date("2025-03-03T02:00:00.000Z") })
    const clock = engine.clock as TestClock
    const c = await engine.createCase("plan", { title: "Đề án quảng bá hình ảnh tỉnh 2025", year: 2025, isProject: true, targets: { articles_published: 100, foreign_press_hosted: 2 } }, vhOfficer)
    expect(c.context.chain.map((s: any) => `${s.role}:${s.act}`)).toEqual(["agency_head:approve", "coordinator_head:appraise", "province_leader:approve"])
    await engine.send(c.id, { type: "SUBMIT" }, vhOfficer)
    let now = await engine.send(c.id, { type: "APPROVE" }, vhHead)
    expect([now.state, now.context.step]).toEqual(["approval", 1])
    // Fifteen working days for the appraisal, counted from the head's approval.
    expect(due(now)).toEqual({ approvalStepDeadline: "2025-03-24T10:00:00.000Z" })
    await expectCode(engine.send(c.id, { type: "APPROVE" }, vhHead), "CIVICASE_E_EVENT_NOT_ACCEPTED")
    now = await engine.send(c.id, { type: "APPRAISE", payload: { opinion: "Kinh phí chưa hợp lý", favourable: false } }, coordinatorHead)
    expect([now.state, now.context.step]).toEqual(["revision_requested", 0])
    await engine.send(c.id, { type: "SUBMIT" }, vhHead)
    await engine.send(c.id, { type: "APPROVE" }, vhHead)
    await engine.send(c.id, { type: "APPRAISE", payload: { opinion: "Đề án khả thi", favourable: true } }, coordinatorHead)
    await expectCode(engine.send(c.id, { type: "APPROVE" }, coordinatorHead), "CIVICASE_E_FORBIDDEN")
    const project = await attachDecision(engine, c.id, leader, "qd-345.pdf")
    now = await engine.send(c.id, { type: "APPROVE", payload: { decision: "Quyết định 345/QĐ-UBND", decisionDocument: project } }, leader)
    expect(now.state).toBe("issued")
    expect(now.context.issued).toMatchObject({ by: leader.id, role: "province_leader", decision: "Quyết định 345/QĐ-UBND", decisionDocument: project })
    expect(now.context.decisions.map((d: any) => `${d.role}:${d.act}${d.favourable === undefined ? "" : d.favourable ? "+" : "-"}`)).toEqual([
      "agency_head:approve",
      "coordinator_head:appraise-",
      "agency_head:approve",
      "coordinator_head:appraise+",
      "province_leader:approve",
    ])

    await engine.send(c.id, { type: "START_IMPLEMENTATION" }, vhOfficer)
    const reports = [
      ["2025-03-10T02:00:00.000Z", { articles_published: 20 }],
      ["2025-06-10T02:00:00.000Z", { articles_published: 55, foreign_press_hosted: 1 }],
      ["2025-09-10T02:00:00.000Z", { articles_published: 80, foreign_press_hosted: 1 }],
      ["2025-12-01T02:00:00.000Z", { articles_published: 112, foreign_press_hosted: 2, officers_trained: 35 }],
    ] as const
    for (const [at, values] of reports) {
      clock.set(new Date(at))
      await engine.runDueTimers()
      await expectCode(engine.send(c.id, { type: "SUBMIT_REPORT", payload: { summary: "x", values: { unknown_indicator: 1 } } }, vhHead), "CIVICASE_E_VALIDATION")
      await engine.send(c.id, { type: "SUBMIT_REPORT", payload: { summary: "Báo cáo kỳ", values } }, vhHead)
      now = await engine.send(c.id, { type: "ACCEPT_REPORT" }, coordinator)
    }
    expect(now.state).toBe("summarizing")
    expect(now.context.summary).toEqual({
      periodsAccepted: 4,
      periodsLate: 0,
      indicators: [
        { id: "articles_published", target: 100, reached: 112 },
        { id: "foreign_press_hosted", target: 2, reached: 2 },
        { id: "officers_trained", target: null, reached: 35 },
      ],
    })
    const closed = await engine.send(c.id, { type: "CLOSE", payload: { reason: "Hết năm 2025", result: "Đạt 112/100 tin bài" } }, vhHead)
    expect(closed.context.closure).toMatchObject({ outcome: "completed", by: vhHead.id })
  })

  it("counts the plan created on 8 February 2027 past Tết and flags its deadline: no 2027 decision in the file yet", async () => {
    engine = testEngine([planWorkflow(vinhPhuc)], { start: new Date("2027-02-08T02:00:00.000Z") })
    const c = await engine.createCase("plan", { title: "Kế hoạch TTĐN 2027", year: 2027 }, vhOfficer)
    // Mùng 3 Tết: the days off run to Thursday 11 February (compensatory days for Tết's Saturday and Sunday); fifteen working days end on 4 March.
    expect(c.deadlines).toEqual([
      expect.objectContaining({ name: "submissionDeadline", dueAt: "2027-03-04T10:00:00.000Z", calendarGaps: [{ year: 2027, reason: "no-yearly-decision" }] }),
    ])
    const history = await engine.history(c.id, vhOfficer)
    expect(history[0]!.meta).toEqual({ provisionalDeadlines: [{ name: "submissionDeadline", dueAt: "2027-03-04T10:00:00.000Z", gaps: [{ year: 2027, reason: "no-yearly-decision" }] }] })

    // With the year's decision added, the same count is no longer flagged.
    const decided = copy()
    decided.calendar.years["2027"] = { source: "quyết định năm 2027" }
    await engine.close()
    engine = testEngine([planWorkflow(loadProvince(decided))], { start: new Date("2027-02-08T02:00:00.000Z") })
    const d = await engine.createCase("plan", { title: "Kế hoạch TTĐN 2027", year: 2027 }, vhOfficer)
    expect(d.deadlines.map((x) => [x.dueAt, x.calendarGaps])).toEqual([["2027-03-04T10:00:00.000Z", undefined]])
    expect((await engine.history(d.id, vhOfficer))[0]!.meta).toBeNull()
  })

  it("takes who approves from the configuration, and refuses a chain naming a role nobody holds", async () => {
    const central = copy()
    central.workflows.plan.approval.agency = [{ role: "coordinator_head", agency: "any", act: "approve", deadline: { workingDays: 5 } }]
    engine = testEngine([planWorkflow(loadProvince(central))], { start: new Date("2025-03-03T02:00:00.000Z") })
    const c = await engine.createCase("plan", { title: "Kế hoạch TTĐN 2025", year: 2025 }, vhOfficer)
    await engine.send(c.id, { type: "SUBMIT" }, vhOfficer)
    // The agency head still approves projects, so it may send APPROVE, but this step is not its own.
    await expectCode(engine.send(c.id, { type: "APPROVE" }, vhHead), "CIVICASE_E_EVENT_NOT_ACCEPTED")
    const signed = await attachDecision(engine, c.id, coordinatorHead)
    expect((await engine.send(c.id, { type: "APPROVE", payload: { decisionDocument: signed } }, coordinatorHead)).state).toBe("issued")

    const wrong = copy()
    wrong.workflows.plan.approval.provincial[1].role = "thanh_tra_tinh"
    wrong.workflows.plan.approval.agency[0] = { role: "spokesperson", agency: "any", act: "appraise", deadline: { workingDays: 5 } }
    const e = await expectCode(Promise.resolve().then(() => planWorkflow(loadProvince(wrong))), "CIVICASE_E_INVALID_CONFIG")
    expect(e.issues).toEqual([
      { path: "/workflows/plan/approval/agency/0/agency", message: '"any" needs a role given to named agencies, but spokesperson is given to every agency ("*"); use "owner"' },
      { path: "/workflows/plan/approval/agency/0/act", message: "the last step must approve: its approval issues the plan" },
      { path: "/workflows/plan/approval/provincial/1/role", message: 'names the role "thanh_tra_tinh", which no agency holds in this province' },
    ])
  })
})
