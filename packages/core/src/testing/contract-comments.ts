import { describe, expect, it } from "vitest"
import { outboxOf, seedPeople } from "./contract-fixtures.js"
import type { ContractSetup } from "./contract-suite.js"
import { demoActors as A } from "./demo-workflow.js"
import { expectCode } from "./expect-code.js"

/** Comments (ý kiến): in any state, by anyone who may see the case, with mentions that notify. */
export function commentsContract(setup: ContractSetup): void {
  describe("comments", () => {
    it("records comments in any state by anyone who may see the case, and tells the people mentioned", async () => {
      const { engine } = await setup()
      await seedPeople(engine)
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      const first = await engine.comment(c.id, { text: "@head-1 nhờ anh duyệt. Hỏi @nobody, gửi a@head-1.vn", mentions: ["officer-3"] }, A.officer)
      expect(first).toMatchObject({
        rev: 2,
        mentions: ["officer-3", "head-1"],
        author: { id: "officer-1", agency: "agency-a", name: "Nguyễn Văn An" },
        at: "2025-03-03T02:00:00.000Z",
      })
      const row = (await engine.history(c.id, A.head)).at(-1)!
      expect(row).toMatchObject({ rev: 2, type: "case.commented", from: "draft", to: "draft", payload: { text: first.text, mentions: ["officer-3", "head-1"] } })
      const told = (await outboxOf(engine, c.id)).filter((r) => r.topic === "notify.mention")
      expect(told.map((r) => r.payload.recipient).sort()).toEqual(["head-1", "officer-3"])
      expect(told[0]!.payload).toMatchObject({ type: "notify.mention", by: "officer-1", excerpt: first.text })

      // Observers see every case of the province, so they may comment; nobody is told of their own mention.
      await engine.comment(c.id, { text: "Đã xem @obs-1" }, A.observer)
      expect((await outboxOf(engine, c.id)).filter((r) => r.topic === "notify.mention")).toHaveLength(2)
      await engine.send(c.id, { type: "SUBMIT" }, A.head)
      await engine.send(c.id, { type: "APPROVE" }, A.coordinator)
      await engine.send(c.id, { type: "CLOSE", payload: { result: "r", reason: "x" } }, A.head)
      const late = await engine.comment(c.id, { text: "Góp ý sau khi đóng hồ sơ" }, A.coordinator)
      expect(late.rev).toBe(7)
      expect((await engine.getCase(c.id, A.head)).status).toBe("done")

      const page1 = await engine.comments(c.id, A.head, { limit: 2 })
      const page2 = await engine.comments(c.id, A.head, { limit: 2, cursor: page1.nextCursor })
      expect([...page1.items, ...page2.items].map((x) => x.rev)).toEqual([2, 3, 7])
      expect(page2.nextCursor).toBeUndefined()
      await expectCode(engine.comments(c.id, A.otherOfficer), "CIVICASE_E_CASE_NOT_FOUND")
      await expectCode(engine.comment(c.id, { text: "x" }, A.otherOfficer), "CIVICASE_E_CASE_NOT_FOUND")
      expect((await engine.verify(c.id, A.head)).ok).toBe(true)
      // A repeated key replays the first comment.
      const keyed = await engine.comment(c.id, { text: "một lần" }, A.head, { idempotencyKey: "c-1" })
      expect(await engine.comment(c.id, { text: "một lần" }, A.head, { idempotencyKey: "c-1" })).toEqual(keyed)
      expect((await engine.comments(c.id, A.head)).items).toHaveLength(4)
    })

    it("refuses a bad comment naming the path, and writes nothing", async () => {
      const { engine } = await setup()
      await seedPeople(engine)
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      const paths = async (input: unknown) => (await expectCode(engine.comment(c.id, input as never, A.officer), "CIVICASE_E_VALIDATION")).issues.map((i: { path: string }) => i.path)
      expect(await paths({ text: "  " })).toEqual(["/text"])
      expect(await paths({ text: "x".repeat(10_001) })).toEqual(["/text"])
      expect(await paths({ text: "a\u0000b" })).toEqual(["/text"])
      expect(await paths({ text: "x", mentions: ["nobody"] })).toEqual(["/mentions/0"])
      expect(await paths({ text: "x", extra: 1 })).toEqual(["/extra"])
      // officer-2 is of agency-b: they may not see this case, so they may not be told of it.
      const blind = await expectCode(engine.comment(c.id, { text: "x", mentions: ["officer-2"] }, A.officer), "CIVICASE_E_VALIDATION")
      expect(blind.issues).toEqual([{ path: "/mentions/0", message: "officer-2 may not see this case" }])
      expect(await paths({ text: "hỏi @officer-2." })).toEqual(["/text"])
      await engine.people.deactivate("officer-3", A.head)
      expect(await paths({ text: "x", mentions: ["officer-3"] })).toEqual(["/mentions/0"])
      expect((await engine.history(c.id, A.head)).map((r) => r.rev)).toEqual([1])
      expect(await outboxOf(engine, c.id)).toEqual([])
    })
  })
}
