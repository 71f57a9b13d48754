import { readFileSync } from "node:fs"
import { type AnyStateMachine, createActor, transition } from "xstate"
import { describe, expect, it } from "vitest"
import { demoActors as A, demoWorkflow } from "@civicase/core/testing"

const machine = demoWorkflow.machine.provide({ delays: { reviewDeadline: 1000, reminder: 500 } })

describe("snapshots", () => {
  it("round-trip through JSON and restore with createActor(machine, { snapshot })", () => {
    const actor = createActor(machine, { input: { input: { title: "t" }, actor: A.officer, caseId: "c1", now: "2025-03-03T02:00:00.000Z" } })
    actor.start()
    actor.send({ type: "NOTE", payload: { text: "a" }, actor: A.officer } as any)
    actor.send({ type: "SUBMIT", payload: {}, actor: A.head } as any)
    const persisted = JSON.parse(JSON.stringify(actor.getPersistedSnapshot()))
    actor.stop()
    const restored = createActor(machine as AnyStateMachine, { snapshot: persisted }).getSnapshot()
    expect(restored.value).toBe("review")
    expect(restored.context.notes).toEqual(["a"])
    const [next] = transition(machine, restored, { type: "APPROVE", payload: {}, actor: A.coordinator } as any)
    expect(next.value).toBe("approved")
    expect(next.context.reviewer).toBe("coord-1")
  })

  it("restores the golden snapshot persisted by version 0.1.0 and continues it", () => {
    // Kept as written by an earlier release: a change that cannot read it breaks running cases.
    const fixture = JSON.parse(readFileSync(new URL("./fixtures/demo-v1-review.snapshot.json", import.meta.url), "utf8"))
    expect(fixture).toMatchObject({ workflow: demoWorkflow.id, version: demoWorkflow.version })
    const restored = createActor(machine as AnyStateMachine, { snapshot: fixture.snapshot }).getSnapshot()
    expect(restored.value).toBe("review")
    expect(restored.context).toMatchObject({ title: "Kế hoạch 2025", notes: ["ghi chú"], owner: "agency-a" })
    expect(restored.can({ type: "APPROVE", payload: {}, actor: A.coordinator } as any)).toBe(true)
    expect(restored.can({ type: "SUBMIT", payload: {}, actor: A.head } as any)).toBe(false)
    const [returned] = transition(machine, restored, { type: "RETURN", payload: { comment: "thiếu số liệu" }, actor: A.coordinator } as any)
    expect(returned.value).toBe("draft")
  })
})
