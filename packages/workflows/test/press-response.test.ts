import { afterEach, describe, expect, it } from "vitest"
import type { Engine } from "@civicase/core"
import { expectCode } from "@civicase/core/testing"
import { type PressResponseConfig, pressResponseWorkflowV1 as pressResponseWorkflow } from "@civicase/workflows"
import { actorOf, departmentOf, scenarioEngine, shippedProvinces } from "./scenario-fixtures.js"

describe.each(shippedProvinces.map((p) => [p.id, p] as const))("press-response in %s", (_id, province) => {
  const config = province.workflows["press-response"] as PressResponseConfig
  const coordinator = actorOf(province, "coordinator")
  const head = actorOf(province, "coordinator_head")
  const leader = actorOf(province, "province_leader")
  const responsible = departmentOf(province, 0)
  const reporterAgency = departmentOf(province, 1, [responsible])
  const reporter = actorOf(province, "agency_officer", reporterAgency)
  const officer = actorOf(province, "agency_officer", responsible)
  const outsider = actorOf(province, "agency_officer", departmentOf(province, 2, [responsible, reporterAgency]))
  const spokesperson = actorOf(province, "spokesperson", responsible)
  let engine: Engine | undefined

  afterEach(async () => {
    await engine?.close()
    engine = undefined
  })

  async function start() {
    const s = await scenarioEngine([pressResponseWorkflow(province)])
    engine = s.engine
    return s
  }

  const report = { kind: "false_information", summary: "Một trang mạng đăng tin sai về dự án khu công nghiệp", suspectedSeverity: "critical" }
  const triage = (severity: string, extra: Record<string, unknown> = {}) => ({
    type: "TRIAGE",
    payload: { severity, category: "false_information", responsibleAgency: responsible, ...extra },
  })

  it("runs a critical incident end to end: escalation on a missed triage, two-level chain, send back, publication, closing, re-opening and archiving", async () => {
    const { engine, clock, emitted } = await start()
    let c = await engine.createCase("press-response", report, reporter)
    expect(c.state).toBe("reported")
    const triageDue = c.deadlines.find((d) => d.name === "triage")!
    expect(new Date(triageDue.dueAt).getTime() - clock.now().getTime()).toBe(3_600_000)

    // Nobody triages within the hour: one level up the chain.
    clock.advance("PT1H")
    expect(await engine.runDueTimers()).toBe(1)
    c = await engine.getCase(c.id, coordinator)
    expect(c.state).toBe("reported")
    expect(c.context.escalation.log).toEqual([{ deadline: "triage", state: "reported", level: 1, to: config.escalationChain[1] }])
    expect(emitted).toContainEqual(expect.objectContaining({ type: "press-response.escalated", deadline: "triage", to: config.escalationChain[1] }))

    await expectCode(engine.send(c.id, triage("critical"), reporter), "CIVICASE_E_FORBIDDEN")
    c = await engine.send(c.id, triage("critical"), coordinator)
    expect(c.state).toBe("responding.fact_finding")
    expect(c.parties.lead).toBe(responsible)
    const publication = c.deadlines.find((d) => d.name === "publication")!
    expect(publication.dueAt).toBe(new Date(clock.now().getTime() + parseHours(config.deadlines.critical.publication as string)).toISOString())

    await expectCode(engine.send(c.id, { type: "RECORD_FACTS", payload: { findings: "…" } }, outsider), "CIVICASE_E_CASE_NOT_FOUND")
    await expectCode(engine.send(c.id, { type: "RECORD_FACTS", payload: { findings: "…" } }, reporter), "CIVICASE_E_FORBIDDEN")
    c = await engine.send(c.id, { type: "RECORD_FACTS", payload: { findings: "Dự án đã được cấp phép đúng quy định", sources: ["Sở KH&ĐT"] } }, officer)
    expect(c.state).toBe("responding.drafting")
    c = await engine.send(c.id, { type: "DRAFT_STATEMENT", payload: { text: "Thông cáo báo chí v1" } }, spokesperson)
    c = await engine.send(c.id, { type: "SUBMIT_FOR_REVIEW", payload: {} }, spokesperson)
    expect(c.state).toBe("responding.review")
    expect(c.context.review.chain).toEqual(config.approvalChains.critical)

    // The leader may not approve before the coordinator head; an agency officer never.
    await expectCode(engine.send(c.id, { type: "APPROVE", payload: {} }, leader), "CIVICASE_E_EVENT_NOT_ACCEPTED")
    await expectCode(engine.send(c.id, { type: "APPROVE", payload: {} }, officer), "CIVICASE_E_FORBIDDEN")
    c = await engine.send(c.id, { type: "APPROVE", payload: { comment: "Đồng ý" } }, head)
    expect(c.state).toBe("responding.review")
    c = await engine.send(c.id, { type: "SEND_BACK", payload: { comments: "Bổ sung số liệu" } }, leader)
    expect(c.state).toBe("responding.statement_drafted")
    expect(c.context.review.sentBack).toEqual([expect.objectContaining({ by: leader.id, role: "province_leader", comments: "Bổ sung số liệu" })])

    c = await engine.send(c.id, { type: "DRAFT_STATEMENT", payload: { text: "Thông cáo báo chí v2" } }, spokesperson)
    expect(c.context.statement.version).toBe(2)
    c = await engine.send(c.id, { type: "SUBMIT_FOR_REVIEW", payload: {} }, spokesperson)
    c = await engine.send(c.id, { type: "APPROVE", payload: {} }, head)
    c = await engine.send(c.id, { type: "APPROVE", payload: {} }, leader)
    expect(c.state).toBe("responding.approved")
    expect(c.context.review.approvals.map((a: any) => a.role)).toEqual(config.approvalChains.critical)

    await expectCode(engine.send(c.id, { type: "PUBLISH", payload: { channels: ["fax"], publishedAt: clock.now().toISOString() } }, spokesperson), "CIVICASE_E_VALIDATION")
    c = await engine.send(c.id, { type: "PUBLISH", payload: { channels: ["press_release", "provincial_portal"], publishedAt: clock.now().toISOString() } }, spokesperson)
    expect(c.state).toBe("published.monitoring")
    expect(c.deadlines.map((d) => d.name)).toEqual(["monitoring"])
    expect(emitted).toContainEqual(expect.objectContaining({ type: "press-response.published", channels: ["press_release", "provincial_portal"] }))

    clock.advance("P3D")
    expect(await engine.runDueTimers()).toBe(1)
    c = await engine.getCase(c.id, coordinator)
    expect(c.context.afterActionDue).toBe(true)

    const closing = { afterActionReport: "Thông tin được cải chính trong 20 giờ", result: "corrected", reason: "Dư luận đã ổn định" }
    await expectCode(engine.send(c.id, { type: "CLOSE", payload: { result: "x", reason: "y" } }, coordinator), "CIVICASE_E_VALIDATION")
    c = await engine.send(c.id, { type: "CLOSE", payload: closing }, coordinator)
    expect(c.state).toBe("closed")
    expect(c.context.closure).toMatchObject({ by: coordinator.id, ...closing })

    c = await engine.send(c.id, { type: "REOPEN", payload: { reason: "Xuất hiện thông tin mới" } }, head)
    expect(c.state).toBe("responding.fact_finding")
    expect(c.context.closure).toBeNull()
    expect(c.context.reopened).toEqual([expect.objectContaining({ by: head.id, reason: "Xuất hiện thông tin mới" })])

    c = await engine.send(c.id, { type: "RECORD_FACTS", payload: { findings: "Không có gì mới" } }, officer)
    c = await engine.send(c.id, { type: "DRAFT_STATEMENT", payload: { text: "Thông cáo bổ sung" } }, spokesperson)
    c = await engine.send(c.id, { type: "SUBMIT_FOR_REVIEW", payload: {} }, spokesperson)
    c = await engine.send(c.id, { type: "APPROVE", payload: {} }, head)
    c = await engine.send(c.id, { type: "APPROVE", payload: {} }, leader)
    c = await engine.send(c.id, { type: "PUBLISH", payload: { channels: ["press_conference"], publishedAt: clock.now().toISOString() } }, spokesperson)
    c = await engine.send(c.id, { type: "CLOSE", payload: closing }, coordinator)
    clock.advance("P30D")
    await engine.runDueTimers()
    c = await engine.getCase(c.id, coordinator)
    expect(c).toMatchObject({ state: "archived", status: "done" })
  })

  it("follows the one-approver chain of a medium incident and escalates a missed publication deadline", async () => {
    const { engine, clock, emitted } = await start()
    let c = await engine.createCase("press-response", { ...report, suspectedSeverity: "medium" }, reporter)
    c = await engine.send(c.id, triage("medium"), coordinator)
    c = await engine.send(c.id, { type: "RECORD_FACTS", payload: { findings: "…" } }, officer)
    c = await engine.send(c.id, { type: "DRAFT_STATEMENT", payload: { text: "…" } }, spokesperson)
    c = await engine.send(c.id, { type: "SUBMIT_FOR_REVIEW", payload: {} }, spokesperson)
    expect(c.context.review.chain).toEqual(config.approvalChains.medium)
    expect(c.allowedEvents).toEqual([])
    c = await engine.send(c.id, { type: "APPROVE", payload: {} }, head)
    expect(c.state).toBe("responding.approved")

    // Nobody publishes: the publication deadline passes and climbs the chain.
    clock.advance("P3D")
    await engine.runDueTimers()
    c = await engine.getCase(c.id, coordinator)
    expect(c.state).toBe("responding.approved")
    expect(c.context.escalation.log.map((e: any) => e.deadline)).toContain("publication")
    expect(emitted.filter((e) => e.type === "press-response.escalated").map((e) => e.deadline)).toContain("publication")
  })

  it("closes a low incident at triage only with a recorded rationale", async () => {
    const { engine } = await start()
    const high = await engine.createCase("press-response", report, reporter)
    const refused = await expectCode(engine.send(high.id, triage("high", { closeRationale: "Không đáng kể" }), coordinator), "CIVICASE_E_VALIDATION")
    expect(refused.issues.map((i: any) => i.path)).toContain("/severity")
    const low = await engine.createCase("press-response", { ...report, suspectedSeverity: "low" }, reporter)
    const c = await engine.send(low.id, triage("low", { closeRationale: "Tin đồn cục bộ, đã tự đính chính" }), coordinator)
    expect(c.state).toBe("closed")
    expect(c.context.closure).toMatchObject({ by: coordinator.id, reason: "Tin đồn cục bộ, đã tự đính chính", result: "closed_at_triage" })
    const history = await engine.history(c.id, coordinator)
    expect(history).toHaveLength(2)
    expect(history.at(-1)).toMatchObject({ type: "TRIAGE", to: "closed" })
  })

  it("refuses a responsible agency or category the province does not have", async () => {
    const { engine } = await start()
    const c = await engine.createCase("press-response", report, reporter)
    const e = await expectCode(engine.send(c.id, triage("high", { responsibleAgency: "so-khong-ton-tai", category: "gossip" }), coordinator), "CIVICASE_E_VALIDATION")
    expect(e.issues.map((i: any) => i.path).sort()).toEqual(["/category", "/responsibleAgency"])
  })
})

function parseHours(iso: string): number {
  const m = /^PT(\d+)H$/.exec(iso)
  if (!m) throw new Error(`test expects PTnH, got ${iso}`)
  return Number(m[1]) * 3_600_000
}
