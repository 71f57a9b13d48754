import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { errorCodes } from "@civicase/core"

const doc = readFileSync(new URL("../../../docs/errors.md", import.meta.url), "utf8")

/** Rows of the registry table: `| \`CIVICASE_E_X\` | 409 | ... |`. */
function documentedCodes(markdown: string): Map<string, number> {
  const rows = new Map<string, number>()
  for (const line of markdown.split("\n")) {
    const m = /^\|\s*`(CIVICASE_E_[A-Z_]+)`\s*\|\s*(\d{3})\s*\|/.exec(line)
    if (!m) continue
    if (rows.has(m[1]!)) throw new Error(`docs/errors.md lists ${m[1]} twice`)
    rows.set(m[1]!, Number(m[2]))
  }
  return rows
}

describe("docs/errors.md and the error registry", () => {
  const documented = documentedCodes(doc)

  it("documents every registered code", () => {
    const missing = Object.keys(errorCodes).filter((code) => !documented.has(code))
    expect(missing, "codes in codes.ts without a row in docs/errors.md").toEqual([])
  })

  it("documents no code the registry lacks, in the table or anywhere in the text", () => {
    const mentioned = new Set([...documented.keys(), ...(doc.match(/CIVICASE_E_[A-Z_]+/g) ?? [])])
    const unknown = [...mentioned].filter((code) => !(code in errorCodes))
    expect(unknown, "codes named in docs/errors.md that codes.ts does not define").toEqual([])
  })

  it("gives each code the registry's HTTP status", () => {
    const wrong = [...documented].filter(([code, status]) => errorCodes[code as keyof typeof errorCodes]?.status !== status)
    expect(wrong.map(([code, status]) => `${code}: doc ${status}, registry ${errorCodes[code as keyof typeof errorCodes]?.status}`)).toEqual([])
  })

  it("reads the table it checks (a reformatted table must not pass silently)", () => {
    expect(documented.size).toBeGreaterThanOrEqual(Object.keys(errorCodes).length)
    expect(documentedCodes("| `CIVICASE_E_FORBIDDEN` | 403 | x | y | z |")).toEqual(new Map([["CIVICASE_E_FORBIDDEN", 403]]))
  })
})
