import { describe, expect, it } from "vitest"
import type { AnyMachineSnapshot, AnyStateMachine } from "xstate"
import { flatState } from "@civicase/core"
import { type CommendationConfig, commendationWorkflow } from "@civicase/workflows"
import { checkGraph } from "./graph-checks.js"
import { actorOf, shippedProvinces } from "./scenario-fixtures.js"

describe.each(shippedProvinces.map((p) => [p.id, p] as const))("commendation graph in %s", (_id, province) => {
  const def = commendationWorkflow(province)
  const machine = def.machine as AnyStateMachine
  const config = province.workflows.commendation as CommendationConfig
  const officer = actorOf(province, "agency_officer", "agency-x")
  const head = actorOf(province, "agency_head", "agency-x")
  const secretary = actorOf(province, "council_secretary")
  const leader = actorOf(province, "province_leader")
  const at = "2025-03-03T02:00:00.000Z"
  const member = (n: number) => ({ ...actorOf(province, "council_member"), id: `member-${n}` })

  const events = (s: AnyMachineSnapshot) => {
    switch (flatState(s.value)) {
      case "nominated":
        return [{ type: "SUBMIT_NOMINATION", payload: {}, actor: officer }]
      case "agency_review":
        return [
          { type: "ENDORSE", payload: {}, actor: head },
          { type: "RETURN", payload: { comments: "c" }, actor: head },
          { type: "REJECT", payload: { reason: "r" }, actor: head },
        ]
      case "submitted.completeness_check":
        return [
          { type: "MARK_COMPLETE", payload: {}, actor: secretary },
          { type: "REQUEST_DOCUMENTS", payload: { comments: "c" }, actor: secretary },
          { type: "REJECT", payload: { reason: "r" }, actor: secretary },
        ]
      case "submitted.documents_requested":
        return [{ type: "PROVIDE_DOCUMENTS", payload: { documents: ["d"] }, actor: officer }]
      case "council_vote": {
        // The next member votes; the first member trying again is refused by the guard.
        const next = member(s.context.votes.length)
        return [
          { type: "VOTE", payload: { vote: "for" }, actor: next },
          { type: "VOTE", payload: { vote: "against" }, actor: next },
          { type: "VOTE", payload: { vote: "for" }, actor: member(0) },
          { type: "CLOSE_VOTE", payload: {}, actor: secretary },
        ]
      }
      case "proposed":
        return [
          { type: "DECIDE", payload: { decisionNumber: "1" }, actor: leader },
          { type: "FORWARD_TO_CENTRAL", payload: { note: "n" }, actor: leader },
          { type: "REJECT", payload: { reason: "r" }, actor: leader },
        ]
      case "forwarded_to_central":
        return [
          { type: "RECORD_CENTRAL_DECISION", payload: { granted: true, decisionNumber: "2" }, actor: secretary },
          { type: "RECORD_CENTRAL_DECISION", payload: { granted: false, reason: "r" }, actor: secretary },
        ]
      case "decided":
        return [{ type: "ANNOUNCE", payload: { announcedAt: at, channels: ["ceremony"] }, actor: secretary }]
      case "announced":
        return [{ type: "CLOSE", payload: { result: "awarded", reason: "r" }, actor: secretary }]
      default:
        return []
    }
  }
  const serialize = (s: AnyMachineSnapshot) => {
    const votes = s.context.votes as Array<{ by: string; vote: string }>
    return JSON.stringify([s.value, votes.filter((v) => v.vote === "for").length, votes.length])
  }

  it("reaches every state and every final state over awards of both authorities, and every state has a way out", () => {
    const inputs = config.awards.map((award) => ({
      input: { nominee: { name: "n", kind: "individual" }, achievements: ["a"], awardType: award.id },
      actor: officer,
      caseId: "c-1",
      now: at,
    }))
    const { paths } = checkGraph(machine, inputs, events, serialize)
    // No member's vote is ever counted twice.
    for (const p of paths) {
      const voters = (p.state.context.votes as Array<{ by: string }>).map((v) => v.by)
      expect(new Set(voters).size).toBe(voters.length)
    }
    // Every path to "proposed" carries the configured majority with a quorum.
    for (const p of paths.filter((p) => flatState(p.state.value) === "proposed")) {
      expect(p.state.context.tally).toMatchObject({ quorumMet: true, carried: true })
      expect(p.state.context.votes.length).toBeGreaterThanOrEqual(config.council.quorum)
    }
  })
})
