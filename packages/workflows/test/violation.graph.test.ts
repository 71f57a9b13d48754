import { describe, expect, it } from "vitest"
import type { AnyMachineSnapshot, AnyStateMachine } from "xstate"
import { flatState } from "@civicase/core"
import { type ViolationConfig, violationWorkflowV1 as violationWorkflow } from "@civicase/workflows"
import { checkGraph } from "./graph-checks.js"
import { actorOf, shippedProvinces } from "./scenario-fixtures.js"

describe.each(shippedProvinces.map((p) => [p.id, p] as const))("violation graph in %s", (_id, province) => {
  const def = violationWorkflow(province)
  const machine = def.machine as AnyStateMachine
  const config = province.workflows.violation as ViolationConfig
  const fine = config.penalties.find((p) => p.fine)!
  const inspector = actorOf(province, "inspector")
  const legal = actorOf(province, "legal_reviewer")
  const head = actorOf(province, "coordinator_head")
  const at = "2025-03-03T02:00:00.000Z"
  const terms = { legalBasis: fine.legalBasis, penalty: fine.id, amount: fine.fine!.max }

  const events = (s: AnyMachineSnapshot) => {
    switch (flatState(s.value)) {
      case "screening.reported":
        return [{ type: "START_CHECK", payload: {}, actor: inspector }]
      case "screening.preliminary_check":
        return [
          { type: "DISMISS", payload: { reason: "r" }, actor: inspector },
          { type: "OPEN_INSPECTION", payload: { team: ["a"], scope: "s" }, actor: inspector },
        ]
      case "inspection_opened":
        return [{ type: "RECORD_FINDINGS", payload: { findings: "f" }, actor: inspector }]
      case "findings_recorded":
        return [
          { type: "CONCLUDE_NO_VIOLATION", payload: { reason: "r" }, actor: inspector },
          { type: "CONFIRM_VIOLATION", payload: { summary: "s" }, actor: inspector },
        ]
      case "violation_confirmed":
        return [
          { type: "DECIDE_SANCTION", payload: terms, actor: inspector },
          // Refused by the guard: never reaches a new state.
          { type: "DECIDE_SANCTION", payload: { ...terms, amount: fine.fine!.max + 1 }, actor: inspector },
        ]
      case "sanction_decided":
        return [
          { type: "SIGN", payload: {}, actor: legal },
          { type: "SIGN", payload: {}, actor: head },
          { type: "RETURN_SANCTION", payload: { comments: "c" }, actor: legal },
          { type: "NOTIFY_SUBJECT", payload: { notifiedAt: at, method: "post" }, actor: inspector },
        ]
      case "subject_notified":
        return [{ type: "FILE_APPEAL", payload: { grounds: "g" }, actor: head }]
      case "appeal_review":
        return [
          { type: "UPHOLD", payload: { reason: "r" }, actor: head },
          { type: "AMEND", payload: { ...terms, reason: "r" }, actor: head },
          { type: "ANNUL", payload: { reason: "r" }, actor: head },
        ]
      case "enforcement":
        return [{ type: "VERIFY_COMPLIANCE", payload: { evidence: "e" }, actor: inspector }]
      case "compliance_verified":
        return [{ type: "CLOSE", payload: { result: "done", reason: "r" }, actor: head }]
      default:
        return []
    }
  }

  it("reaches every state and every final state, and every state has a way out", () => {
    const input = { input: { source: "complaint", summary: "s", subject: { name: "X" } }, actor: inspector, caseId: "c-1", now: at }
    const { paths } = checkGraph(machine, [input], events, (s) => JSON.stringify([s.value, s.context.sanction?.signatures.length ?? null, s.context.sanction?.amount ?? null]))
    // No path ever records an amount outside the catalogue.
    for (const p of paths) expect(p.state.context.sanction?.amount ?? fine.fine!.max).toBeLessThanOrEqual(fine.fine!.max)
    // The subject is notified only after both signatures.
    const notified = paths.find((p) => flatState(p.state.value) === "subject_notified")!
    expect(notified.steps.filter((s) => s.event.type === "SIGN")).toHaveLength(2)
  })
})
