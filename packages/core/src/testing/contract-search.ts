import { sql } from "kysely"
import { describe, expect, it } from "vitest"
import type { Actor } from "../actor.js"
import type { CaseFilter } from "../engine/types.js"
import type { ContractSetup } from "./contract-suite.js"
import { demoActors as A } from "./demo-workflow.js"
import { expectCode } from "./expect-code.js"

/** Search (tìm kiếm): Vietnamese folding, prefixes, date filters, sort orders, and the text written only when it changes. */
export function searchContract(setup: ContractSetup): void {
  describe("search", () => {
    it("finds cases by title and searchable fields with or without diacritics, and writes the text only when it changes", async () => {
      const { engine, clock } = await setup()
      const slide = await engine.createCase("demo", { title: "Sạt lở đất ở Tam Đảo" }, A.officer)
      clock.advance(1000)
      await engine.createCase("demo", { title: "Kế hoạch TTĐN 2025 số 155/KH-UBND" }, A.officer)
      clock.advance(1000)
      await engine.createCase("demo", { title: "Lũ quét ở Hà Giang" }, A.otherOfficer)
      const titles = async (filter: CaseFilter, actor: Actor = A.coordinator) => (await engine.listCases(filter, actor)).items.map((c) => c.title)
      expect(await titles({ q: "sat lo" })).toEqual(["Sạt lở đất ở Tam Đảo"])
      expect(await titles({ q: "sạt lở" })).toEqual(["Sạt lở đất ở Tam Đảo"])
      expect(await titles({ q: "TAM ĐẢO" })).toEqual(["Sạt lở đất ở Tam Đảo"])
      expect(await titles({ q: "dat o ta" })).toEqual(["Sạt lở đất ở Tam Đảo"])
      expect(await titles({ q: "155 kh ubnd" })).toEqual(["Kế hoạch TTĐN 2025 số 155/KH-UBND"])
      expect(await titles({ q: "o" })).toEqual(["Sạt lở đất ở Tam Đảo", "Lũ quét ở Hà Giang"])
      expect(await titles({ q: "o" }, A.officer)).toEqual(["Sạt lở đất ở Tam Đảo"])
      expect(await titles({ q: "lo dat quet" })).toEqual([])
      // Operators are not syntax: only letters and digits reach the query.
      expect(await titles({ q: "sat & !lo | (tam:*" })).toEqual(["Sạt lở đất ở Tam Đảo"])
      const empty = await expectCode(engine.listCases({ q: "!!! ---" }, A.coordinator), "CIVICASE_E_VALIDATION")
      expect(empty.issues).toEqual([{ path: "/q", message: "must contain a letter or a digit" }])
      await expectCode(engine.listCases({ q: "x".repeat(201) }, A.coordinator), "CIVICASE_E_VALIDATION")

      // The workflow's searchable fields (the demo's notes) are found too; a transition that changes no text writes no text row.
      const version = async () => (await sql<{ v: string }>`select xmin::text as v from civicase_case_text where case_id = ${slide.id}`.execute(engine.db)).rows[0]!.v
      const before = await version()
      await engine.send(slide.id, { type: "SUBMIT" }, A.head)
      expect(await version()).toBe(before)
      await engine.send(slide.id, { type: "NOTE", payload: { text: "Đã báo Sở Tài nguyên" } }, A.head)
      expect(await version()).not.toBe(before)
      expect(await titles({ q: "so tai nguyen" })).toEqual(["Sạt lở đất ở Tam Đảo"])
      expect(await titles({ q: "tai nguyen", actionable: true })).toEqual(["Sạt lở đất ở Tam Đảo"])
    })

    it("filters by created and updated dates (bare dates in the engine's time zone) and sorts by created, updated or deadline", async () => {
      const { engine, clock } = await setup()
      // 2025-03-03 09:00 in Hà Nội.
      const a = await engine.createCase("demo", { title: "a" }, A.officer)
      clock.advance("P1D")
      const b = await engine.createCase("demo", { title: "b" }, A.officer)
      clock.advance("P1D")
      const c = await engine.createCase("demo", { title: "c" }, A.officer)
      clock.advance("PT1H")
      await engine.send(a.id, { type: "SUBMIT" }, A.head) // a: updated 2025-03-05 10:00, deadlines set
      const titles = async (filter: CaseFilter) => (await engine.listCases(filter, A.coordinator)).items.map((x) => x.title)
      expect(await titles({ createdFrom: "2025-03-04" })).toEqual(["b", "c"])
      expect(await titles({ createdTo: "2025-03-04" })).toEqual(["a", "b"])
      expect(await titles({ createdFrom: "2025-03-04", createdTo: "2025-03-04" })).toEqual(["b"])
      // 2025-03-04 00:00 in Hà Nội is 2025-03-03 17:00 UTC: an instant with its offset is taken as it is.
      expect(await titles({ createdFrom: "2025-03-03T17:00:00Z" })).toEqual(["b", "c"])
      expect(await titles({ updatedFrom: "2025-03-05" })).toEqual(["a", "c"])
      expect(await titles({ updatedTo: "2025-03-04T12:00:00+07:00" })).toEqual(["b"])
      expect(await titles({ orderBy: "updated", direction: "desc" })).toEqual(["a", "c", "b"])
      // Cases without a deadline come last, by id.
      const none = [b.id, c.id].sort()
      const byDeadline = async (direction: "asc" | "desc") => (await engine.listCases({ orderBy: "deadline", direction }, A.coordinator)).items.map((x) => x.id)
      expect(await byDeadline("asc")).toEqual([a.id, ...none])
      expect(await byDeadline("desc")).toEqual([...none].reverse().concat(a.id))
      // Keyset pages in every order, either direction, visit each case once.
      for (const orderBy of ["created", "updated", "deadline"] as const) {
        for (const direction of ["asc", "desc"] as const) {
          const seen: string[] = []
          let cursor: string | undefined
          do {
            const page = await engine.listCases({ orderBy, direction, limit: 1, ...(cursor ? { cursor } : {}) }, A.coordinator)
            seen.push(...page.items.map((x) => x.id))
            cursor = page.nextCursor
          } while (cursor)
          expect(seen.sort()).toEqual([a.id, b.id, c.id].sort())
        }
      }
      const bad = await expectCode(engine.listCases({ createdFrom: "yesterday", updatedTo: "2025-02-30", createdTo: "2025-03-01T00:00:00" }, A.coordinator), "CIVICASE_E_VALIDATION")
      expect(bad.issues.map((i: { path: string }) => i.path).sort()).toEqual(["/createdFrom", "/createdTo", "/updatedTo"])
      await expectCode(engine.listCases({ createdFrom: "2025-03-05", createdTo: "2025-03-04" }, A.coordinator), "CIVICASE_E_VALIDATION")
    })

    it("fills cases written before work lists existed, once, without touching their history", async () => {
      const { engine } = await setup()
      const c = await engine.createCase("demo", { title: "Hồ sơ cũ về sạt lở" }, A.officer)
      // As migration 3 leaves a case written by an earlier release.
      await sql`update civicase_cases set waiting = null, title = null where id = ${c.id}`.execute(engine.db)
      await sql`delete from civicase_case_text where case_id = ${c.id}`.execute(engine.db)
      expect((await engine.getCase(c.id, A.head)).waitingFor).toEqual([])
      expect((await engine.listCases({ actionable: true }, A.head)).items).toHaveLength(0)
      expect((await engine.listCases({ q: "sat lo" }, A.head)).items).toHaveLength(0)
      expect(await engine.worklist.backfill()).toEqual({ filled: 1, skipped: 0 })
      expect(await engine.worklist.backfill()).toEqual({ filled: 0, skipped: 0 })
      const back = await engine.getCase(c.id, A.head)
      expect(back).toMatchObject({ rev: 1, title: "Hồ sơ cũ về sạt lở", waitingFor: ["agency_head@agency-a"] })
      expect((await engine.listCases({ actionable: true, q: "sat lo" }, A.head)).items.map((x) => x.id)).toEqual([c.id])
      expect((await engine.verify(c.id, A.head)).ok).toBe(true)
    })
  })
}
