import type { AnyMachineSnapshot, EventObject } from "xstate"
import { describe, expect, it } from "vitest"
import { planWorkflowV1 as planWorkflow } from "@civicase/workflows"
import { atomicStates, explore } from "./explore.js"
import { people, vinhPhuc } from "./support.js"

const def = planWorkflow(vinhPhuc)
const { coordinator, coordinatorHead, leader, vhHead } = people

const input = (isProject: boolean) => ({
  input: { title: "Kế hoạch TTĐN 2025", year: 2025, isProject, indicators: [{ name: "Tin bài đối ngoại", target: "120" }] },
  actor: people.vhOfficer,
  caseId: "00000000-0000-4000-8000-000000000001",
  now: "2025-01-06T02:00:00.000Z",
})

/** Every event a person could send, with a valid payload; guards decide which apply. */
function events(_s: AnyMachineSnapshot): EventObject[] {
  return [
    { type: "SUBMIT", payload: {}, actor: vhHead },
    { type: "START_REVIEW", payload: {}, actor: coordinator },
    { type: "REQUEST_REVISION", payload: { comments: "Bổ sung chỉ tiêu" }, actor: coordinator },
    { type: "APPROVE", payload: {}, actor: coordinator },
    { type: "APPRAISE", payload: { opinion: "Đạt", favourable: true }, actor: coordinatorHead },
    { type: "APPRAISE", payload: { opinion: "Chưa đạt", favourable: false }, actor: coordinatorHead },
    { type: "LEADER_APPROVE", payload: { decision: "QĐ 12/QĐ-UBND" }, actor: leader },
    { type: "LEADER_RETURN", payload: { comments: "Làm rõ kinh phí" }, actor: leader },
    { type: "START_IMPLEMENTATION", payload: {}, actor: vhHead },
    { type: "SUBMIT_REPORT", payload: { summary: "Đã thực hiện", indicators: [{ name: "Tin bài đối ngoại", achieved: "30" }] }, actor: vhHead },
    { type: "ACCEPT_REPORT", payload: {}, actor: coordinator },
    { type: "RETURN_REPORT", payload: { comments: "Thiếu số liệu" }, actor: coordinator },
    { type: "CLOSE", payload: { reason: "Hết kỳ báo cáo", result: "Đạt 4/4 kỳ" }, actor: coordinator },
    { type: "CANCEL", payload: { reason: "Sáp nhập cơ quan", result: "Chuyển sang kế hoạch chung" }, actor: leader },
  ] as unknown as EventObject[]
}

// Context that changes the paths: the period being reported on and its flags; not counters or comments.
const serialize = (s: AnyMachineSnapshot) =>
  JSON.stringify([s.value, s.context.isProject, s.context.current, s.context.periods.map((p: any) => [p.status, p.reminded, p.overdue])])

describe("plan: every path, generated with xstate/graph", () => {
  const found = explore(def.machine, [input(false), input(true)], events, serialize)
  const { all, final } = atomicStates(def.machine)

  it("reaches every state, including every final state", () => {
    expect([...found.reached].sort()).toEqual([...all].sort())
    for (const f of final) expect(found.reached).toContain(f)
    expect(final.sort()).toEqual(["plan.cancelled", "plan.closed"])
  })

  it("leaves every non-final state by some event or deadline", () => {
    expect([...found.noWayOut]).toEqual([])
  })

  it("can reach a final state from every reachable situation", () => {
    expect([...found.deadEnds]).toEqual([])
    expect(found.snapshots).toBeGreaterThan(20)
  })
})
