import type { AnyMachineSnapshot, EventObject } from "xstate"
import { describe, expect, it } from "vitest"
import { planWorkflow } from "@civicase/workflows"
import { atomicStates, explore } from "./explore.js"
import { people, vinhPhuc } from "./support.js"

const def = planWorkflow(vinhPhuc)
const { coordinator, coordinatorHead, leader, vhHead, vhOfficer, nvHead } = people

const input = (isProject: boolean) => ({
  input: { title: "Kế hoạch TTĐN 2025", year: 2025, isProject, targets: { articles_published: 120 } },
  actor: vhOfficer,
  caseId: "00000000-0000-4000-8000-000000000002",
  now: "2025-01-06T02:00:00.000Z",
})

/** The id of a signed plan (the engine checks that it is a decision of the case; the machine only that it is named). */
const signedPlan = "00000000-0000-4000-8000-000000000015"

/** Every event a person could send, with a valid payload, from the right and the wrong people; guards decide which apply. */
function events(_s: AnyMachineSnapshot): EventObject[] {
  return [
    { type: "SUBMIT", payload: {}, actor: vhOfficer },
    ...[vhHead, nvHead, coordinatorHead, leader].flatMap((actor) => [
      { type: "APPROVE", payload: {}, actor },
      { type: "APPROVE", payload: { decisionDocument: signedPlan }, actor },
      { type: "RETURN", payload: { comments: "Bổ sung" }, actor },
    ]),
    { type: "APPRAISE", payload: { opinion: "Đạt", favourable: true }, actor: coordinatorHead },
    { type: "APPRAISE", payload: { opinion: "Chưa đạt", favourable: false }, actor: coordinatorHead },
    { type: "COMMENT", payload: { comments: "Hướng dẫn" }, actor: coordinator },
    { type: "START_IMPLEMENTATION", payload: {}, actor: vhHead },
    { type: "SUBMIT_REPORT", payload: { summary: "Đã thực hiện", values: { articles_published: 30 } }, actor: vhHead },
    { type: "ACCEPT_REPORT", payload: {}, actor: coordinator },
    { type: "RETURN_REPORT", payload: { comments: "Thiếu số liệu" }, actor: coordinator },
    { type: "CLOSE", payload: { reason: "Hết kỳ báo cáo", result: "Đạt" }, actor: vhHead },
    { type: "CANCEL", payload: { reason: "Sáp nhập cơ quan", result: "Chuyển sang kế hoạch chung" }, actor: vhHead },
  ] as unknown as EventObject[]
}

// What changes the paths: the route and step of the chain, and the period being reported on (not counters or comments).
const serialize = (s: AnyMachineSnapshot) =>
  JSON.stringify([s.value, s.context.route, s.context.step, s.context.current, s.context.periods.map((p: any) => [p.status, p.reminded, p.overdue])])

describe("plan version 2: every path, generated with xstate/graph", () => {
  const found = explore(def.machine, [input(false), input(true)], events, serialize)
  const { all, final } = atomicStates(def.machine)

  it("reaches every state, including every final state, and every state has a way out", () => {
    expect([...found.reached].sort()).toEqual([...all].sort())
    expect(final.sort()).toEqual(["plan.cancelled", "plan.closed"])
    expect([...found.noWayOut]).toEqual([])
    expect([...found.deadEnds]).toEqual([])
  })

  it("issues a plan only on the last step's approval, by the person that step names", () => {
    expect(found.reached).toContain("plan.issued")
    // The other agency's head and the coordinator never move a plan: no state is reached through them alone.
    const outsiders = (_s: AnyMachineSnapshot) =>
      [{ type: "SUBMIT", payload: {}, actor: vhOfficer }, ...[nvHead, coordinator].map((actor) => ({ type: "APPROVE", payload: {}, actor }))] as unknown as EventObject[]
    const blocked = explore(def.machine, [input(false), input(true)], outsiders, serialize)
    expect([...blocked.reached].sort()).toEqual(["plan.approval", "plan.draft"])
  })

  it("issues a plan only with its decision document: approvals naming none never reach issued", () => {
    const unsigned = (s: AnyMachineSnapshot) => events(s).filter((e: any) => !(e.type === "APPROVE" && e.payload.decisionDocument))
    const without = explore(def.machine, [input(false), input(true)], unsigned, serialize)
    expect(without.reached).toContain("plan.approval")
    expect(without.reached).not.toContain("plan.issued")
  })
})
