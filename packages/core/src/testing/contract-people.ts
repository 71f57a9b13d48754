import { describe, expect, it } from "vitest"
import type { ContractSetup } from "./contract-suite.js"
import { demoActors as A } from "./demo-workflow.js"
import { expectCode } from "./expect-code.js"

/** The people directory: who records whom, who reads email addresses, search and pages. */
export function peopleContract(setup: ContractSetup): void {
  describe("people directory", () => {
    it("records people by the rules, shows email only to those entitled, and finds names without diacritics", async () => {
      const { engine } = await setup()
      // A person records themself with the roles they hold.
      const self = await engine.people.upsert({ id: A.officer.id, agency: A.officer.agency, name: "Nguyễn Văn An", email: "an@demo.gov.vn", roles: ["agency_officer"] }, A.officer)
      expect(self).toMatchObject({ id: "officer-1", province: "demo", agency: "agency-a", name: "Nguyễn Văn An", email: "an@demo.gov.vn", active: true })
      const grab = await expectCode(engine.people.upsert({ id: A.officer.id, agency: "agency-a", name: "An", roles: ["coordinator"] }, A.officer), "CIVICASE_E_FORBIDDEN")
      expect(grab.reason).toContain("coordinator")
      await expectCode(engine.people.upsert({ id: "officer-9", agency: "agency-a", name: "Khác" }, A.officer), "CIVICASE_E_FORBIDDEN")
      // The head of an agency records its people, not another agency's.
      await engine.people.upsert({ id: "officer-3", agency: "agency-a", name: "Trần Thị Bình", email: "binh@demo.gov.vn", roles: ["agency_officer"] }, A.head)
      await expectCode(engine.people.upsert({ id: "officer-2", agency: "agency-b", name: "Phạm Thị Dung" }, A.head), "CIVICASE_E_FORBIDDEN")
      await engine.people.upsert({ id: "officer-2", agency: "agency-b", name: "Phạm Thị Dung", email: "dung@demo.gov.vn" }, A.coordinator)
      // Nor may a head pull another agency's person into their own.
      await expectCode(engine.people.upsert({ id: "officer-2", agency: "agency-a", name: "Phạm Thị Dung" }, A.head), "CIVICASE_E_FORBIDDEN")

      // Names and agencies for everyone of the province; email for the person, their head, province-wide roles.
      expect((await engine.people.get("officer-3", A.otherOfficer)).email).toBeUndefined()
      expect((await engine.people.get("officer-3", A.head)).email).toBe("binh@demo.gov.vn")
      expect((await engine.people.get("officer-3", A.colleague)).email).toBe("binh@demo.gov.vn")
      expect((await engine.people.get("officer-3", A.coordinator)).email).toBe("binh@demo.gov.vn")
      await expectCode(engine.people.get("officer-3", A.foreignCoordinator), "CIVICASE_E_PERSON_NOT_FOUND")

      const found = await engine.people.list({ q: "nguyen van" }, A.otherOfficer)
      expect(found.items.map((p) => p.id)).toEqual(["officer-1"])
      expect(found.items[0]!.email).toBeUndefined()
      expect((await engine.people.list({ q: "TRẦN bình" }, A.head)).items.map((p) => p.id)).toEqual(["officer-3"])
      expect((await engine.people.list({ agency: "agency-a" }, A.head)).items.map((p) => p.id)).toEqual(["officer-1", "officer-3"])
      // An update that leaves the email keeps it (and keeps it searchable).
      await engine.people.upsert({ id: "officer-3", agency: "agency-a", name: "Trần Thị Bình" }, A.head)
      expect((await engine.people.get("officer-3", A.head)).email).toBe("binh@demo.gov.vn")
      expect((await engine.people.list({ q: "binh demo" }, A.head)).items.map((p) => p.id)).toEqual(["officer-3"])

      // Pages by id, no repeats.
      const ids: string[] = []
      let cursor: string | undefined
      do {
        const page = await engine.people.list({ limit: 2, ...(cursor ? { cursor } : {}) }, A.coordinator)
        ids.push(...page.items.map((p) => p.id))
        cursor = page.nextCursor
      } while (cursor)
      expect(ids).toEqual(["officer-1", "officer-2", "officer-3"])

      // Someone who leaves: only a manager deactivates; a self-record then keeps them inactive.
      await expectCode(engine.people.deactivate("officer-3", A.colleague), "CIVICASE_E_FORBIDDEN")
      expect(await engine.people.deactivate("officer-3", A.head)).toMatchObject({ active: false })
      await engine.people.upsert({ id: "officer-3", agency: "agency-a", name: "Trần Thị Bình" }, A.colleague)
      expect((await engine.people.get("officer-3", A.head)).active).toBe(false)
      await expectCode(engine.people.upsert({ id: "officer-3", agency: "agency-a", name: "B", active: true }, A.colleague), "CIVICASE_E_FORBIDDEN")
      expect((await engine.people.list({ active: true }, A.coordinator)).items.map((p) => p.id)).toEqual(["officer-1", "officer-2"])

      const bad = await expectCode(engine.people.upsert({ id: "", agency: "agency-a", name: " ", email: "not-an-email", extra: 1 } as never, A.coordinator), "CIVICASE_E_VALIDATION")
      expect(bad.issues.map((i: { path: string }) => i.path).sort()).toEqual(["/email", "/extra", "/id", "/name"])
      await expectCode(engine.people.list({ limit: 0 }, A.coordinator), "CIVICASE_E_VALIDATION")
      await expectCode(engine.people.list({ cursor: "nope" }, A.coordinator), "CIVICASE_E_VALIDATION")
    })
  })
}
