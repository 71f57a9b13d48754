import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { pglite } from "@civicase/adapters"
import { type Engine, createEngine, silentLogger, testClock } from "@civicase/core"
import { expectCode } from "@civicase/core/testing"
import { type Province, type ViolationConfig, loadProvince, violationWorkflow, violationWorkflowV1 } from "@civicase/workflows"
import { outboxTopics, vinhPhuc } from "./support.js"
import { actorOf, attachDecision, attachFile, footprint, scenarioEngine } from "./scenario-fixtures.js"

const config = vinhPhuc.workflows.violation as ViolationConfig
const fine = config.penalties.find((p) => p.fine)!
const inspector = actorOf(vinhPhuc, "inspector")
const legal = actorOf(vinhPhuc, "legal_reviewer")
const head = actorOf(vinhPhuc, "coordinator_head")
const coordinator = actorOf(vinhPhuc, "coordinator")
const sanction = { legalBasis: fine.legalBasis, penalty: fine.id, amount: fine.fine!.max }
const report = { source: "monitoring", summary: "Trang tin đăng thông tin sai lệch về đối ngoại", subject: { name: "Trang tin X" } }
const due = (view: { deadlines: ReadonlyArray<{ name: string; dueAt: string }> }) => Object.fromEntries(view.deadlines.map((d) => [d.name, d.dueAt]))

function withHold(hold: ViolationConfig["enforcementHold"], window?: object): Province {
  const copy = JSON.parse(JSON.stringify(vinhPhuc))
  copy.workflows.violation.enforcementHold = hold
  if (window) copy.workflows.violation.complaintWindow = window
  return loadProvince(copy)
}

/** A case of version 2 with a signed decision, notified on `notifiedAt` (default: now, Monday 3 March 2025, 09:00 in Hà Nội). */
async function notified(engine: Engine, notifiedAt?: string, version = 2) {
  const c = await engine.createCase("violation", report, coordinator)
  expect(c.version).toBe(version)
  // Version 2 issues the sanction only with a decision document of the case; version 1 knows none.
  const decided = version === 2 ? { ...sanction, decisionDocument: await attachDecision(engine, c.id, inspector) } : sanction
  for (const [type, payload, actor] of [
    ["START_CHECK", {}, inspector],
    ["OPEN_INSPECTION", { team: ["Thanh tra viên A"], scope: "Nội dung 2025" }, inspector],
    ["RECORD_FINDINGS", { findings: "Đăng 3 tin sai" }, inspector],
    ["CONFIRM_VIOLATION", { summary: "Vi phạm" }, inspector],
    ["DECIDE_SANCTION", decided, inspector],
    ["SIGN", {}, legal],
    ["SIGN", {}, head],
  ] as const) {
    await engine.send(c.id, { type, payload }, actor)
  }
  return engine.send(c.id, { type: "NOTIFY_SUBJECT", payload: { notifiedAt: notifiedAt ?? engine.clock.now().toISOString(), method: "post" } }, inspector)
}

