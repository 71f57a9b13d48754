import { readFileSync } from "node:fs"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { main } from "./portal.js"

const source = new Set(readFileSync(new URL("./portal.ts", import.meta.url), "utf8").split("\n").map((l) => l.trim()))

describe("examples/embed/portal (docs/embedding.md)", () => {
  // The example uses DATABASE_URL when set; here it must use PGlite, not the shared server's public schema.
  const url = process.env.DATABASE_URL
  beforeAll(() => {
    delete process.env.DATABASE_URL
  })
  afterAll(() => {
    if (url !== undefined) process.env.DATABASE_URL = url
  })

  it("starts and submits a yearly plan of the Vĩnh Phúc configuration on the embedded database", async () => {
    const { created, submitted } = await main({ id: "u-1", agencyId: "so-ngoai-vu", roles: ["agency_officer", "agency_head"] })
    expect(created).toMatchObject({ workflow: "plan", province: "vinh-phuc", state: "draft", rev: 1, parties: { owner: "so-ngoai-vu" } })
    expect(created.allowedEvents).toContain("SUBMIT")
    // Version 2 of the plan: submitted to the agency's own head, who may approve and issue it.
    expect(submitted).toMatchObject({ version: 2, state: "approval", rev: 2 })
    expect(submitted.allowedEvents).toEqual(expect.arrayContaining(["APPROVE", "RETURN"]))
  })

  it("is the code docs/embedding.md shows", () => {
    const doc = readFileSync(new URL("../../docs/embedding.md", import.meta.url), "utf8")
    const block = /## Ten lines[\s\S]*?```ts\n([\s\S]*?)```/.exec(doc)?.[1]
    expect(block, "a ```ts block under ## Ten lines").toBeDefined()
    const lines = block!.split("\n").map((l) => l.trim()).filter(Boolean)
    expect(lines.length).toBeLessThanOrEqual(12)
    expect(lines.filter((l) => !source.has(l))).toEqual([])
  })
})
