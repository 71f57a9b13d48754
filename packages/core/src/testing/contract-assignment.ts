import { describe, expect, it } from "vitest"
import { outboxOf, seedPeople } from "./contract-fixtures.js"
import type { ContractSetup } from "./contract-suite.js"
import { demoActors as A } from "./demo-workflow.js"
import { expectCode } from "./expect-code.js"

/** Assignment (phân công): the five operations, their rules, step scope, concurrency and bulk reassignment. */
export function assignmentContract(setup: ContractSetup): void {
  describe("assignment", () => {
    it("assigns, delegates, releases, claims and reassigns, each a hash-chained case.assigned row, telling the new assignee", async () => {
      const { engine } = await setup()
      await seedPeople(engine)
      const c = await engine.createCase("demo", { title: "Kế hoạch TTĐN 2025" }, A.officer)
      expect(c).toMatchObject({ assignee: null, title: "Kế hoạch TTĐN 2025", waitingFor: ["agency_head@agency-a"] })
      const assigned = await engine.assign(c.id, { assignee: "officer-1", note: "Anh An soạn giúp" }, A.head)
      expect(assigned).toMatchObject({ rev: 2, state: "draft", assignee: { id: "officer-1", name: "Nguyễn Văn An", scope: "step" } })
      expect((await engine.assign(c.id, { assignee: "officer-3" }, A.officer)).assignee).toMatchObject({ id: "officer-3" })
      expect((await engine.assign(c.id, { assignee: null }, A.colleague)).assignee).toBeNull()
      await expectCode(engine.assign(c.id, { assignee: A.officer.id }, A.officer), "CIVICASE_E_FORBIDDEN")
      expect((await engine.assign(c.id, { assignee: A.head.id, scope: "case" }, A.head)).assignee).toEqual({ id: "head-1", name: "Lê Văn Cường", scope: "case" })
      const taken = await engine.assign(c.id, { assignee: "officer-1" }, A.coordinator)
      // Work that changes hands keeps its scope.
      expect(taken).toMatchObject({ rev: 6, assignee: { id: "officer-1", scope: "case" } })
      expect((await engine.getCase(c.id, A.head)).assignee).toEqual({ id: "officer-1", name: "Nguyễn Văn An", scope: "case" })

      const h = await engine.history(c.id, A.coordinator)
      expect(h.map((r) => [r.rev, r.type, r.from, r.to])).toEqual([
        [1, "case.created", null, "draft"],
        ...[2, 3, 4, 5, 6].map((rev) => [rev, "case.assigned", "draft", "draft"]),
      ])
      expect(h.slice(1).map((r) => r.payload)).toEqual([
        { action: "assign", assignee: "officer-1", previous: null, scope: "step", note: "Anh An soạn giúp" },
        { action: "delegate", assignee: "officer-3", previous: "officer-1", scope: "step" },
        { action: "unclaim", assignee: null, previous: "officer-3", scope: null },
        { action: "claim", assignee: "head-1", previous: null, scope: "case" },
        { action: "reassign", assignee: "officer-1", previous: "head-1", scope: "case" },
      ])
      expect((await engine.verify(c.id, A.coordinator)).ok).toBe(true)
      // The new assignee is told, unless they assigned themself; a release tells nobody.
      const told = (await outboxOf(engine, c.id)).filter((r) => r.topic === "notify.assigned")
      expect(told.map((r) => [r.rev, r.payload.recipient, r.payload.action, r.payload.by])).toEqual([
        [2, "officer-1", "assign", "head-1"],
        [3, "officer-3", "delegate", "officer-1"],
        [6, "officer-1", "reassign", "coord-1"],
      ])
      // Assignment routes work; it does not change who may see the case.
      await expectCode(engine.getCase(c.id, A.otherOfficer), "CIVICASE_E_CASE_NOT_FOUND")
    })

    it("refuses what the rules do not allow, naming why, and writes nothing", async () => {
      const { engine } = await setup()
      await seedPeople(engine)
      await engine.people.upsert({ id: "officer-4", agency: "agency-a", name: "Ngô Văn Long" }, A.head)
      await engine.people.deactivate("officer-4", A.head)
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      await expectCode(engine.assign(c.id, { assignee: "officer-3" }, A.officer), "CIVICASE_E_FORBIDDEN")
      const unknown = await expectCode(engine.assign(c.id, { assignee: "nobody" }, A.head), "CIVICASE_E_VALIDATION")
      expect(unknown.issues[0]).toMatchObject({ path: "/assignee", message: expect.stringContaining("not an active person") })
      await expectCode(engine.assign(c.id, { assignee: "officer-4" }, A.head), "CIVICASE_E_VALIDATION")
      const outsider = await expectCode(engine.assign(c.id, { assignee: "officer-2" }, A.head), "CIVICASE_E_VALIDATION")
      expect(outsider.issues[0].message).toContain("agency-b")
      await expectCode(engine.assign(c.id, { assignee: "officer-1" }, A.otherHead), "CIVICASE_E_CASE_NOT_FOUND")
      const mismatch = await expectCode(engine.assign(c.id, { assignee: "officer-1", action: "claim" }, A.head), "CIVICASE_E_VALIDATION")
      expect(mismatch.issues[0].path).toBe("/action")
      await engine.assign(c.id, { assignee: "officer-1" }, A.head)
      await expectCode(engine.assign(c.id, { assignee: "officer-3", action: "assign" }, A.head), "CIVICASE_E_VALIDATION")
      await expectCode(engine.assign(c.id, { assignee: "officer-3", action: "delegate" }, A.head), "CIVICASE_E_FORBIDDEN")
      await expectCode(engine.assign(c.id, { assignee: null }, A.colleague), "CIVICASE_E_FORBIDDEN")
      const shape = await expectCode(engine.assign(c.id, { assignee: 5, scope: "forever", extra: true } as never, A.head), "CIVICASE_E_VALIDATION")
      expect(shape.issues.map((i: { path: string }) => i.path).sort()).toEqual(["/assignee", "/extra", "/scope"])
      expect((await engine.history(c.id, A.head)).map((r) => r.type)).toEqual(["case.created", "case.assigned"])
      // Assigning the assignee again records nothing.
      expect((await engine.assign(c.id, { assignee: "officer-1" }, A.head)).rev).toBe(2)
    })

    it("ends a step assignment when what the case waits for changes, keeps a case assignment, and refuses done cases", async () => {
      const { engine } = await setup()
      await seedPeople(engine)
      const step = await engine.createCase("demo", { title: "step" }, A.officer)
      const whole = await engine.createCase("demo", { title: "case" }, A.officer)
      await engine.assign(step.id, { assignee: "officer-1" }, A.head)
      await engine.assign(whole.id, { assignee: "officer-1", scope: "case" }, A.head)
      // A note changes nothing the case waits for: the step goes on.
      expect((await engine.send(step.id, { type: "NOTE", payload: { text: "x" } }, A.officer)).assignee).toMatchObject({ id: "officer-1" })
      const submitted = await engine.send(step.id, { type: "SUBMIT" }, A.head)
      expect(submitted).toMatchObject({ state: "review", assignee: null, waitingFor: ["coordinator@*"] })
      expect((await engine.history(step.id, A.head)).at(-1)!.meta).toEqual({ assignmentCleared: { assignee: "officer-1", scope: "step" } })
      expect((await engine.send(whole.id, { type: "SUBMIT" }, A.head)).assignee).toMatchObject({ id: "officer-1", scope: "case" })
      await engine.send(whole.id, { type: "APPROVE" }, A.coordinator)
      const closed = await engine.send(whole.id, { type: "CLOSE", payload: { result: "r", reason: "why" } }, A.head)
      expect(closed).toMatchObject({ status: "done", waitingFor: [] })
      await expectCode(engine.assign(whole.id, { assignee: null }, A.head), "CIVICASE_E_CASE_CLOSED")
    })

    it("replays an idempotency key and serialises with concurrent sends", async () => {
      const { engine } = await setup()
      await seedPeople(engine)
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      const first = await engine.assign(c.id, { assignee: "officer-1" }, A.head, { idempotencyKey: "assign-1" })
      await engine.assign(c.id, { assignee: "officer-3" }, A.officer)
      const again = await engine.assign(c.id, { assignee: "officer-1" }, A.head, { idempotencyKey: "assign-1" })
      expect(again).toMatchObject({ replayed: true, replayedRev: first.rev, rev: 3, assignee: { id: "officer-3" } })
      await expectCode(engine.send(c.id, { type: "NOTE", payload: { text: "x" } }, A.head, { idempotencyKey: "assign-1" }), "CIVICASE_E_VALIDATION")
      await expectCode(engine.assign(c.id, { assignee: "officer-1" }, A.head, { expectedRev: 1 }), "CIVICASE_E_REVISION_CONFLICT")
      const results = await Promise.all([
        ...Array.from({ length: 5 }, (_, i) => engine.send(c.id, { type: "NOTE", payload: { text: `n${i}` } }, A.officer)),
        engine.assign(c.id, { assignee: "head-1" }, A.head),
      ])
      expect(new Set(results.map((r) => r.rev)).size).toBe(6)
      expect((await engine.history(c.id, A.head)).map((r) => r.rev)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
      expect((await engine.getCase(c.id, A.head)).assignee).toMatchObject({ id: "head-1" })
      expect((await engine.verify(c.id, A.head)).ok).toBe(true)
    })

    it("moves the open cases of someone who left in bulk, recorded, safe to run again", async () => {
      const { engine } = await setup()
      await seedPeople(engine)
      const open = []
      for (let i = 0; i < 3; i++) {
        const c = await engine.createCase("demo", { title: `c${i}` }, A.officer)
        await engine.assign(c.id, { assignee: "officer-1", scope: "case" }, A.head)
        open.push(c.id)
      }
      const done = await engine.createCase("demo", { title: "done" }, A.officer)
      await engine.assign(done.id, { assignee: "officer-1", scope: "case" }, A.head)
      await engine.send(done.id, { type: "SUBMIT" }, A.head)
      await engine.send(done.id, { type: "APPROVE" }, A.coordinator)
      await engine.send(done.id, { type: "CLOSE", payload: { result: "r", reason: "x" } }, A.head)
      await engine.people.deactivate("officer-1", A.head)

      // officer-2 is of another agency: every case refuses the move, and stays assigned.
      const refused = await engine.reassignAll({ from: "officer-1", to: "officer-2" }, A.coordinator)
      expect(refused).toMatchObject({ moved: 0, skipped: 0 })
      expect(refused.failed.map((f) => f.code)).toEqual(Array(3).fill("CIVICASE_E_VALIDATION"))
      await expectCode(engine.reassignAll({ from: "officer-1", to: "officer-1" }, A.head), "CIVICASE_E_VALIDATION")
      await expectCode(engine.reassignAll({ from: "officer-1", to: "nobody" }, A.head), "CIVICASE_E_VALIDATION")

      const progress: number[] = []
      const r = await engine.reassignAll({ from: "officer-1", to: "officer-3", note: "nghỉ hưu" }, A.head, { batchSize: 2, onProgress: (p) => progress.push(p.moved) })
      expect(r).toEqual({ moved: 3, skipped: 0, failed: [] })
      expect(progress).toEqual([2, 3])
      for (const id of open) {
        const last = (await engine.history(id, A.head)).at(-1)!
        expect(last).toMatchObject({ type: "case.assigned", actor: { id: "head-1" }, payload: { action: "reassign", assignee: "officer-3", previous: "officer-1", scope: "case", note: "nghỉ hưu" } })
      }
      expect((await engine.getCase(done.id, A.head)).assignee).toMatchObject({ id: "officer-1" })
      expect(await engine.reassignAll({ from: "officer-1", to: "officer-3" }, A.head)).toEqual({ moved: 0, skipped: 0, failed: [] })
      expect((await engine.listCases({ assignee: "officer-3" }, A.coordinator)).items).toHaveLength(3)
      const released = await engine.reassignAll({ from: "officer-3", to: null }, A.coordinator)
      expect(released.moved).toBe(3)
      expect((await engine.listCases({ assignee: null, status: "active" }, A.coordinator)).items).toHaveLength(3)
    })
  })
}