describe("violation version 2: a complaint does not suspend the decision (Luật XLVPHC 2012, Điều 15)", () => {
  let engine: Engine | undefined
  afterEach(async () => {
    await engine?.close()
    engine = undefined
  })
  const start = async (province: Province = vinhPhuc) => {
    const s = await scenarioEngine([violationWorkflowV1(province), violationWorkflow(province)])
    engine = s.engine
    return s
  }

  it("enforces at once on notification, beside a 90-day complaint window counted from receipt; closes once complied and the window has ended", async () => {
    const { engine, clock, emitted } = await start()
    let c = await notified(engine)
    expect(c.state).toBe("decision_in_force.complaint.window_open,decision_in_force.enforcement.enforcing")
    // Received Monday 3 March 2025: day 90 is Sunday 1 June, so the window ends at midnight after Monday 2 June (Hà Nội).
    expect(due(c)).toEqual({ enforcement: "2025-03-17T10:00:00.000Z", complaintWindow: "2025-06-02T17:00:00.000Z" })
    expect(c.context.enforcement).toEqual([{ event: "started", cause: "notified", terms: sanction }])
    // In the order the machine emitted them (the outbox rows of one transition have no order among themselves).
    expect(emitted.map((e) => e.type)).toEqual(["violation.subject-notified", "violation.enforcement-started"])
    expect((await outboxTopics(engine, c.id)).sort()).toEqual(["violation.enforcement-started", "violation.subject-notified"])

    c = await engine.send(c.id, { type: "VERIFY_COMPLIANCE", payload: { evidence: "Biên lai nộp phạt" } }, inspector)
    expect(c.state).toBe("decision_in_force.complaint.window_open,decision_in_force.enforcement.complied")
    await expectCode(engine.send(c.id, { type: "CLOSE", payload: { result: "x", reason: "y" } }, head), "CIVICASE_E_EVENT_NOT_ACCEPTED")
    clock.set(new Date("2025-06-02T17:00:00.000Z"))
    expect(await engine.runDueTimers()).toBe(1)
    c = await engine.getCase(c.id, head)
    expect([c.state, c.context.complaintStatus]).toEqual(["compliance_verified", "window_closed"])
    c = await engine.send(c.id, { type: "CLOSE", payload: { result: "Đã chấp hành", reason: "Hết thời hiệu khiếu nại" } }, head)
    expect(c.status).toBe("done")
  })

  it("counts the window from the day the subject received the decision, not from when it was recorded", async () => {
    const { engine } = await start(withHold("none", { calendarDays: 30 }))
    // Received Friday 28 February, recorded Monday 3 March: 30 days end at midnight after Sunday 30 March, moved to Monday 31 March.
    const c = await notified(engine, "2025-02-28T03:00:00.000Z")
    expect(due(c).complaintWindow).toBe("2025-03-31T17:00:00.000Z")
  })

  it("keeps enforcing while a complaint is reviewed; the reviewer may suspend it; an amendment restarts it on the new terms", async () => {
    const { engine, clock, emitted } = await start()
    let c = await notified(engine)
    clock.advance("P2D")
    c = await engine.send(c.id, { type: "FILE_COMPLAINT", payload: { grounds: "Mức phạt quá cao" } }, coordinator)
    expect(c.state).toBe("decision_in_force.complaint.under_review,decision_in_force.enforcement.enforcing")
    c = await engine.send(c.id, { type: "SUSPEND_ENFORCEMENT", payload: { reason: "Thi hành ngay gây hậu quả khó khắc phục" } }, head)
    expect(c.state).toBe("decision_in_force.complaint.under_review,decision_in_force.enforcement.suspended")
    await expectCode(engine.send(c.id, { type: "VERIFY_COMPLIANCE", payload: { evidence: "x" } }, inspector), "CIVICASE_E_EVENT_NOT_ACCEPTED")
    const amended = await attachDecision(engine, c.id, head, "quyet-dinh-sua-doi.pdf")
    await expectCode(engine.send(c.id, { type: "AMEND", payload: { ...sanction, amount: fine.fine!.max + 1, reason: "x", decisionDocument: amended } }, head), "CIVICASE_E_VALIDATION")
    await expectCode(engine.send(c.id, { type: "AMEND", payload: { ...sanction, amount: fine.fine!.min, reason: "x" } }, head), "CIVICASE_E_VALIDATION")
    clock.advance("P1D")
    c = await engine.send(c.id, { type: "AMEND", payload: { ...sanction, amount: fine.fine!.min, reason: "Giảm mức phạt", decisionDocument: amended } }, head)
    expect(c.state).toBe("decision_in_force.complaint.resolved,decision_in_force.enforcement.enforcing")
    expect(c.context.sanction).toMatchObject({ amount: fine.fine!.min, decisionDocument: amended })
    expect(c.context.suspension).toBeNull()
    expect(c.context.enforcement.map((e: any) => [e.event, e.terms?.amount])).toEqual([
      ["started", fine.fine!.max],
      ["suspended", fine.fine!.max],
      ["restarted", fine.fine!.min],
    ])
    // The enforcement deadline runs again from the amendment (Thursday 6 March + 10 working days).
    expect(due(c)).toEqual({ enforcement: "2025-03-20T10:00:00.000Z" })
    expect(emitted.map((e) => e.type)).toEqual([
      "violation.subject-notified",
      "violation.enforcement-started",
      "violation.complaint-filed",
      "violation.enforcement-suspended",
      "violation.enforcement-started",
    ])
    c = await engine.send(c.id, { type: "VERIFY_COMPLIANCE", payload: { evidence: "Biên lai" } }, inspector)
    expect(c.state).toBe("compliance_verified")
  })

  it("stops enforcement and ends the case when the decision is annulled", async () => {
    const { engine } = await start()
    let c = await notified(engine)
    await expectCode(engine.send(c.id, { type: "ANNUL", payload: { reason: "x" } }, head), "CIVICASE_E_EVENT_NOT_ACCEPTED")
    await engine.send(c.id, { type: "FILE_COMPLAINT", payload: { grounds: "Không có căn cứ" } }, coordinator)
    await expectCode(engine.send(c.id, { type: "ANNUL", payload: { reason: "x" } }, coordinator), "CIVICASE_E_FORBIDDEN")
    c = await engine.send(c.id, { type: "ANNUL", payload: { reason: "Quyết định không có căn cứ" } }, head)
    expect([c.state, c.status, c.deadlines]).toEqual(["annulled", "done", []])
    expect(c.context.enforcement.at(-1)).toEqual({ event: "stopped", cause: "annulled", terms: null })
    expect(c.context.complaint).toMatchObject({ outcome: "annulled", reason: "Quyết định không có căn cứ" })
    expect((await outboxTopics(engine, c.id)).at(-1)).toBe("violation.enforcement-stopped")
  })

  it("holds enforcement only when configured: while a complaint is pending, or until the window ends", async () => {
    const pending = await start(withHold("while_complaint_pending"))
    let c = await notified(pending.engine)
    c = await pending.engine.send(c.id, { type: "FILE_COMPLAINT", payload: { grounds: "g" } }, coordinator)
    expect(c.state).toBe("decision_in_force.complaint.under_review,decision_in_force.enforcement.suspended")
    c = await pending.engine.send(c.id, { type: "UPHOLD", payload: { reason: "Đúng quy định" } }, head)
    expect(c.state).toBe("decision_in_force.complaint.resolved,decision_in_force.enforcement.enforcing")
    expect(c.context.enforcement.map((e: any) => e.event)).toEqual(["started", "suspended", "resumed"])
    await pending.engine.close()

    const { engine, clock } = await start(withHold("until_window_ends"))
    c = await notified(engine)
    expect(c.state).toBe("decision_in_force.complaint.window_open,decision_in_force.enforcement.held")
    expect(due(c)).toEqual({ complaintWindow: "2025-06-02T17:00:00.000Z" })
    clock.set(new Date("2025-06-02T17:00:00.000Z"))
    await engine.runDueTimers()
    c = await engine.getCase(c.id, head)
    expect(c.state).toBe("decision_in_force.complaint.window_closed,decision_in_force.enforcement.enforcing")
    expect(c.context.enforcement.map((e: any) => e.event)).toEqual(["held", "started"])
  })

  it("decides a sanction only with a decision document of this case; evidence names documents of the case; a refusal writes nothing", async () => {
    const { engine } = await start()
    const c = await engine.createCase("violation", report, coordinator)
    const other = await engine.createCase("violation", report, coordinator)
    const photo = await attachFile(engine, c.id, inspector, "anh-chup-trang-tin.pdf")
    const elsewhere = await attachDecision(engine, other.id, inspector)
    await engine.send(c.id, { type: "START_CHECK", payload: {} }, inspector)
    await engine.send(c.id, { type: "OPEN_INSPECTION", payload: { team: ["Thanh tra viên A"], scope: "Nội dung 2025" } }, inspector)
    const refused = async (type: string, payload: object) => {
      const before = await footprint(engine, c.id, head)
      const e = await expectCode(engine.send(c.id, { type, payload }, inspector), "CIVICASE_E_VALIDATION")
      expect(await footprint(engine, c.id, head)).toEqual(before)
      return e.issues
    }
    expect(await refused("RECORD_FINDINGS", { findings: "f", evidence: [photo, elsewhere] })).toEqual([{ path: "/evidence/1", message: "must be the id of a document attached to this case" }])
    expect(await refused("RECORD_FINDINGS", { findings: "f", evidence: ["Biên bản số 3"] })).toMatchObject([{ path: "/evidence/0" }])
    let now = await engine.send(c.id, { type: "RECORD_FINDINGS", payload: { findings: "Đăng 3 tin sai", evidence: [photo] } }, inspector)
    expect(now.context.findings.evidence).toEqual([photo])
    await engine.send(c.id, { type: "CONFIRM_VIOLATION", payload: { summary: "Vi phạm" } }, inspector)
    expect(await refused("DECIDE_SANCTION", sanction)).toMatchObject([{ path: "/decisionDocument" }])
    expect((await refused("DECIDE_SANCTION", { ...sanction, decisionDocument: photo }))[0]).toMatchObject({ path: "/decisionDocument", message: expect.stringContaining("decision metadata") })
    expect(await refused("DECIDE_SANCTION", { ...sanction, decisionDocument: elsewhere })).toEqual([{ path: "/decisionDocument", message: "must be the id of a document attached to this case" }])
    const decision = await attachDecision(engine, c.id, inspector)
    now = await engine.send(c.id, { type: "DECIDE_SANCTION", payload: { ...sanction, decisionDocument: decision } }, inspector)
    expect([now.state, now.context.sanction.decisionDocument]).toEqual(["sanction_decided", decision])
  })

  it("keeps a case started on version 1 on version 1 (its appeal window still holds enforcement); new cases start on version 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "civicase-violation-"))
    const clock = testClock(new Date("2025-03-03T02:00:00.000Z"))
    const open = (workflows: ReturnType<typeof violationWorkflow>[]) => createEngine({ store: pglite({ dataDir: dir }), workflows, clock, scheduler: false, logger: silentLogger })
    try {
      const before = open([violationWorkflowV1(vinhPhuc)])
      const old = await notified(before, undefined, 1)
      expect(old.state).toBe("subject_notified")
      await before.close()
      engine = open([violationWorkflowV1(vinhPhuc), violationWorkflow(vinhPhuc)])
      const again = await engine.send(old.id, { type: "FILE_APPEAL", payload: { grounds: "Mức phạt quá cao" } }, coordinator)
      expect([again.version, again.state]).toEqual([1, "appeal_review"])
      const fresh = await notified(engine)
      expect([fresh.version, fresh.state]).toEqual([2, "decision_in_force.complaint.window_open,decision_in_force.enforcement.enforcing"])
    } finally {
      await engine?.close()
      engine = undefined
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
