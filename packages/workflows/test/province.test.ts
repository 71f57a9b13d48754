import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import type { Engine } from "@civicase/core"
import { type Province, loadProvince, provinceFiles, provinceSchema, provinceSchemaFile, workflows } from "@civicase/workflows"
import { expectCode } from "@civicase/core/testing"
import { provinceIssues, testEngine } from "./support.js"

const copy = (file: string): any => JSON.parse(readFileSync(file, "utf8"))

describe("province configuration", () => {
  it("ships two provinces that load, and publishes the schema as a file identical to the export", () => {
    const vp = loadProvince(provinceFiles.vinhPhuc)
    const dn = loadProvince(provinceFiles.daNang)
    expect([vp.id, dn.id]).toEqual(["vinh-phuc", "da-nang"])
    expect(vp.agencies.find((a) => a.kind === "lead_department")?.names.vi).toBe("Sở Thông tin và Truyền thông")
    expect(vp.agencies.filter((a) => a.kind === "district")).toHaveLength(9)
    expect(vp.roles.coordinator).toEqual(["so-tttt"])
    expect(dn.roles.coordinator).toEqual(["so-vhttdl"])
    expect(JSON.parse(readFileSync(provinceSchemaFile, "utf8"))).toEqual(provinceSchema)
    const manifest = JSON.parse(readFileSync(join(provinceSchemaFile, "..", "..", "package.json"), "utf8"))
    expect(manifest.files).toEqual(expect.arrayContaining(["provinces", "schema"]))
  })

  it("refuses a bad configuration with one error listing every problem by path", () => {
    const bad = copy(provinceFiles.vinhPhuc)
    bad.version = 0
    bad.calendar.timeZone = "Asia/Atlantis"
    bad.agencies.push({ ...bad.agencies[1] })
    bad.agencies[2].retired = { on: "2025-07-01", successor: "so-moi" }
    bad.roles.inspector = ["thanh-tra-cu"]
    delete bad.roles.coordinator_head
    bad.workflows.plan.deadlines.review = "10 days"
    bad.workflows.plan.reportPeriods[1].due = "02-30"
    delete bad.workflows.coordination.maxCooperating
    bad.workflows.coordination.extra = true
    const issues = provinceIssues(bad)
    expect(issues.map((i) => i.path).sort()).toEqual([
      "/agencies/2/retired/successor",
      "/agencies/25/id",
      "/calendar/timeZone",
      // Removing a role leaves every reference to it dangling, each reported where it is.
      "/labels/roles/coordinator_head",
      "/roles/coordinator_head",
      "/roles/inspector/0",
      "/version",
      "/workflows/coordination/extra",
      "/workflows/coordination/maxCooperating",
      "/workflows/plan/deadlines/review",
      "/workflows/plan/reportPeriods/1/due",
      "/workflows/plan/reportPeriods/1/due",
      "/workflows/press-response/approvalChains/critical/0",
      "/workflows/press-response/approvalChains/high/0",
      "/workflows/press-response/approvalChains/medium/0",
      "/workflows/press-response/escalationChain/1",
    ])
    expect(issues.filter((i) => i.path === "/workflows/plan/reportPeriods/1/due").map((i) => i.message)).toEqual([
      '"02-30" is not a day of the year',
      "periods must be listed in order of their due dates",
    ])
    expect(issues.find((i) => i.path === "/roles/inspector/0")!.message).toBe('names the unknown agency "thanh-tra-cu"')
    expect(issues.find((i) => i.path === "/workflows/plan/deadlines/review")!.message).toMatch(/must match pattern/)
    expect(() => loadProvince(bad)).toThrow(/\/calendar\/timeZone: "Asia\/Atlantis" is not an IANA time zone/)
  })

  it("refuses a missing file and a file that is not JSON, naming the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "province-"))
    expect(() => loadProvince(join(dir, "none.json"))).toThrow(/none\.json is invalid:\n {2}\/: cannot read the file/)
    writeFileSync(join(dir, "broken.json"), "{ id: vinh-phuc")
    expect(() => loadProvince(join(dir, "broken.json"))).toThrow(/broken\.json is invalid:\n {2}\/: is not valid JSON/)
    expect(() => loadProvince([] as unknown as object)).toThrow(/must be a path to a JSON file or an object/)
  })

  describe("a second province runs the same workflows with no code change", () => {
    let engine: Engine | undefined
    afterEach(() => engine?.close())

    it("Đà Nẵng: its own agencies, deadlines, calendar end of day and report periods", async () => {
      const daNang: Province = loadProvince(provinceFiles.daNang)
      engine = testEngine(workflows(daNang), { start: new Date("2025-03-03T02:00:00.000Z") })
      const officer = { id: "hoian-1", province: "da-nang", agency: "phuong-hoi-an", roles: ["agency_officer"] }
      const coordinator = { id: "vh-1", province: "da-nang", agency: "so-vhttdl", roles: ["coordinator"] }
      const plan = await engine.createCase("plan", { title: "Kế hoạch TTĐN 2025", year: 2025 }, officer)
      // Twenty working days, due at 17:30 in Đà Nẵng's calendar; two report periods.
      expect(plan.deadlines.map((d) => [d.name, d.dueAt])).toEqual([["submissionDeadline", "2025-03-31T10:30:00.000Z"]])
      expect(plan.context.periods.map((p: any) => [p.id, p.dueAt])).toEqual([
        ["h1", "2025-06-20T10:30:00.000Z"],
        ["year", "2025-11-30T10:30:00.000Z"],
      ])
      // Vĩnh Phúc's agencies are not Đà Nẵng's.
      const v = await expectCode(engine.createCase("coordination", { topic: "Du lịch", lead: "so-tttt", dueDate: "2025-03-31" }, coordinator), "CIVICASE_E_VALIDATION")
      expect(v.issues[0].path).toBe("/lead")
      const task = await engine.createCase("coordination", { topic: "Du lịch Hội An", lead: "phuong-hoi-an", cooperating: ["so-ngoai-vu"], dueDate: "2025-03-31" }, coordinator)
      expect(task.deadlines.map((d) => [d.name, d.dueAt])).toEqual([
        ["acknowledgementDeadline", "2025-03-04T10:30:00.000Z"],
        ["taskDue", "2025-03-31T10:30:00.000Z"],
      ])
    })
  })
})
