import { afterEach, describe, expect, it } from "vitest"
import type { Engine } from "@civicase/core"
import { commendationWorkflow, violationWorkflow, workflows } from "@civicase/workflows"
import { people, testEngine, vinhPhuc } from "./support.js"

describe("the five workflows on work lists and in search", () => {
  let engine: Engine
  afterEach(() => engine?.close())

  it("give each case a title, find it without diacritics, and keep the hand-over event off work lists", async () => {
    engine = testEngine(workflows(vinhPhuc), { start: new Date("2025-03-03T02:00:00.000Z") })
    const { coordinator, vhOfficer } = people
    const press = await engine.createCase("press-response", { kind: "incident", summary: "Sạt lở đất ở Tam Đảo", source: "Báo Vĩnh Phúc" }, vhOfficer)
    const task = await engine.createCase("coordination", { topic: "Quảng bá hình ảnh Vĩnh Phúc tại Hàn Quốc", lead: "so-vhttdl", dueDate: "2025-03-14" }, coordinator)
    const plan = await engine.createCase("plan", { title: "Kế hoạch TTĐN năm 2025", year: 2025, targets: { articles_published: 120 } }, vhOfficer)
    expect([press.title, task.title, plan.title]).toEqual(["Sạt lở đất ở Tam Đảo", "Quảng bá hình ảnh Vĩnh Phúc tại Hàn Quốc", "Kế hoạch TTĐN năm 2025"])
    const found = async (q: string) => (await engine.listCases({ q }, coordinator)).items.map((c) => c.id)
    expect(await found("sat lo tam dao")).toEqual([press.id])
    expect(await found("bao vinh phuc")).toEqual([press.id])
    expect(await found("han quoc")).toEqual([task.id])
    expect(await found("tin bai doi ngoai 2025")).toEqual([plan.id])
    // Every state accepts AGENCY_SUCCEEDED; it must not put every case on the director's list.
    expect(press.waitingFor).toEqual(["coordinator@*"])
    expect((await engine.listCases({ actionable: true }, people.coordinatorHead)).items.map((c) => c.id)).not.toContain(press.id)
    expect((await engine.listCases({ actionable: true }, coordinator)).items.map((c) => c.id)).toEqual([press.id])
  })

  it("title violation and commendation cases by what they concern", () => {
    const violation = violationWorkflow(vinhPhuc)
    const commendation = commendationWorkflow(vinhPhuc)
    expect(violation.title!({ report: { summary: "Trang tin đăng tin sai lệch", subject: { name: "Trang tin X" } } })).toBe("Trang tin đăng tin sai lệch")
    expect(violation.searchable!({ report: { summary: "s", subject: { name: "Trang tin X", agency: "so-y-te" }, reference: "BB-12" } })).toEqual(["Trang tin X", "so-y-te", "BB-12"])
    expect(commendation.title!({ nomination: { nominee: { name: "Hội người Việt tại Lào", kind: "overseas_community" }, awardType: "bang-khen", achievements: ["Quảng bá"] } })).toBe("Hội người Việt tại Lào")
  })
})
