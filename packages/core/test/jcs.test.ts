import { describe, expect, it } from "vitest"
import { CHAIN_FORMAT, GENESIS_HASH, canonicalJson, chainHash, jcs } from "@civicase/core"

describe("RFC 8785 canonical JSON (jcs)", () => {
  it("writes the RFC's own example (section 3.2.2) byte for byte", () => {
    const input = String.raw`{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/", "literals": [null, true, false]}`
    const expected = String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`
    expect(jcs(JSON.parse(input))).toBe(expected)
  })

  it("sorts member names by UTF-16 code units (section 3.2.3), so an emoji's surrogates sort before U+FB33", () => {
    const input = String.raw`{"\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control", "\u00f6": "Latin Small Letter O With Diaeresis"}`
    // (Object.keys would put "1" first: JavaScript lists integer-like names before the others; the text is what counts.)
    expect(jcs(JSON.parse(input))).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    )
  })

  it("writes numbers as ECMAScript does (the RFC's appendix B)", () => {
    const vectors: ReadonlyArray<readonly [number, string]> = [
      [0, "0"],
      [-0, "0"],
      [5e-324, "5e-324"],
      [-5e-324, "-5e-324"],
      [1.7976931348623157e308, "1.7976931348623157e+308"],
      [9007199254740992, "9007199254740992"],
      [-9007199254740992, "-9007199254740992"],
      [295147905179352830000, "295147905179352830000"],
      [9.999999999999997e22, "9.999999999999997e+22"],
      [1e23, "1e+23"],
      [1.0000000000000001e23, "1.0000000000000001e+23"],
      [999999999999999700000, "999999999999999700000"],
      [999999999999999900000, "999999999999999900000"],
      [1e21, "1e+21"],
      [9.999999999999997e-7, "9.999999999999997e-7"],
      [0.000001, "0.000001"],
      [333333333.3333332, "333333333.3333332"],
      [333333333.33333325, "333333333.33333325"],
      [333333333.3333333, "333333333.3333333"],
      [333333333.3333334, "333333333.3333334"],
      [333333333.33333343, "333333333.33333343"],
    ]
    for (const [n, text] of vectors) expect(jcs(n)).toBe(text)
  })

  it("escapes control characters, quotes and backslashes only, in lower-case hex", () => {
    expect(jcs("\u0000\u0008\t\n\u000b\f\r\u001f\"\\/é")).toBe(String.raw`"\u0000\b\t\n\u000b\f\r\u001f\"\\/é"`)
  })

  it("refuses values JSON cannot hold, naming where they are", () => {
    expect(() => jcs({ a: [1, Number.NaN] })).toThrow(/\/a\/1: NaN has no JSON form/)
    expect(() => jcs({ "x/y": Infinity })).toThrow(/\/x~1y: Infinity/)
    expect(() => jcs(10n)).toThrow(/bigint/)
  })

  it("agrees with chain format 1's canonical JSON on JSON values", () => {
    const value = JSON.parse(String.raw`{"b":[1e21,0.1,-0,"\u2028"],"a":{"\u00f6":1,"z":null,"\ud83d\ude00":true}}`)
    expect(canonicalJson(value)).toBe(jcs(value))
  })
})

describe("chain formats", () => {
  const fields = {
    caseId: "6f1c2a4e-0000-4000-8000-000000000001",
    rev: 2,
    type: "SUBMIT",
    payload: {},
    actor: { id: "head-1", province: "demo", agency: "agency-a", roles: ["agency_head"] },
    at: new Date("2025-03-03T02:00:00.000Z"),
    from: "draft",
    to: "review",
  }

  it("format 2 covers meta and its own number; format 1 (the default, for old rows) covers neither", () => {
    expect(CHAIN_FORMAT).toBe(2)
    const v2 = chainHash(GENESIS_HASH, { ...fields, meta: { deadlinesMet: ["draft"] }, chainFormat: 2 })
    expect(chainHash(GENESIS_HASH, { ...fields, meta: { deadlinesMet: ["review"] }, chainFormat: 2 })).not.toBe(v2)
    expect(chainHash(GENESIS_HASH, { ...fields, meta: null, chainFormat: 2 })).not.toBe(v2)
    expect(chainHash(GENESIS_HASH, { ...fields, meta: { deadlinesMet: ["draft"] }, chainFormat: 1 })).toBe(chainHash(GENESIS_HASH, fields))
    expect(chainHash(GENESIS_HASH, { ...fields, meta: { deadlinesMet: ["review"] } })).toBe(chainHash(GENESIS_HASH, fields))
    expect(chainHash(GENESIS_HASH, { ...fields, chainFormat: 2 })).not.toBe(chainHash(GENESIS_HASH, fields))
  })

  it("format 2 is SHA-256 of the previous hash and the RFC 8785 text, which anyone can recompute", async () => {
    const { createHash } = await import("node:crypto")
    const body = `{"actor":{"agency":"agency-a","id":"head-1","province":"demo","roles":["agency_head"]},"at":"2025-03-03T02:00:00.000Z","caseId":"${fields.caseId}","chainFormat":2,"from":"draft","meta":null,"payload":{},"rev":2,"to":"review","type":"SUBMIT"}`
    expect(chainHash(GENESIS_HASH, { ...fields, meta: null, chainFormat: 2 })).toBe(createHash("sha256").update(GENESIS_HASH).update(body).digest("hex"))
  })

  it("refuses a format it does not know", () => {
    expect(() => chainHash(GENESIS_HASH, { ...fields, chainFormat: 3 as 2 })).toThrow(/unknown chain format 3/)
  })
})
