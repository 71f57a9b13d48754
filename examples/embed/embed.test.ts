import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { main } from "./embed.js"

const source = readFileSync(new URL("./embed.ts", import.meta.url), "utf8")
const sourceLines = new Set(source.split("\n").map((l) => l.trim()))

/** The first TypeScript block of a README's "Embedding" section. */
function embeddingExample(readme: string): string[] {
  const section = readme.slice(readme.indexOf("## Embedding"))
  const block = /```ts(?: example)?\n([\s\S]*?)```/.exec(section)?.[1]
  if (!block) throw new Error("no ```ts block under ## Embedding")
  return block.split("\n").map((l) => l.trim()).filter(Boolean)
}

describe("examples/embed", () => {
  it("creates, submits and approves a case on the embedded database", async () => {
    const result = await main()
    expect(result.state).toBe("approved")
    expect(result.rev).toBe(3)
    expect(result.history).toEqual(["1 case.created ∅ → draft", "2 SUBMIT draft → review", "3 APPROVE review → approved"])
  })

  for (const pkg of ["core", "adapters"]) {
    it(`is the code packages/${pkg}/README.md shows (every line of its example is in embed.ts)`, () => {
      const readme = readFileSync(new URL(`../../packages/${pkg}/README.md`, import.meta.url), "utf8")
      const lines = embeddingExample(readme)
      expect(lines.length).toBeLessThanOrEqual(12)
      expect(lines.filter((l) => !sourceLines.has(l))).toEqual([])
    })
  }
})
