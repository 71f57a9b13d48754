import { afterEach, describe, expect, it } from "vitest"
import { type Actor, type Engine, type StorageDriver, createEngine, silentLogger, testClock } from "@civicase/core"
import { expectCode } from "@civicase/core/testing"
import { planIndicatorReport, planWorkflow, planWorkflowV1 } from "@civicase/workflows"
import { signedDecision } from "./scenario-fixtures.js"
import { people, person, vinhPhuc } from "./support.js"

const { coordinator, vhOfficer, vhHead, nvOfficer, nvHead, gdHead } = people

/** The roll-up suite, run against one kind of store (PGlite in indicator-report.test.ts, the PostgreSQL server in indicator-report.integration.test.ts). */
export function indicatorReportSuite(name: string, store: () => { driver: StorageDriver; dispose: (engine: Engine) => Promise<void> }): void {
  describe(`planIndicatorReport: plan indicators rolled up from the database (${name})`, () => {
    const cleanup: Array<() => Promise<void>> = []
    afterEach(async () => {
      for (const c of cleanup.splice(0).reverse()) await c()
    })

    async function issuedPlan(engine: Engine, officer: Actor, head: Actor, year: number, targets: Record<string, number>) {
      const c = await engine.createCase("plan", { title: `Kế hoạch TTĐN ${year}`, year, targets }, officer)
      await engine.send(c.id, { type: "SUBMIT" }, officer)
      const signed = await engine.attachDocument(c.id, { name: "ke-hoach.pdf", mediaType: "application/pdf", bytes: new TextEncoder().encode("%PDF-1.4"), decision: signedDecision }, head)
      await engine.send(c.id, { type: "APPROVE", payload: { decisionDocument: signed.id } }, head)
      await engine.send(c.id, { type: "START_IMPLEMENTATION" }, officer)
      return c.id
    }

    async function scenario() {
      const { driver, dispose } = store()
      const engine = createEngine({ store: driver, workflows: [planWorkflowV1(vinhPhuc), planWorkflow(vinhPhuc)], clock: testClock(new Date("2025-03-03T02:00:00.000Z")), scheduler: false, logger: silentLogger })
      cleanup.push(async () => {
        await dispose(engine)
        await engine.close()
      })
      const report = (id: string, values: Record<string, number>, accept: boolean) =>
        engine.send(id, { type: "SUBMIT_REPORT", payload: { summary: "Báo cáo kỳ", values } }, id === vh ? vhHead : nvHead).then(() => (accept ? engine.send(id, { type: "ACCEPT_REPORT" }, coordinator) : undefined))

      const vh = await issuedPlan(engine, vhOfficer, vhHead, 2025, { articles_published: 120, officers_trained: 40 })
      const nv = await issuedPlan(engine, nvOfficer, nvHead, 2025, { articles_published: 80, foreign_press_hosted: 2 })
      await report(vh, { articles_published: 30.5, officers_trained: 10 }, true)
      await report(nv, { articles_published: 20.25, foreign_press_hosted: 1 }, true)
      await report(vh, { articles_published: 70.25 }, false) // the half-year report, not yet accepted
      // Left out of 2025: a draft, a plan cancelled after it was issued, and next year's plan.
      const gdOfficer = person("gd-1", "so-gddt", "agency_officer")
      await engine.createCase("plan", { title: "Dự thảo", year: 2025, targets: { articles_published: 1000 } }, gdOfficer)
      const cancelled = await issuedPlan(engine, gdOfficer, gdHead, 2025, { articles_published: 500 })
      await engine.send(cancelled, { type: "CANCEL", payload: { reason: "Hợp nhất", result: "Thay bằng kế hoạch chung" } }, gdHead)
      await issuedPlan(engine, vhOfficer, vhHead, 2026, { articles_published: 150 })
      return engine
    }

    it("sums targets and accepted values exactly per indicator and period, per agency, for issued plans of the year", async () => {
      const engine = await scenario()
      const rows = await planIndicatorReport(engine, { year: 2025 }, coordinator)
      expect(rows).toEqual([
        {
          province: "vinh-phuc",
          year: 2025,
          indicator: "articles_published",
          plans: 2,
          target: 200,
          periods: [
            { period: "q1", reported: 50.75, agencies: 2, pending: 0 },
            { period: "h1", reported: 0, agencies: 0, pending: 70.25 },
          ],
          agencies: [
            { agency: "so-ngoai-vu", target: 80, values: { q1: 20.25 } },
            { agency: "so-vhttdl", target: 120, values: { q1: 30.5 } },
          ],
        },
        { province: "vinh-phuc", year: 2025, indicator: "foreign_press_hosted", plans: 1, target: 2, periods: [{ period: "q1", reported: 1, agencies: 1, pending: 0 }], agencies: [{ agency: "so-ngoai-vu", target: 2, values: { q1: 1 } }] },
        { province: "vinh-phuc", year: 2025, indicator: "officers_trained", plans: 1, target: 40, periods: [{ period: "q1", reported: 10, agencies: 1, pending: 0 }], agencies: [{ agency: "so-vhttdl", target: 40, values: { q1: 10 } }] },
      ])
      // Every year without a filter; the system actor sees the province like a coordinator.
      const all = await planIndicatorReport(engine, {}, engine.access.systemActor("vinh-phuc"))
      expect(all.map((r) => [r.year, r.indicator, r.target])).toEqual([
        [2025, "articles_published", 200],
        [2025, "foreign_press_hosted", 2],
        [2025, "officers_trained", 40],
        [2026, "articles_published", 150],
      ])
    })

    it("is authorized like the SLA report: an agency sees its own figures only; another province sees none", async () => {
      const engine = await scenario()
      const own = await planIndicatorReport(engine, { year: 2025 }, vhOfficer)
      expect(own.map((r) => [r.indicator, r.target, r.agencies.map((a) => a.agency)])).toEqual([
        ["articles_published", 120, ["so-vhttdl"]],
        ["officers_trained", 40, ["so-vhttdl"]],
      ])
      await expectCode(planIndicatorReport(engine, { agency: "so-ngoai-vu" }, vhOfficer), "CIVICASE_E_FORBIDDEN")
      expect((await planIndicatorReport(engine, { agency: "so-ngoai-vu", year: 2025 }, coordinator)).map((r) => r.indicator)).toEqual(["articles_published", "foreign_press_hosted"])
      expect(await planIndicatorReport(engine, {}, { id: "x", province: "da-nang", agency: "so-vhttdl", roles: ["coordinator"] })).toEqual([])
      const bad = await expectCode(planIndicatorReport(engine, { year: "2025" as never, agency: "" }, coordinator), "CIVICASE_E_VALIDATION")
      expect(bad.issues.map((i: { path: string }) => i.path)).toEqual(["/year", "/agency"])
    })
  })
}
