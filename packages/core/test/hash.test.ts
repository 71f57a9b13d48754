import { describe, expect, it } from "vitest"
import { GENESIS_HASH, canonicalJson, chainHash, checkpointDigest } from "@civicase/core"

const fields = {
  caseId: "6f1c2a4e-0000-4000-8000-000000000001",
  rev: 1,
  type: "case.created",
  payload: { title: "Kế hoạch", tags: ["a", "b"] },
  actor: { id: "officer-1", province: "demo", agency: "agency-a", roles: ["agency_officer"] },
  at: new Date("2025-03-03T02:00:00.000Z"),
  from: null,
  to: "draft",
}

describe("hash chain", () => {
  it("canonical JSON ignores key order and drops undefined members", () => {
    expect(canonicalJson({ b: 1, a: [true, null, undefined], c: undefined })).toBe('{"a":[true,null,null],"b":1}')
    expect(canonicalJson({ x: { z: 1, y: 2 } })).toBe(canonicalJson({ x: { y: 2, z: 1 } }))
    expect(canonicalJson(Number.NaN)).toBe("null")
  })

  it("each field and the previous hash change the row's hash", () => {
    const base = chainHash(GENESIS_HASH, fields)
    expect(base).toMatch(/^[0-9a-f]{64}$/)
    expect(chainHash(GENESIS_HASH, { ...fields, payload: { tags: ["a", "b"], title: "Kế hoạch" } })).toBe(base)
    const variants = [
      { ...fields, rev: 2 },
      { ...fields, type: "SUBMIT" },
      { ...fields, payload: { title: "Kế hoạch!", tags: ["a", "b"] } },
      { ...fields, actor: { ...fields.actor, roles: ["agency_head"] } },
      { ...fields, at: new Date("2025-03-03T02:00:00.001Z") },
      { ...fields, from: "draft" },
      { ...fields, to: "review" },
      { ...fields, caseId: "6f1c2a4e-0000-4000-8000-000000000002" },
    ]
    for (const v of variants) expect(chainHash(GENESIS_HASH, v)).not.toBe(base)
    expect(chainHash("f".repeat(64), fields)).not.toBe(base)
  })

  it("a checkpoint digest depends on every head and their order", () => {
    const heads = [
      ["6f1c2a4e-0000-4000-8000-000000000001", 3, "a".repeat(64)],
      ["6f1c2a4e-0000-4000-8000-000000000002", 1, "b".repeat(64)],
    ] as const
    const d = checkpointDigest(heads)
    expect(d).toMatch(/^[0-9a-f]{64}$/)
    expect(checkpointDigest([heads[1], heads[0]])).not.toBe(d)
    expect(checkpointDigest([heads[0]])).not.toBe(d)
    expect(checkpointDigest([heads[0], [heads[1][0], 2, heads[1][2]]])).not.toBe(d)
  })
})
