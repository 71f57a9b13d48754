import { demoActors as A } from "@civicase/core/testing"
import { loadProvince, provinceFiles } from "@civicase/workflows"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { renderSlaReport } from "../src/cli/report.js"
import { type Harness, harness } from "./harness.js"

describe("GET /v1/reports/sla: the report from the database", () => {
  let h: Harness
  let start: Date
  beforeAll(async () => {
    h = await harness()
    start = h.clock.now()
    const a = await h.engine.createCase("demo", { title: "A" }, A.officer)
    const b = await h.engine.createCase("demo", { title: "B" }, A.otherOfficer)
    h.clock.advance("PT30M")
    await h.engine.send(a.id, { type: "SUBMIT" }, A.head)
    await h.engine.send(b.id, { type: "SUBMIT" }, A.otherHead)
    h.clock.advance("PT2H") // the reminders fire
    await h.engine.runDueTimers()
    await h.engine.send(a.id, { type: "APPROVE" }, A.coordinator) // review deadline met
  })
  afterAll(() => h.close())

  const get = async (query: string, actor: (typeof A)[keyof typeof A]) => h.app.inject({ url: `/v1/reports/sla${query}`, headers: await h.auth(actor) })

  it("gives a coordinator every agency of the province, with deadlines met and missed, time in state and escalations", async () => {
    const res = await get("?workflow=demo", A.coordinator)
    expect(res.statusCode).toBe(200)
    const items = res.json().items
    expect(items.map((r: { agency: string }) => r.agency)).toEqual(["agency-a", "agency-b"])
    expect(items[0]).toMatchObject({
      province: "demo",
      workflow: "demo",
      casesByState: { approved: 1 },
      casesDone: 0,
      transitions: 4,
      escalations: 1,
      deadlines: [
        { name: "reminder", met: 0, missed: 1 },
        { name: "reviewDeadline", met: 1, missed: 0 },
      ],
    })
    expect(items[0].timeInState).toEqual([
      { state: "draft", stints: 1, totalMs: 1_800_000, averageMs: 1_800_000, medianMs: 1_800_000, p90Ms: 1_800_000 },
      { state: "review", stints: 1, totalMs: 7_200_000, averageMs: 7_200_000, medianMs: 7_200_000, p90Ms: 7_200_000 },
    ])
  })

  it("limits history figures to from/to", async () => {
    const to = new Date(start.getTime() + 3_600_000).toISOString()
    const items = (await get(`?to=${encodeURIComponent(to)}`, A.coordinator)).json().items
    expect(items.map((r: { transitions: number; deadlines: unknown[] }) => [r.transitions, r.deadlines.length])).toEqual([
      [2, 0],
      [2, 0],
    ])
  })

  it("gives an agency officer only its agency's row and 403 for another agency", async () => {
    const own = (await get("", A.otherOfficer)).json().items
    expect(own.map((r: { agency: string }) => r.agency)).toEqual(["agency-b"])
    const other = await get("?agency=agency-a", A.otherOfficer)
    expect(other.statusCode).toBe(403)
    expect(other.json().code).toBe("CIVICASE_E_FORBIDDEN")
  })

  it("answers 400 naming the bad date", async () => {
    const res = await get("?from=last-week", A.coordinator)
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: "CIVICASE_E_VALIDATION" })
    expect(JSON.stringify(res.json())).toContain("/from")
  })

  it("renders the figures as the periodic report (civicase report)", async () => {
    const rows = await h.engine.reports.sla({}, A.coordinator)
    const md = renderSlaReport(rows, loadProvince(provinceFiles.vinhPhuc), { from: "2025-03-01" })
    expect(md).toContain("## demo: agency-a (agency-a)")
    expect(md).toContain("- Hồ sơ đang xử lý theo bước / Active cases by state: approved 1")
    expect(md).toContain("| review | 1 | 2.0 | 2.0 | 2.0 |")
    expect(md).toContain("| reviewDeadline | 1 | 0 |")
    expect(md).toContain("- Chuyển cấp (quá hạn) / Escalations (fired deadlines): 1")
  })
})
