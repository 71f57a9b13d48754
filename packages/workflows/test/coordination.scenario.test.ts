import { afterEach, beforeEach, describe, expect, it } from "vitest"
import type { Engine, TestClock } from "@civicase/core"
import { expectCode } from "@civicase/core/testing"
import { coordinationWorkflow, coordinationWorkflowV1, overlapCheckPlugin } from "@civicase/workflows"
import { attachFile, footprint } from "./scenario-fixtures.js"
import { outboxTopics, people, person, testEngine, vinhPhuc } from "./support.js"

const { coordinator, leader, vhHead, vhOfficer, nvHead, nvOfficer, gdHead, khHead } = people
/** The active leaves of a parallel state, in a stable order (the stored order of regions is not). */
const regions = (state: string) => state.split(",").sort()
const task = { topic: "Quảng bá hình ảnh Vĩnh Phúc tại Hàn Quốc", lead: "so-vhttdl", cooperating: ["so-ngoai-vu", "so-gddt"], dueDate: "2025-03-14" }

describe("coordination through the engine (PGlite, test clock)", () => {
  let engine: Engine
  let clock: TestClock
  beforeEach(async () => {
    engine = testEngine([coordinationWorkflowV1(vinhPhuc), coordinationWorkflow(vinhPhuc)], { start: new Date("2025-03-03T02:00:00.000Z"), plugins: [overlapCheckPlugin] })
    clock = engine.clock as TestClock
    await engine.start()
  })
  afterEach(() => engine.close())

  it("runs a task with a lead and cooperating agencies in parallel, through decline, reassignment, lateness, return and acceptance", async () => {
    await expectCode(engine.createCase("coordination", task, vhHead), "CIVICASE_E_FORBIDDEN")
    const bad = await expectCode(engine.createCase("coordination", { ...task, lead: "so-khong-co", dueDate: "14/03/2025" }, coordinator), "CIVICASE_E_VALIDATION")
    expect(bad.issues.map((i: { path: string }) => i.path).sort()).toEqual(["/dueDate", "/lead"])

    const c = await engine.createCase("coordination", task, coordinator)
    expect(c.version).toBe(2)
    expect(regions(c.state)).toEqual(["working.cooperation.contributing", "working.lead.assigned", "working.timeliness.on_time"])
    expect(c.parties).toEqual({ owner: "so-tttt", lead: "so-vhttdl", cooperating: ["so-gddt", "so-ngoai-vu"] })
    expect(Object.fromEntries(c.deadlines.map((d) => [d.name, d.dueAt]))).toEqual({
      acknowledgementDeadline: "2025-03-05T10:00:00.000Z", // two working days, 17:00 in Hà Nội
      taskDue: "2025-03-14T10:00:00.000Z",
    })

    // Cooperating agencies see the case and act on their part only; others do not see it at all.
    expect([...(await engine.getCase(c.id, nvOfficer)).allowedEvents].sort()).toEqual(["ACKNOWLEDGE", "CONTRIBUTE"])
    await expectCode(engine.getCase(c.id, khHead), "CIVICASE_E_CASE_NOT_FOUND")
    await expectCode(engine.send(c.id, { type: "CONTRIBUTE", payload: { contribution: "x" } }, vhOfficer), "CIVICASE_E_FORBIDDEN")
    await expectCode(engine.send(c.id, { type: "SUBMIT_RESULT", payload: { summary: "x" } }, nvHead), "CIVICASE_E_FORBIDDEN")
    await expectCode(engine.send(c.id, { type: "ACCEPT", payload: { assessment: "x" } }, vhHead), "CIVICASE_E_FORBIDDEN")
    // Contributing before acknowledging is not accepted in this state.
    await expectCode(engine.send(c.id, { type: "CONTRIBUTE", payload: { contribution: "x" } }, nvOfficer), "CIVICASE_E_EVENT_NOT_ACCEPTED")

    await engine.send(c.id, { type: "ACKNOWLEDGE", payload: {} }, vhOfficer)
    let now = await engine.send(c.id, { type: "ACKNOWLEDGE", payload: {} }, nvOfficer)
    expect(regions(now.state)).toEqual(["working.cooperation.contributing", "working.lead.consolidating", "working.timeliness.on_time"])
    expect(now.context.agencies["so-gddt"].status).toBe("assigned")

    // Wednesday 17:00 passes: the one agency that has not acknowledged is reminded.
    clock.set(new Date("2025-03-05T10:00:01.000Z"))
    expect(await engine.runDueTimers()).toBe(1)
    now = await engine.getCase(c.id, coordinator)
    expect(now.context.escalations).toEqual([{ deadline: "acknowledgement_reminder", to: "agencies", agencies: ["so-gddt"] }])
    expect(await outboxTopics(engine, c.id)).toContain("coordination.acknowledgement_reminder")

    // Education declines; the lead cannot submit while a part is missing; the coordinator reassigns to Planning and Investment.
    await engine.send(c.id, { type: "DECLINE", payload: { reason: "Không thuộc chức năng, nhiệm vụ" } }, gdHead)
    // A contribution's attachments are documents of this case (version 2): not names, not another case's files; a refusal writes nothing.
    const partners = await attachFile(engine, c.id, nvOfficer, "doi-tac-han-quoc.pdf")
    const other = await engine.createCase("coordination", { ...task, topic: "Hội nghị xúc tiến đầu tư tại Nhật Bản" }, coordinator)
    const elsewhere = await attachFile(engine, other.id, nvOfficer, "doi-tac-nhat-ban.pdf")
    const before = await footprint(engine, c.id, coordinator)
    const named = await expectCode(engine.send(c.id, { type: "CONTRIBUTE", payload: { contribution: "x", attachments: ["Danh sách.docx"] } }, nvOfficer), "CIVICASE_E_VALIDATION")
    expect(named.issues).toMatchObject([{ path: "/attachments/0" }])
    const foreign = await expectCode(engine.send(c.id, { type: "CONTRIBUTE", payload: { contribution: "x", attachments: [partners, elsewhere] } }, nvOfficer), "CIVICASE_E_VALIDATION")
    expect(foreign.issues).toEqual([{ path: "/attachments/1", message: "must be the id of a document attached to this case" }])
    expect(await footprint(engine, c.id, coordinator)).toEqual(before)
    await engine.send(c.id, { type: "CONTRIBUTE", payload: { contribution: "Danh sách đối tác Hàn Quốc", attachments: [partners] } }, nvOfficer)
    expect((await engine.history(c.id, coordinator)).at(-1)).toMatchObject({ type: "CONTRIBUTE", payload: { attachments: [partners] } })
    await expectCode(engine.send(c.id, { type: "SUBMIT_RESULT", payload: { summary: "x" } }, vhHead), "CIVICASE_E_EVENT_NOT_ACCEPTED")
    await expectCode(engine.send(c.id, { type: "REASSIGN", payload: { from: "so-ngoai-vu", to: "so-khdt", reason: "x" } }, coordinator), "CIVICASE_E_EVENT_NOT_ACCEPTED")
    now = await engine.send(c.id, { type: "REASSIGN", payload: { from: "so-gddt", to: "so-khdt", reason: "Thuộc lĩnh vực xúc tiến đầu tư" } }, coordinator)
    expect(now.parties.cooperating).toEqual(["so-khdt", "so-ngoai-vu"])
    await expectCode(engine.getCase(c.id, gdHead), "CIVICASE_E_CASE_NOT_FOUND")
    expect(now.context.reassignments).toEqual([{ from: "so-gddt", to: "so-khdt", reason: "Thuộc lĩnh vực xúc tiến đầu tư", by: coordinator.id }])
    expect(await outboxTopics(engine, c.id)).toContain("coordination.declined")

    // The due date passes with Planning and Investment still working: reminder, then the coordinator, then the province leader.
    await engine.send(c.id, { type: "ACKNOWLEDGE", payload: {} }, khHead)
    clock.set(new Date("2025-03-14T10:30:00.000Z"))
    await engine.runDueTimers()
    now = await engine.getCase(c.id, coordinator)
    expect(now.state).toContain("working.timeliness.reminded")
    expect(now.deadlines.map((d) => [d.name, d.dueAt])).toEqual([["escalateToCoordinator", "2025-03-18T10:00:00.000Z"]])
    clock.set(new Date("2025-03-18T10:00:00.000Z"))
    await engine.runDueTimers()
    clock.set(new Date("2025-03-21T10:00:00.000Z"))
    await engine.runDueTimers()
    now = await engine.getCase(c.id, leader)
    expect(now.state).toContain("working.timeliness.escalated_to_leader")
    expect(now.context.escalations.slice(1)).toEqual([
      { deadline: "overdue_reminder", to: "agencies", agencies: ["so-vhttdl", "so-khdt"] },
      { deadline: "escalated", to: "coordinator", agencies: ["so-vhttdl", "so-khdt"] },
      { deadline: "escalated", to: "province_leader", agencies: ["so-vhttdl", "so-khdt"] },
    ])

    // The last part arrives; the lead consolidates; the coordinator returns it once, then accepts.
    now = await engine.send(c.id, { type: "CONTRIBUTE", payload: { contribution: "Hồ sơ dự án kêu gọi đầu tư" } }, khHead)
    expect(now.state).toContain("working.cooperation.complete")
    expect(Object.fromEntries(Object.entries(now.context.agencies).map(([id, p]: [string, any]) => [id, p.status]))).toEqual({
      "so-vhttdl": "acknowledged",
      "so-ngoai-vu": "contributed",
      "so-khdt": "contributed",
    })
    now = await engine.send(c.id, { type: "SUBMIT_RESULT", payload: { summary: "Tổ chức 02 đoàn, 15 tin bài" } }, vhHead)
    expect(now.state).toBe("result_submitted")
    now = await engine.send(c.id, { type: "RETURN", payload: { comments: "Bổ sung kinh phí" } }, coordinator)
    expect(regions(now.state)).toEqual(["working.cooperation.complete", "working.lead.consolidating", "working.timeliness.on_time"])
    await engine.send(c.id, { type: "SUBMIT_RESULT", payload: { summary: "Tổ chức 02 đoàn, 15 tin bài, 300 triệu đồng" } }, vhHead)
    await expectCode(engine.send(c.id, { type: "ACCEPT", payload: {} }, coordinator), "CIVICASE_E_VALIDATION")
    const done = await engine.send(c.id, { type: "ACCEPT", payload: { assessment: "Hoàn thành, đúng yêu cầu" } }, coordinator)
    expect(done.status).toBe("done")
    expect(done.context.closure).toEqual({
      outcome: "accepted",
      by: coordinator.id,
      agency: "so-tttt",
      reason: "Hoàn thành, đúng yêu cầu",
      result: "Tổ chức 02 đoàn, 15 tin bài, 300 triệu đồng",
    })
    expect(done.deadlines).toEqual([])
  })

  it("warns of an overlapping open task (same lead, same topic) and records the warning", async () => {
    const first = await engine.createCase("coordination", task, coordinator)
    const second = await engine.createCase("coordination", { ...task, topic: "  quảng bá hình ảnh VĨNH PHÚC tại  Hàn Quốc " }, leader)
    const [created] = await engine.history(second.id, coordinator)
    expect(created!.meta).toEqual({ overlap: [{ caseId: first.id, topic: task.topic, lead: "so-vhttdl", state: first.state }] })
    expect(await outboxTopics(engine, second.id)).toContain("coordination.overlap")

    // Another lead, another topic of the same lead, or a closed task, is no overlap.
    const other = await engine.createCase("coordination", { ...task, lead: "so-ngoai-vu", cooperating: [] }, coordinator)
    expect((await engine.history(other.id, coordinator))[0]!.meta).toBeNull()
    const otherTopic = await engine.createCase("coordination", { ...task, topic: "Quảng bá hình ảnh Vĩnh Phúc tại Nhật Bản" }, coordinator)
    expect((await engine.history(otherTopic.id, coordinator))[0]!.meta).toBeNull()
    for (const id of [first.id, second.id]) await engine.send(id, { type: "CANCEL", payload: { reason: "Trùng lặp", result: "Gộp vào nhiệm vụ mới" } }, leader)
    const third = await engine.createCase("coordination", task, coordinator)
    expect((await engine.history(third.id, coordinator))[0]!.meta).toBeNull()
  })

  it("refuses wrong roles and agencies on cancel, and closes a cancelled task with who, why and a result", async () => {
    const c = await engine.createCase("coordination", { ...task, cooperating: [] }, coordinator)
    await expectCode(engine.send(c.id, { type: "CANCEL", payload: { reason: "x", result: "y" } }, coordinator), "CIVICASE_E_FORBIDDEN")
    await expectCode(engine.send(c.id, { type: "CANCEL", payload: { reason: "x" } }, leader), "CIVICASE_E_VALIDATION")
    const done = await engine.send(c.id, { type: "CANCEL", payload: { reason: "UBND tỉnh điều chỉnh kế hoạch", result: "Không thực hiện" } }, person("pct-2", "ubnd-tinh", "province_leader"))
    expect(done.state).toBe("cancelled")
    expect(done.context.closure).toMatchObject({ outcome: "cancelled", by: "pct-2", reason: "UBND tỉnh điều chỉnh kế hoạch", result: "Không thực hiện" })
  })
})
