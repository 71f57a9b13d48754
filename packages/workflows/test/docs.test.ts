import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { coordinationWorkflow, generatedFiles, planWorkflowV1 as planWorkflow, toMermaid } from "@civicase/workflows"
import { vinhPhuc } from "./support.js"

describe("diagrams and generated documentation", () => {
  it("renders a workflow as a Mermaid state diagram with labels in the chosen language", () => {
    const en = toMermaid(planWorkflow(vinhPhuc), { lang: "en" })
    expect(en.startsWith("stateDiagram-v2\n")).toBe(true)
    expect(en).toContain('state "Under review" as plan__under_review')
    expect(en).toContain("plan__under_review --> plan__appraisal : Approve [isProject]")
    expect(en).toContain("plan__in_implementation__awaiting_report --> plan__in_implementation__overdue : ⏱ Periodic report due")
    expect(en).toContain("note left of plan__cancelled : Cancel plan (from any state)")
    const vi = toMermaid(coordinationWorkflow(vinhPhuc))
    expect(vi).toContain('state "Đang tổng hợp" as coordination__working__lead__consolidating')
    // Parallel regions are separated, and the automatic move when every part is in is drawn.
    expect(vi.match(/^ {4}--$/gm)).toHaveLength(2)
    expect(vi).toContain("coordination__working__cooperation__contributing --> coordination__working__cooperation__complete : tự động [allContributed]")
  })

  it("keeps docs/workflows/*.md and schema/province.schema.json equal to what the generator writes (npm run docs:workflows -w @civicase/workflows)", () => {
    const files = generatedFiles()
    expect(files.map((f) => f.path.split("/").slice(-2).join("/")).sort()).toEqual([
      "schema/province.schema.json",
      "workflows/README.md",
      "workflows/commendation-v1.md",
      "workflows/commendation.md",
      "workflows/coordination-v1.md",
      "workflows/coordination.md",
      "workflows/plan-v1.md",
      "workflows/plan.md",
      "workflows/press-response-v1.md",
      "workflows/press-response.md",
      "workflows/violation-v1.md",
      "workflows/violation.md",
    ])
    const stale = files.filter((f) => {
      try {
        return readFileSync(f.path, "utf8") !== f.content
      } catch {
        return true
      }
    })
    expect(stale.map((f) => f.path)).toEqual([])
  })

  it("documents every event's roles and payload fields and every deadline of a workflow", () => {
    const files = generatedFiles()
    const v1 = files.find((f) => f.path.endsWith("workflows/plan-v1.md"))!.content
    expect(v1).toContain("| `APPRAISE` | Appraise | Thẩm định | `coordinator_head` | any | `opinion`: string<br>`favourable`: boolean |")
    expect(v1).toContain("| `submissionDeadline` | Plan submission deadline | Hạn nộp kế hoạch | 15 working days | giá trị minh họa / illustrative default |")
    expect(v1).toContain("**Version 1 runs only the cases started on it**")
    const v2 = files.find((f) => f.path.endsWith("workflows/plan.md"))!.content
    expect(v2).toContain("# External information plan and periodic reports (`plan`, version 2)")
    expect(v2).toContain("Earlier versions, kept for the cases started on them: [version 1](plan-v1.md).")
    expect(v2).toContain("| `COMMENT` | Comment, guide or urge | Góp ý, hướng dẫn, đôn đốc | `coordinator`, `coordinator_head` | any | `comments`: string<br>`kind`?: \"guidance\" \\| \"urging\" \\| \"inspection\" |")
    expect(v2).toContain("| `reportDue` | Periodic report due | Hạn nộp báo cáo định kỳ | computed from the case and the configuration | giá trị minh họa / illustrative default |")
  })

  it("labels every configured number an illustrative default unless the province file cites a source for it", () => {
    const files = generatedFiles()
    const page = (name: string) => files.find((f) => f.path.endsWith(`workflows/${name}.md`))!.content
    const rows = (name: string) => page(name).split("\n").filter((l) => l.startsWith("| `/workflows/"))
    // Every row of every page says its basis; the cited ones name a text.
    for (const name of ["plan", "coordination", "press-response", "violation", "commendation"]) {
      expect(rows(name).length, name).toBeGreaterThan(3)
      for (const row of rows(name)) expect(row, row).toMatch(/\| (giá trị minh họa \/ illustrative default|.*(Luật|Kế hoạch 155|Bộ luật).*) \|$/)
    }
    expect(page("commendation")).toContain("| `/workflows/commendation/council/quorum` | 5 | giá trị minh họa / illustrative default |")
    expect(page("violation")).toContain("| `/workflows/violation/penalties/1/fine` | 1,000,000–5,000,000 VND | giá trị minh họa / illustrative default |")
    expect(page("violation")).toMatch(/\| `\/workflows\/violation\/complaintWindow` \| 90 days \| Luật Khiếu nại 2011, Điều 9/)
    expect(page("violation")).toMatch(/\| `complaintWindow` \| .* \| Luật Khiếu nại 2011, Điều 9/)
    expect(page("plan")).toContain("| `/workflows/plan/reportPeriods/0/due` | `03-15` | giá trị minh họa / illustrative default |")
    expect(page("plan")).toMatch(/\| `\/workflows\/plan\/approval\/provincial\/1` \| `coordinator_head` \(any\) appraises \| Kế hoạch 155\/KH-UBND, mục III.2/)
    expect(page("press-response")).toContain("| `/workflows/press-response/approvalChains/high` | coordinator_head → province_leader | giá trị minh họa / illustrative default |")
  })
})
