import { execFile } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { promisify } from "node:util"
import { describe, expect, it } from "vitest"
import { main } from "./edxml.js"

const run = promisify(execFile)
const root = new URL("../../", import.meta.url)
const source = new Set(readFileSync(new URL("./edxml.ts", import.meta.url), "utf8").split("\n").map((l) => l.trim()))

/** The TypeScript block under docs/edxml.md's "Example" heading. */
function docExample(): string[] {
  const doc = readFileSync(new URL("docs/edxml.md", root), "utf8")
  const block = /```ts\n([\s\S]*?)```/.exec(doc.slice(doc.indexOf("## Example")))?.[1]
  if (!block) throw new Error("no ```ts block under ## Example in docs/edxml.md")
  return block.split("\n").map((l) => l.trim()).filter(Boolean)
}

describe("examples/edxml (docs/edxml.md)", () => {
  it("builds, signs, verifies and reads a plan package, then answers with a status packet", async () => {
    const result = await main()
    expect(result.documentId).toMatch(/^000\.00\.09\.H62,\d{4}\/\d{2}\/\d{2},12\/KH-SNV$/)
    expect(result.attachment).toBe("12-KH-SNV.pdf")
    expect(result.signed).toContain("<Signature")
    expect(result.reply).toMatchObject({ kind: "status", status: { status: "acceptance", responseFor: { documentId: result.documentId } } })
  })

  it("is the code docs/edxml.md shows (every line of its example is in edxml.ts)", () => {
    const lines = docExample()
    expect(lines.length).toBeGreaterThan(10)
    expect(lines.filter((l) => !source.has(l))).toEqual([])
  })

  it("runs from the built package (dist), as an application would", async () => {
    const dist = new URL("packages/adapters/dist/edxml/index.js", root)
    expect(existsSync(dist), "build first: npm run build").toBe(true)
    // Without the `source` condition, @civicase/adapters/edxml resolves to dist/ through package.json `exports`.
    const { stdout } = await run(process.execPath, ["--import", "tsx", "examples/edxml/edxml.ts"], { cwd: root, timeout: 60_000 })
    expect(stdout).toMatch(/^000\.00\.09\.H62,\d{4}\/\d{2}\/\d{2},12\/KH-SNV Kế hoạch thông tin đối ngoại năm 2025 12-KH-SNV\.pdf$/m)
    expect(stdout).toMatch(/^acceptance 000\.00\.09\.H62,/m)
  })
})
