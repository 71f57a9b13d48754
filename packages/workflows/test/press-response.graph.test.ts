import { describe, expect, it } from "vitest"
import type { AnyMachineSnapshot, AnyStateMachine } from "xstate"
import { getShortestPaths } from "xstate/graph"
import { flatState } from "@civicase/core"
import { pressResponseWorkflowV1 as pressResponseWorkflow, severities } from "@civicase/workflows"
import { checkGraph } from "./graph-checks.js"
import { actorOf, shippedProvinces } from "./scenario-fixtures.js"

describe.each(shippedProvinces.map((p) => [p.id, p] as const))("press-response graph in %s", (_id, province) => {
  const def = pressResponseWorkflow(province)
  const machine = def.machine as AnyStateMachine
  const coordinator = actorOf(province, "coordinator")
  const officer = actorOf(province, "agency_officer", "agency-x")
  const spokesperson = actorOf(province, "spokesperson", "agency-x")
  const at = "2025-03-03T02:00:00.000Z"

  const events = (s: AnyMachineSnapshot) => {
    const state = flatState(s.value)
    const approver = { ...coordinator, roles: [s.context.review.chain[s.context.review.step] ?? "coordinator_head"] }
    switch (state) {
      case "reported":
        return [
          ...severities.map((severity) => ({ type: "TRIAGE", payload: { severity, category: "incident", responsibleAgency: "agency-x" }, actor: coordinator })),
          { type: "TRIAGE", payload: { severity: "low", category: "incident", responsibleAgency: "agency-x", closeRationale: "minor" }, actor: coordinator },
        ]
      case "responding.fact_finding":
        return [{ type: "RECORD_FACTS", payload: { findings: "facts" }, actor: officer }]
      case "responding.drafting":
      case "responding.statement_drafted":
        return [
          { type: "DRAFT_STATEMENT", payload: { text: "draft" }, actor: spokesperson },
          { type: "SUBMIT_FOR_REVIEW", payload: {}, actor: spokesperson },
        ]
      case "responding.review":
        return [
          { type: "APPROVE", payload: {}, actor: approver },
          { type: "SEND_BACK", payload: { comments: "again" }, actor: approver },
        ]
      case "responding.approved":
        return [{ type: "PUBLISH", payload: { channels: ["press_release"], publishedAt: at }, actor: spokesperson }]
      case "published.monitoring":
        return [{ type: "CLOSE", payload: { afterActionReport: "r", result: "ok", reason: "calm" }, actor: coordinator }]
      case "closed":
        return [{ type: "REOPEN", payload: { reason: "new facts" }, actor: coordinator }]
      default:
        return []
    }
  }

  it("reaches every state and every final state, and every state has a way out", () => {
    const input = { input: { kind: "incident", summary: "s", suspectedSeverity: "high" }, actor: officer, caseId: "c-1", now: at }
    const { reachedStates } = checkGraph(machine, [input], events, (s) =>
      JSON.stringify([s.value, s.context.severity, s.context.review.step, s.context.closure === null]),
    )
    expect(reachedStates).toContain("archived")
  })

  it("accepts approvals only along the configured chain of each severity, in order", () => {
    const roles = [...new Set([...def.permissions.APPROVE!.roles, "agency_officer"])]
    for (const severity of severities) {
      const chain = (province.workflows["press-response"] as any).approvalChains[severity] as string[]
      const anyApprover = (s: AnyMachineSnapshot) =>
        flatState(s.value) === "responding.review"
          ? roles.map((role) => ({ type: "APPROVE", payload: {}, actor: { ...coordinator, id: role, roles: [role] } }))
          : flatState(s.value) === "reported"
            ? [{ type: "TRIAGE", payload: { severity, category: "incident", responsibleAgency: "agency-x" }, actor: coordinator }]
            : events(s)
      const [path] = getShortestPaths(machine, {
        input: { input: { kind: "incident", summary: "s" }, actor: officer, caseId: "c-1", now: at },
        events: anyApprover,
        serializeState: (s) => JSON.stringify([s.value, s.context.review.step]),
        toState: (s) => flatState(s.value) === "responding.approved",
      })
      expect(path!.steps.filter((step) => step.event.type === "APPROVE").map((step) => step.event.actor.roles[0])).toEqual(chain)
    }
  })
})
