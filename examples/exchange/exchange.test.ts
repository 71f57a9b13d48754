import { describe, expect, it } from "vitest"
import { main } from "./exchange.js"

describe("examples/exchange (docs/exchange.md)", () => {
  it("runs two provinces and the fake platform: a công văn out, a case in Đà Nẵng, its progress back, a complaint into Vĩnh Phúc", async () => {
    const lines: string[] = []
    const r = await main((l) => lines.push(l))
    expect(r.sent.to).toEqual(["000.00.15.P32"])
    expect(r.sent.key).toMatch(new RegExp(`^000\\.00\\.14\\.H62,\\d{4}/\\d{2}/\\d{2},1/STTTT-TTĐN\\.${r.incidentId}$`))
    expect(r.received).toEqual([{ kind: "created", documentId: r.sent.key, caseId: expect.any(String), replayed: false }])
    expect(r.back.map((o) => (o.kind === "status" ? [o.status, o.documentId] : o.kind))).toEqual([
      ["acceptance", r.sent.key],
      ["processing", r.sent.key],
    ])
    expect(r.taken).toEqual([{ kind: "created", documentId: expect.stringMatching(/^000\.00\.00\.G22,.*,45\/VPCP-V\.I$/), caseId: expect.any(String), replayed: false }])
    expect(lines.at(-1)).toMatch(/became a violation case$/)
  })
})
