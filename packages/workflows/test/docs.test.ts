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
      "workflows/commendation.md",
      "workflows/coordination.md",
      "workflows/plan.md",
      "workflows/press-response.md",
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
    const page = generatedFiles().find((f) => f.path.endsWith("workflows/plan.md"))!.content
    expect(page).toContain("| `APPRAISE` | Appraise | Thẩm định | `coordinator_head` | any | `opinion`: string<br>`favourable`: boolean |")
    expect(page).toContain("| `submissionDeadline` | Plan submission deadline | Hạn nộp kế hoạch | 15 working days |")
    expect(page).toContain("| `reportDue` | Periodic report due | Hạn nộp báo cáo định kỳ | computed from the case (a fixed date) |")
  })
})
