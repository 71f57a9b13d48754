import { describe, expect, it } from "vitest"
import type { AnyMachineSnapshot, EventObject } from "xstate"
import { type Province, type ViolationConfig, loadProvince, violationWorkflow } from "@civicase/workflows"
import { atomicStates, explore } from "./explore.js"
import { actorOf } from "./scenario-fixtures.js"
import { vinhPhuc } from "./support.js"

const variant = (hold: ViolationConfig["enforcementHold"]): Province => {
  const copy = JSON.parse(JSON.stringify(vinhPhuc))
  copy.workflows.violation.enforcementHold = hold
  return loadProvince(copy)
}

describe("violation version 2: every path, with each enforcement hold", () => {
  const config = vinhPhuc.workflows.violation as ViolationConfig
  const fine = config.penalties.find((p) => p.fine)!
  const inspector = actorOf(vinhPhuc, "inspector")
  const legal = actorOf(vinhPhuc, "legal_reviewer")
  const head = actorOf(vinhPhuc, "coordinator_head")
  const at = "2025-03-03T02:00:00.000Z"
  const terms = { legalBasis: fine.legalBasis, penalty: fine.id, amount: fine.fine!.max }

  const events = (s: AnyMachineSnapshot): EventObject[] => {
    const e = (type: string, payload: object, actor = inspector) => ({ type, payload, actor }) as unknown as EventObject
    if (s.matches({ screening: "reported" })) return [e("START_CHECK", {})]
    if (s.matches({ screening: "preliminary_check" })) return [e("DISMISS", { reason: "r" }), e("OPEN_INSPECTION", { team: ["a"], scope: "s" })]
    if (s.matches("inspection_opened")) return [e("RECORD_FINDINGS", { findings: "f" })]
    if (s.matches("findings_recorded")) return [e("CONCLUDE_NO_VIOLATION", { reason: "r" }), e("CONFIRM_VIOLATION", { summary: "s" })]
    if (s.matches("violation_confirmed")) return [e("DECIDE_SANCTION", terms), e("DECIDE_SANCTION", { ...terms, amount: fine.fine!.max + 1 })]
    if (s.matches("sanction_decided"))
      return [e("SIGN", {}, legal), e("SIGN", {}, head), e("RETURN_SANCTION", { comments: "c" }, legal), e("NOTIFY_SUBJECT", { notifiedAt: at, method: "post" })]
    if (s.matches("decision_in_force"))
      return [
        e("FILE_COMPLAINT", { grounds: "g" }, head),
        e("UPHOLD", { reason: "r" }, head),
        e("AMEND", { ...terms, amount: fine.fine!.min, reason: "r" }, head),
        e("ANNUL", { reason: "r" }, head),
        e("SUSPEND_ENFORCEMENT", { reason: "r" }, head),
        e("RESUME_ENFORCEMENT", { reason: "r" }, head),
        e("VERIFY_COMPLIANCE", { evidence: "e" }),
      ]
    if (s.matches("compliance_verified")) return [e("CLOSE", { result: "done", reason: "r" }, head)]
    return []
  }
  const serialize = (s: AnyMachineSnapshot) =>
    JSON.stringify([s.value, s.context.sanction?.signatures.length ?? null, s.context.sanction?.amount ?? null, s.context.suspension === null, s.context.complaintStatus])
  const input = { input: { source: "complaint", summary: "s", subject: { name: "X" } }, actor: inspector, caseId: "c-2", now: at }
  const runs = (["none", "while_complaint_pending", "until_window_ends"] as const).map((hold) => [hold, explore(violationWorkflow(variant(hold)).machine, [input], events, serialize)] as const)
  const { all, final } = atomicStates(violationWorkflow(vinhPhuc).machine)

  it("reaches every state over the three holds, and every final state of the case under each; no state is a dead end or without a way out", () => {
    const reached = new Set(runs.flatMap(([, r]) => [...r.reached]))
    // "starting" only chooses between holding and enforcing: a case never rests there.
    expect([...reached].sort()).toEqual(all.filter((id) => id !== "violation.decision_in_force.enforcement.starting").sort())
    for (const [hold, r] of runs) {
      // The case's own final states; a region's final state may be left at once (the other region already done).
      for (const f of final.filter((id) => id.split(".").length === 2)) expect(r.reached, `${hold}: ${f}`).toContain(f)
      expect([...r.deadEnds], hold).toEqual([])
      expect([...r.noWayOut], hold).toEqual([])
    }
  })

  it("holds enforcement back only where configured or decided by the reviewer", () => {
    const [none, pending, window] = runs.map(([, r]) => r.reached)
    expect(none).not.toContain("violation.decision_in_force.enforcement.held")
    expect(pending).not.toContain("violation.decision_in_force.enforcement.held")
    expect(window).toContain("violation.decision_in_force.enforcement.held")
    // Without a hold, suspension comes only from the reviewer's decision.
    expect(none).toContain("violation.decision_in_force.enforcement.suspended")
  })
})
