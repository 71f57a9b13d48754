import { afterEach, describe, expect, it } from "vitest"
import type { Engine } from "@civicase/core"
import { expectCode } from "@civicase/core/testing"
import { type ViolationConfig, sanctionProblem, violationWorkflowV1 as violationWorkflow } from "@civicase/workflows"
import { actorOf, departmentOf, scenarioEngine, shippedProvinces } from "./scenario-fixtures.js"

describe.each(shippedProvinces.map((p) => [p.id, p] as const))("violation in %s", (_id, province) => {
  const config = province.workflows.violation as ViolationConfig
  const fine = config.penalties.find((p) => p.fine)!
  const warning = config.penalties.find((p) => !p.fine)!
  const inspector = actorOf(province, "inspector")
  const legal = actorOf(province, "legal_reviewer")
  const head = actorOf(province, "coordinator_head")
  const coordinator = actorOf(province, "coordinator")
  const subjectAgency = departmentOf(province, 3)
  const subjectHead = actorOf(province, "agency_head", subjectAgency)
  const outsiderHead = actorOf(province, "agency_head", departmentOf(province, 4, [subjectAgency]))
  let engine: Engine | undefined

  afterEach(async () => {
    await engine?.close()
    engine = undefined
  })

  async function start() {
    const s = await scenarioEngine([violationWorkflow(province)])
    engine = s.engine
    return s
  }

  const report = { source: "monitoring", summary: "Trang thông tin điện tử đăng tin sai lệch về đối ngoại", subject: { name: "Trang tin X", agency: subjectAgency } }
  const sanction = { legalBasis: fine.legalBasis, penalty: fine.id, amount: fine.fine!.min }

  async function toSanction(engine: Engine) {
    let c = await engine.createCase("violation", report, coordinator)
    expect(c.state).toBe("screening.reported")
    c = await engine.send(c.id, { type: "START_CHECK", payload: {} }, inspector)
    c = await engine.send(c.id, { type: "OPEN_INSPECTION", payload: { team: ["Thanh tra viên A", "Thanh tra viên B"], scope: "Nội dung đăng tải 2025" } }, inspector)
    c = await engine.send(c.id, { type: "RECORD_FINDINGS", payload: { findings: "Đăng 3 tin sai", evidence: ["ảnh chụp màn hình"] } }, inspector)
    c = await engine.send(c.id, { type: "CONFIRM_VIOLATION", payload: { summary: "Vi phạm quy định về thông tin đối ngoại" } }, inspector)
    expect(c.state).toBe("violation_confirmed")
    return c
  }

  it("confirms a violation, decides a fine within the catalogue, collects both signatures, and enforces once the appeal window passes", async () => {
    const { engine, clock, emitted } = await start()
    let c = await toSanction(engine)

    const tooHigh = await expectCode(engine.send(c.id, { type: "DECIDE_SANCTION", payload: { ...sanction, amount: fine.fine!.max + 1 } }, inspector), "CIVICASE_E_VALIDATION")
    expect(tooHigh.issues).toContainEqual({ path: "/amount", message: `must be <= ${fine.fine!.max}` })
    const noAmount = await expectCode(engine.send(c.id, { type: "DECIDE_SANCTION", payload: { legalBasis: fine.legalBasis, penalty: fine.id } }, inspector), "CIVICASE_E_VALIDATION")
    expect(noAmount.issues.map((i: any) => i.path)).toContain("/amount")
    await expectCode(engine.send(c.id, { type: "DECIDE_SANCTION", payload: { legalBasis: ["x"], penalty: "prison" } }, inspector), "CIVICASE_E_VALIDATION")
    await expectCode(engine.send(c.id, { type: "DECIDE_SANCTION", payload: sanction }, subjectHead), "CIVICASE_E_FORBIDDEN")

    c = await engine.send(c.id, { type: "DECIDE_SANCTION", payload: sanction }, inspector)
    expect(c.state).toBe("sanction_decided")
    await expectCode(engine.send(c.id, { type: "NOTIFY_SUBJECT", payload: { notifiedAt: clock.now().toISOString(), method: "post" } }, inspector), "CIVICASE_E_EVENT_NOT_ACCEPTED")
    c = await engine.send(c.id, { type: "SIGN", payload: {} }, legal)
    await expectCode(engine.send(c.id, { type: "SIGN", payload: {} }, legal), "CIVICASE_E_EVENT_NOT_ACCEPTED")
    await expectCode(engine.send(c.id, { type: "NOTIFY_SUBJECT", payload: { notifiedAt: clock.now().toISOString(), method: "post" } }, inspector), "CIVICASE_E_EVENT_NOT_ACCEPTED")
    c = await engine.send(c.id, { type: "SIGN", payload: { comment: "Ký" } }, head)
    expect(c.context.sanction.signatures.map((s: any) => s.role).sort()).toEqual(["coordinator_head", "legal_reviewer"])
    c = await engine.send(c.id, { type: "NOTIFY_SUBJECT", payload: { notifiedAt: clock.now().toISOString(), method: "electronic" } }, inspector)
    expect(c.state).toBe("subject_notified")
    expect(c.deadlines.map((d) => d.name)).toEqual(["appealWindow"])
    expect(emitted).toContainEqual(expect.objectContaining({ type: "violation.subject-notified", penalty: fine.id, amount: fine.fine!.min }))

    // The appeal window passes without an appeal: enforcement starts by itself.
    clock.set(new Date(c.deadlines[0]!.dueAt))
    expect(await engine.runDueTimers()).toBe(1)
    c = await engine.getCase(c.id, inspector)
    expect(c.state).toBe("enforcement")
    expect(c.context.appealWindowPassed).toBe(true)
    await expectCode(engine.send(c.id, { type: "FILE_APPEAL", payload: { grounds: "late" } }, subjectHead), "CIVICASE_E_EVENT_NOT_ACCEPTED")

    c = await engine.send(c.id, { type: "VERIFY_COMPLIANCE", payload: { evidence: "Đã gỡ tin, nộp phạt" } }, inspector)
    await expectCode(engine.send(c.id, { type: "CLOSE", payload: { result: "complied" } }, head), "CIVICASE_E_VALIDATION")
    c = await engine.send(c.id, { type: "CLOSE", payload: { result: "complied", reason: "Đã chấp hành đầy đủ" } }, head)
    expect(c).toMatchObject({ state: "closed", status: "done" })
    expect(c.context.closure).toMatchObject({ by: head.id, result: "complied", reason: "Đã chấp hành đầy đủ" })
  })

  it("reviews an appeal: amends within the bounds, or annuls with a reason; only party agencies may file", async () => {
    const { engine, clock } = await start()
    const signed = async () => {
      let c = await toSanction(engine)
      c = await engine.send(c.id, { type: "DECIDE_SANCTION", payload: sanction }, inspector)
      c = await engine.send(c.id, { type: "SIGN", payload: {} }, legal)
      c = await engine.send(c.id, { type: "SIGN", payload: {} }, head)
      return engine.send(c.id, { type: "NOTIFY_SUBJECT", payload: { notifiedAt: clock.now().toISOString(), method: "in_person" } }, inspector)
    }
    let a = await signed()
    await expectCode(engine.send(a.id, { type: "FILE_APPEAL", payload: { grounds: "Mức phạt quá cao" } }, outsiderHead), "CIVICASE_E_CASE_NOT_FOUND")
    a = await engine.send(a.id, { type: "FILE_APPEAL", payload: { grounds: "Mức phạt quá cao" } }, subjectHead)
    expect(a.state).toBe("appeal_review")
    await expectCode(engine.send(a.id, { type: "AMEND", payload: { ...sanction, amount: fine.fine!.min - 1, reason: "giảm" } }, head), "CIVICASE_E_VALIDATION")
    await expectCode(engine.send(a.id, { type: "UPHOLD", payload: { reason: "…" } }, inspector), "CIVICASE_E_FORBIDDEN")
    a = await engine.send(a.id, { type: "AMEND", payload: { legalBasis: warning.legalBasis, penalty: warning.id, reason: "Vi phạm lần đầu" } }, head)
    expect(a.state).toBe("enforcement")
    expect(a.context.sanction).toMatchObject({ penalty: warning.id })
    expect(a.context.appeal).toMatchObject({ outcome: "amended", reason: "Vi phạm lần đầu" })

    let b = await signed()
    b = await engine.send(b.id, { type: "FILE_APPEAL", payload: { grounds: "Không có căn cứ" } }, subjectHead)
    b = await engine.send(b.id, { type: "ANNUL", payload: { reason: "Chứng cứ không đủ" } }, head)
    expect(b).toMatchObject({ state: "annulled", status: "done" })
    expect(b.context.closure).toMatchObject({ by: head.id, reason: "Chứng cứ không đủ", result: "annulled" })
  })

  it("dismisses or concludes no violation with a reason, and escalates a missed preliminary check", async () => {
    const { engine, clock, emitted } = await start()
    let c = await engine.createCase("violation", report, coordinator)
    clock.set(new Date(c.deadlines.find((d) => d.name === "preliminaryCheck")!.dueAt))
    expect(await engine.runDueTimers()).toBe(1)
    c = await engine.getCase(c.id, coordinator)
    expect(c.context.overdue).toEqual([{ deadline: "preliminaryCheck", state: "screening", to: "coordinator_head" }])
    expect(emitted).toContainEqual(expect.objectContaining({ type: "violation.overdue", deadline: "preliminaryCheck" }))
    await expectCode(engine.send(c.id, { type: "START_CHECK", payload: {} }, subjectHead), "CIVICASE_E_FORBIDDEN")
    c = await engine.send(c.id, { type: "START_CHECK", payload: {} }, inspector)
    await expectCode(engine.send(c.id, { type: "DISMISS", payload: {} }, inspector), "CIVICASE_E_VALIDATION")
    c = await engine.send(c.id, { type: "DISMISS", payload: { reason: "Không có căn cứ" } }, inspector)
    expect(c).toMatchObject({ state: "dismissed", status: "done" })
    expect(c.context.closure).toMatchObject({ by: inspector.id, reason: "Không có căn cứ", result: "dismissed" })

    let d = await engine.createCase("violation", report, coordinator)
    d = await engine.send(d.id, { type: "START_CHECK", payload: {} }, inspector)
    d = await engine.send(d.id, { type: "OPEN_INSPECTION", payload: { team: ["A"], scope: "s" } }, inspector)
    d = await engine.send(d.id, { type: "RECORD_FINDINGS", payload: { findings: "Không phát hiện sai phạm" } }, inspector)
    d = await engine.send(d.id, { type: "CONCLUDE_NO_VIOLATION", payload: { reason: "Thông tin đúng sự thật" } }, inspector)
    expect(d).toMatchObject({ state: "no_violation", status: "done" })
    expect(d.context.closure).toMatchObject({ result: "no_violation", reason: "Thông tin đúng sự thật" })
  })

  it("names what is wrong with a sanction outside the catalogue", () => {
    expect(sanctionProblem(config, { legalBasis: ["x"], penalty: fine.id, amount: fine.fine!.max + 1 })).toBe(
      `amount ${fine.fine!.max + 1} is outside the bounds of penalty ${fine.id}: ${fine.fine!.min} to ${fine.fine!.max}`,
    )
    expect(sanctionProblem(config, { legalBasis: ["x"], penalty: warning.id, amount: 1 })).toBe(`penalty ${warning.id} carries no fine; leave amount out`)
    expect(sanctionProblem(config, { legalBasis: ["x"], penalty: fine.id, amount: fine.fine!.max })).toBeUndefined()
  })
})
