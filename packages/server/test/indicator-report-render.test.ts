import { afterEach, describe, expect, it } from "vitest"
import { pglite } from "@civicase/adapters"
import { type Engine, createEngine, silentLogger, testClock } from "@civicase/core"
import { loadProvince, planIndicatorReport, planWorkflow, provinceFiles } from "@civicase/workflows"
import { renderIndicatorReport } from "../src/cli/indicator-report.js"

const province = loadProvince(provinceFiles.vinhPhuc)
const person = (id: string, agency: string, role: string) => ({ id, province: "vinh-phuc", agency, roles: [role] })

describe("civicase report: the plan indicators with the province's bilingual labels", () => {
  let engine: Engine
  afterEach(() => engine.close())

  it("prints each indicator's target, the values of each period (pending in brackets), the share reached, and each agency's figures", async () => {
    engine = createEngine({ store: pglite(), workflows: [planWorkflow(province)], clock: testClock(new Date("2025-03-03T02:00:00.000Z")), scheduler: false, logger: silentLogger })
    const [officer, head, coordinator] = [person("o", "so-vhttdl", "agency_officer"), person("h", "so-vhttdl", "agency_head"), person("c", "so-tttt", "coordinator")]
    const c = await engine.createCase("plan", { title: "Kế hoạch TTĐN 2025", year: 2025, targets: { articles_published: 120 } }, officer)
    // The approval that issues the plan names the signed plan, attached with its decision metadata.
    const decision = { number: "15", notation: "KH-SVHTTDL", documentType: "Kế hoạch", signer: { name: "Nguyễn Văn A", position: "Giám đốc Sở" }, issuedOn: "2025-03-03" }
    const signed = await engine.attachDocument(c.id, { name: "ke-hoach.pdf", mediaType: "application/pdf", bytes: new TextEncoder().encode("%PDF-1.4"), decision }, head)
    for (const [type, actor, payload] of [["SUBMIT", officer, {}], ["APPROVE", head, { decisionDocument: signed.id }], ["START_IMPLEMENTATION", officer, {}], ["SUBMIT_REPORT", head, { summary: "Quý I", values: { articles_published: 30 } }], ["ACCEPT_REPORT", coordinator, {}], ["SUBMIT_REPORT", head, { summary: "6 tháng", values: { articles_published: 66 } }]] as const) {
      await engine.send(c.id, { type, payload }, actor)
    }
    const md = renderIndicatorReport(await planIndicatorReport(engine, { year: 2025 }, engine.access.systemActor("vinh-phuc")), province)
    expect(md).toContain("## Kết quả thực hiện chỉ tiêu / Plan indicators: 2025")
    expect(md).toContain("| Chỉ tiêu / Indicator | Đơn vị / Unit | Cơ quan / Agencies | Mục tiêu / Target | Báo cáo quý I / First-quarter report | Báo cáo 6 tháng / Half-year report | Đạt / Reached |")
    expect(md).toContain(
      "| Tin, bài, sản phẩm thông tin đối ngoại được đăng, phát / External-information articles and products published | tin, bài / items | 1 | 120 | 30 | 0 (+66) | 25.0% |",
    )
    expect(md).toContain("| Sở Văn hóa, Thể thao và Du lịch | Tin, bài, sản phẩm thông tin đối ngoại được đăng, phát | 120 | 30 | — |")
    expect(renderIndicatorReport([], province)).toContain("_Không có chỉ tiêu nào trong các kế hoạch đã ban hành / No indicators in issued plans._")
  })
})
