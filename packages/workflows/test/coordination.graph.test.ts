import type { AnyMachineSnapshot, EventObject } from "xstate"
import { describe, expect, it } from "vitest"
import { coordinationWorkflow } from "@civicase/workflows"
import { atomicStates, explore } from "./explore.js"
import { people, person, vinhPhuc } from "./support.js"

const def = coordinationWorkflow(vinhPhuc)
const { coordinator, leader } = people

// Lead: Department of Culture; cooperating: Foreign Affairs and Education. Planning and Investment stands by for a reassignment.
const agencies = ["so-vhttdl", "so-ngoai-vu", "so-gddt"]
const head = (agency: string) => person(`head@${agency}`, agency, "agency_head")

const input = (cooperating: string[]) => ({
  input: { topic: "Quảng bá hình ảnh Vĩnh Phúc tại Hàn Quốc", lead: "so-vhttdl", cooperating, dueDate: "2025-03-31" },
  actor: coordinator,
  caseId: "00000000-0000-4000-8000-000000000002",
  now: "2025-03-03T02:00:00.000Z",
})

function events(s: AnyMachineSnapshot): EventObject[] {
  const out: any[] = []
  for (const a of [...agencies, "so-khdt"]) {
    out.push({ type: "ACKNOWLEDGE", payload: {}, actor: head(a) })
    out.push({ type: "CONTRIBUTE", payload: { contribution: `Nội dung của ${a}` }, actor: head(a) })
    out.push({ type: "DECLINE", payload: { reason: "Không thuộc chức năng" }, actor: head(a) })
  }
  for (const from of Object.keys(s.context.agencies ?? {})) {
    out.push({ type: "REASSIGN", payload: { from, to: "so-khdt", reason: "Đúng chức năng" }, actor: coordinator })
    out.push({ type: "REASSIGN", payload: { from, to: null, reason: "Không cần thiết" }, actor: coordinator })
  }
  out.push({ type: "SUBMIT_RESULT", payload: { summary: "Tổng hợp" }, actor: head("so-vhttdl") })
  out.push({ type: "ACCEPT", payload: { assessment: "Đạt yêu cầu" }, actor: coordinator })
  out.push({ type: "RETURN", payload: { comments: "Bổ sung số liệu" }, actor: coordinator })
  out.push({ type: "CANCEL", payload: { reason: "Trùng nhiệm vụ", result: "Gộp vào nhiệm vụ khác" }, actor: leader })
  return out
}

const serialize = (s: AnyMachineSnapshot) =>
  JSON.stringify([s.value, Object.entries(s.context.agencies).map(([id, p]: [string, any]) => [id, p.status]), s.context.result !== null])

describe("coordination: every path, generated with xstate/graph", () => {
  const found = explore(def.machine, [input([]), input(["so-ngoai-vu", "so-gddt"])], events, serialize)
  const { all, final } = atomicStates(def.machine)

  it("reaches every state of every parallel region, including every final state", () => {
    expect([...found.reached].sort()).toEqual([...all].sort())
    expect(final.sort()).toEqual(["coordination.cancelled", "coordination.done"])
  })

  it("leaves every non-final state by some event or deadline", () => {
    expect([...found.noWayOut]).toEqual([])
  })

  it("can reach a final state from every reachable situation", () => {
    expect([...found.deadEnds]).toEqual([])
    expect(found.snapshots).toBeGreaterThan(50)
  })
})
