import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  type EdxmlPackage,
  type EdxmlStatus,
  type EdxmlStatusPacket,
  buildEdxmlPackage,
  buildEdxmlStatus,
  edxmlStatuses,
  parseEdxmlPackage,
  parseEdxmlStatus,
} from "@civicase/adapters/edxml"

// Characters the model must carry unchanged: Vietnamese letters (precomposed and combining), XML's
// special characters, whitespace, and any other character XML allows. `\r` is left out on purpose:
// XML reads every line end as `\n`, and the builder writes them so (see edxml-refusals.test.ts).
const vietnamese = [..."ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵĂÂĐÊÔƠƯÀÁẠỆỘỰ", "e\u0301", "a\u0323"]
const special = ["<", ">", "&", '"', "'", "]]>", "&amp;", "<![CDATA[", "-->", " ", "  ", "\t", "\n", "\u00a0"]
const anyXmlChar = fc
  .string({ unit: "binary", minLength: 1, maxLength: 1 })
  .filter((c) => !/[^\t\n\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(c))
const char = fc.oneof(fc.constantFrom(...vietnamese), fc.constantFrom(...special), anyXmlChar, fc.constantFrom(..."abcXYZ019 "))
const text = fc.string({ unit: char, maxLength: 24 })
const nonBlank = text.filter((s) => s.trim() !== "")
const organId = fc.stringMatching(/^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,14}[A-Za-z0-9])?$/)
const contentId = fc.stringMatching(/^[A-Za-z0-9](?:[A-Za-z0-9._@-]{0,14}[A-Za-z0-9])?$/)
const date = fc
  .integer({ min: Date.UTC(1950, 0, 1) / 86_400_000, max: Date.UTC(2099, 11, 31) / 86_400_000 })
  .map((day) => new Date(day * 86_400_000).toISOString().slice(0, 10))
const instant = fc.integer({ min: Date.UTC(1950, 0, 1) / 1000, max: Date.UTC(2099, 11, 31) / 1000 }).map((s) => new Date(s * 1000))
const count = fc.integer({ min: 0, max: 1_000_000 })

/** Records whose optional keys are sometimes absent (not `undefined`), as the parser returns them. */
const record = <T extends Record<string, fc.Arbitrary<unknown>>>(shape: T, required: Array<keyof T>) => fc.record(shape, { requiredKeys: required as never })

const organization = record(
  { organId, organName: nonBlank, organizationInCharge: text, address: text, email: text, telephone: text, fax: text, website: text },
  ["organId", "organName"],
)
const responseFor = fc.record({ organId, code: nonBlank, promulgationDate: date, documentId: nonBlank })
const staffInfo = record({ department: text, staff: text, mobile: text, email: text }, [])
const attachment = record(
  { contentId, name: nonBlank, contentType: fc.constantFrom("application/pdf", "text/plain", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "image/png"), description: text, content: fc.uint8Array({ maxLength: 96 }) },
  ["contentId", "name", "contentType", "content"],
)

const edxmlPackage: fc.Arbitrary<EdxmlPackage> = record(
  {
    from: organization,
    to: fc.array(organization, { minLength: 1, maxLength: 3 }),
    responseFor: fc.array(responseFor, { minLength: 1, maxLength: 2 }),
    documentId: nonBlank,
    code: fc.record({ codeNumber: nonBlank, codeNotation: nonBlank }),
    promulgationInfo: fc.record({ place: nonBlank, promulgationDate: date }),
    documentType: record({ type: fc.integer({ min: 0, max: 9999 }), typeDetail: fc.integer({ min: 0, max: 9999 }), typeName: nonBlank }, ["type", "typeName"]),
    subject: nonBlank,
    content: text,
    signerInfo: record({ competence: text, position: text, fullName: nonBlank }, ["fullName"]),
    dueDate: date,
    toPlaces: fc.array(nonBlank, { maxLength: 3 }),
    otherInfo: record(
      {
        priority: fc.constantFrom(0, 1, 2, 3, 4),
        sphereOfPromulgation: text,
        typerNotation: text,
        promulgationAmount: count,
        pageAmount: count,
        appendixes: fc.array(text, { maxLength: 3 }),
      },
      [],
    ),
    steeringType: fc.constantFrom(0, 1, 2),
    traceHeaders: fc.array(fc.record({ organId, timestamp: instant }), { maxLength: 3 }),
    business: record(
      {
        docType: fc.constantFrom("new", "revoke", "update", "replace"),
        reason: text,
        documentId: nonBlank,
        staffInfo,
        paper: fc.boolean(),
        replacements: fc.array(fc.record({ documentId: nonBlank, organIds: fc.array(organId, { maxLength: 3 }) }), { maxLength: 2 }),
      },
      ["docType"],
    ),
    attachments: fc.uniqueArray(attachment, { selector: (a) => a.contentId, maxLength: 4 }),
  },
  ["from", "to", "documentId", "code", "promulgationInfo", "documentType", "subject", "signerInfo", "traceHeaders", "attachments"],
) as unknown as fc.Arbitrary<EdxmlPackage>

const statusPacket: fc.Arbitrary<EdxmlStatusPacket> = record(
  {
    responseFor,
    from: organization,
    status: fc.constantFrom(...(Object.keys(edxmlStatuses) as EdxmlStatus[])),
    description: text,
    timestamp: instant,
    staffInfo,
  },
  ["responseFor", "from", "status", "timestamp"],
) as unknown as fc.Arbitrary<EdxmlStatusPacket>

describe("edXML round trip (property): model → XML → model is the identity", () => {
  it("for packages with Vietnamese text, XML special characters, lists and attachments", async () => {
    await fc.assert(
      fc.asyncProperty(edxmlPackage, async (pkg) => {
        expect(await parseEdxmlPackage(buildEdxmlPackage(pkg))).toEqual(pkg)
      }),
      { numRuns: 150 },
    )
  })

  it("for status packets of every status", async () => {
    await fc.assert(
      fc.asyncProperty(statusPacket, async (packet) => {
        expect(await parseEdxmlStatus(buildEdxmlStatus(packet))).toEqual(packet)
      }),
      { numRuns: 150 },
    )
  })

  it("for packages given as UTF-8 bytes rather than a string", async () => {
    await fc.assert(
      fc.asyncProperty(edxmlPackage, async (pkg) => {
        expect(await parseEdxmlPackage(Buffer.from(buildEdxmlPackage(pkg), "utf8"))).toEqual(pkg)
      }),
      { numRuns: 30 },
    )
  })
})
