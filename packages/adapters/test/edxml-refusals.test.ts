import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { errorCodes, isCivicaseError } from "@civicase/core"
import {
  type EdxmlPackage,
  type EdxmlStatusPacket,
  EdxmlError,
  buildEdxmlPackage,
  buildEdxmlStatus,
  defaultEdxmlLimits,
  edxmlErrorCodes,
  parseEdxmlPackage,
  parseEdxmlStatus,
} from "@civicase/adapters/edxml"

const fixture = (name: string) => readFileSync(new URL(`./fixtures/edxml/${name}`, import.meta.url), "utf8")
const plan = fixture("plan-approved.xml")
const MH = "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader"

/** Parsing `xml` is refused with `code` at `path`. */
async function refusedAt(xml: string | Uint8Array, code: string, path: string, options: Parameters<typeof parseEdxmlPackage>[1] = {}) {
  const error = await parseEdxmlPackage(xml, options).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(EdxmlError)
  expect(error).toMatchObject({ code, path })
  return error as EdxmlError
}

/** `fixture` with `from` replaced by `to`, checking the replacement happened. */
function edit(from: string | RegExp, to: string, xml = plan): string {
  const out = xml.replace(from, to)
  expect(out).not.toBe(xml)
  return out
}

describe("edXML refusals: each class is coded and names its element", () => {
  describe("malformed (CIVICASE_E_EDXML_MALFORMED)", () => {
    it("refuses XML that is not well-formed, empty, or not edXML", async () => {
      await refusedAt(plan.slice(0, plan.length - 4), "CIVICASE_E_EDXML_MALFORMED", "/edXML")
      await refusedAt(plan.replace("</edXML:Subject>", "</edXML:Subjekt>"), "CIVICASE_E_EDXML_MALFORMED", "/")
      await refusedAt("", "CIVICASE_E_EDXML_MALFORMED", "/")
      await refusedAt("no markup at all", "CIVICASE_E_EDXML_MALFORMED", "/")
      await refusedAt(edit("<edXML:Subject>", "<edXML:Subject foo='1' foo='2'>"), "CIVICASE_E_EDXML_MALFORMED", "/")
      await refusedAt('<?xml version="1.0"?><Envelope xmlns="urn:other"/>', "CIVICASE_E_EDXML_MALFORMED", "/Envelope")
      await refusedAt("<edXML><edXMLEnvelope/></edXML>", "CIVICASE_E_EDXML_MALFORMED", "/edXML")
    })

    it("refuses any DTD before it is processed: entity-expansion bombs and external entities never expand", async () => {
      const bomb =
        '<?xml version="1.0"?><!DOCTYPE edXML [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>' +
        '<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&c;</edXML>'
      expect((await refusedAt(bomb, "CIVICASE_E_EDXML_MALFORMED", "/")).reason).toMatch(/DTD/)
      const external = plan.replace("<edXML ", '<!DOCTYPE edXML [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<edXML ').replace("Vĩnh Phúc</edXML:Place>", "&x;</edXML:Place>")
      expect((await refusedAt(external, "CIVICASE_E_EDXML_MALFORMED", "/")).reason).toMatch(/DTD/)
      await refusedAt(edit("<edXML:Place>Vĩnh Phúc</edXML:Place>", "<edXML:Place>&nbsp;</edXML:Place>"), "CIVICASE_E_EDXML_MALFORMED", "/")
    })

    it("refuses bytes that are not UTF-8, and a declared encoding other than UTF-8", async () => {
      const latin1 = Buffer.from(plan.replace("Sở Nội vụ", "Sá Nội vụ"), "latin1")
      await refusedAt(latin1, "CIVICASE_E_EDXML_MALFORMED", "/")
      await refusedAt(edit('encoding="UTF-8"', 'encoding="ISO-8859-1"'), "CIVICASE_E_EDXML_MALFORMED", "/")
    })

    it("refuses an edXML element in another namespace", async () => {
      const e = await refusedAt(edit("<edXML:Subject>Kế hoạch", '<Subject xmlns="urn:elsewhere">Kế hoạch').replace("</edXML:Subject>", "</Subject>"), "CIVICASE_E_EDXML_MALFORMED", `${MH}/Subject[1]`)
      expect(e.reason).toMatch(/urn:elsewhere/)
    })
  })

  describe("over a limit (CIVICASE_E_EDXML_TOO_LARGE)", () => {
    it("refuses a package over the byte limit before parsing it", async () => {
      expect((await refusedAt(plan, "CIVICASE_E_EDXML_TOO_LARGE", "/", { limits: { maxBytes: 1000 } })).reason).toMatch(/more than the limit of 1000/)
      await refusedAt(Buffer.from(plan), "CIVICASE_E_EDXML_TOO_LARGE", "/", { limits: { maxBytes: 1000 } })
    })

    it("refuses nesting deeper than the limit, naming the element that crossed it", async () => {
      const deep = edit("<edXML:Subject>", `<edXML:Subject>${"<x>".repeat(40)}${"</x>".repeat(40)}`)
      const e = await refusedAt(deep, "CIVICASE_E_EDXML_TOO_LARGE", `/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/Subject/${Array(28).fill("x").join("/")}`)
      expect(e.reason).toMatch(/nested more than 32 deep/)
    })

    it("refuses more elements than the limit", async () => {
      const many = edit("</edXML:ToPlaces>", `${"<edXML:Place>x</edXML:Place>".repeat(200)}</edXML:ToPlaces>`)
      const e = await refusedAt(many, "CIVICASE_E_EDXML_TOO_LARGE", `${MH}/ToPlaces/Place`, { limits: { maxElements: 150 } })
      expect(e.reason).toMatch(/more than 150 elements/)
    })

    it("refuses more attachments than the limit, and an attachment over the size limit", async () => {
      await refusedAt(plan, "CIVICASE_E_EDXML_TOO_LARGE", "/edXML/edXMLEnvelope/edXMLBody/edXMLManifest/Reference[2]", { limits: { maxAttachments: 1 } })
      await refusedAt(plan, "CIVICASE_E_EDXML_TOO_LARGE", "/edXML/AttachmentEncoded[1]/Attachment[1]/ContentTransferEncoded", { limits: { maxAttachmentBytes: 50 } })
    })

    it("refuses a text value over the length limit", async () => {
      await refusedAt(edit("<edXML:Subject>", `<edXML:Subject>${"dài ".repeat(30)}`), "CIVICASE_E_EDXML_TOO_LARGE", `${MH}/Subject`, { limits: { maxTextLength: 100 } })
    })

    it("refuses to build what it would refuse to read", async () => {
      const pkg = await parseEdxmlPackage(plan)
      expect(() => buildEdxmlPackage(pkg, { limits: { maxAttachments: 1 } })).toThrow(expect.objectContaining({ code: "CIVICASE_E_EDXML_TOO_LARGE", path: "/edXML/edXMLEnvelope/edXMLBody/edXMLManifest/Reference[2]" }))
      expect(() => buildEdxmlPackage(pkg, { limits: { maxAttachmentBytes: 50 } })).toThrow(expect.objectContaining({ code: "CIVICASE_E_EDXML_TOO_LARGE", path: "/edXML/edXMLEnvelope/edXMLBody/edXMLManifest/Reference[1]" }))
      expect(() => buildEdxmlPackage(pkg, { limits: { maxBytes: 0 } })).toThrow(TypeError)
    })
  })

  describe("missing elements (CIVICASE_E_EDXML_MISSING_ELEMENT)", () => {
    it("names the missing element: a required leaf, a required group, the only recipient", async () => {
      await refusedAt(edit("<edXML:OrganId>000.00.09.H62</edXML:OrganId>\n          <edXML:OrganizationInCharge>", "<edXML:OrganizationInCharge>"), "CIVICASE_E_EDXML_MISSING_ELEMENT", `${MH}/From/OrganId`)
      await refusedAt(edit(/<edXML:SignerInfo>[\s\S]*?<\/edXML:SignerInfo>/, ""), "CIVICASE_E_EDXML_MISSING_ELEMENT", `${MH}/SignerInfo`)
      await refusedAt(edit(/<edXML:To>[\s\S]*?<\/edXML:To>/, ""), "CIVICASE_E_EDXML_MISSING_ELEMENT", `${MH}/To`)
      await refusedAt(edit(/<edXML:DocumentId>000[^<]*<\/edXML:DocumentId>/, ""), "CIVICASE_E_EDXML_MISSING_ELEMENT", `${MH}/DocumentId`)
    })

    it("treats a blank required value as missing", async () => {
      await refusedAt(edit(/<edXML:Subject>[^<]*<\/edXML:Subject>/, "<edXML:Subject>   </edXML:Subject>"), "CIVICASE_E_EDXML_MISSING_ELEMENT", `${MH}/Subject`)
    })

    it("refuses a manifest reference whose attachment is not carried", async () => {
      const e = await refusedAt(edit(/<Attachment>\s*<ContentId>phu-luc-1[\s\S]*?<\/Attachment>/, ""), "CIVICASE_E_EDXML_MISSING_ELEMENT", "/edXML/AttachmentEncoded/Attachment")
      expect(e.reason).toMatch(/phu-luc-1/)
    })
  })

  describe("invalid values (CIVICASE_E_EDXML_INVALID_VALUE)", () => {
    it("refuses dates that are not yyyy/MM/dd calendar dates, and times that are not yyyy/MM/dd HH:mm:ss", async () => {
      await refusedAt(edit("<edXML:PromulgationDate>2025/01/10<", "<edXML:PromulgationDate>10/01/2025<"), "CIVICASE_E_EDXML_INVALID_VALUE", `${MH}/PromulgationInfo/PromulgationDate`)
      await refusedAt(edit("<edXML:DueDate>2025/01/24<", "<edXML:DueDate>2025/02/30<"), "CIVICASE_E_EDXML_INVALID_VALUE", `${MH}/DueDate`)
      await refusedAt(edit("2025/01/10 15:30:00", "2025/01/10 25:30:00"), "CIVICASE_E_EDXML_INVALID_VALUE", "/edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList/TraceHeader[1]/Timestamp")
    })

    it("refuses bad codes: agency code, priority, steering type, business type, status code", async () => {
      await refusedAt(edit("<edXML:OrganId>000.00.14.H62<", "<edXML:OrganId>000 00 14<"), "CIVICASE_E_EDXML_INVALID_VALUE", `${MH}/To[1]/OrganId`)
      await refusedAt(edit("<edXML:Priority>0<", "<edXML:Priority>7<"), "CIVICASE_E_EDXML_INVALID_VALUE", `${MH}/OtherInfo/Priority`)
      await refusedAt(edit("<edXML:SteeringType>0<", "<edXML:SteeringType>khẩn<"), "CIVICASE_E_EDXML_INVALID_VALUE", `${MH}/SteeringType`)
      await refusedAt(edit("<edXML:BussinessDocType>0<", "<edXML:BussinessDocType>9<"), "CIVICASE_E_EDXML_INVALID_VALUE", "/edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList/Bussiness/BussinessDocType")
      const status = fixture("status-done.xml").replace("<edXML:StatusCode>06<", "<edXML:StatusCode>99<")
      await expect(parseEdxmlStatus(status)).rejects.toMatchObject({ code: "CIVICASE_E_EDXML_INVALID_VALUE", path: "/edXML/edXMLEnvelope/edXMLHeader/Status/StatusCode" })
    })

    it("refuses a singular element given twice, since a reader could not tell which counts", async () => {
      await refusedAt(edit("<edXML:Subject>", "<edXML:Subject>Trích yếu khác</edXML:Subject><edXML:Subject>"), "CIVICASE_E_EDXML_INVALID_VALUE", `${MH}/Subject[2]`)
    })

    it("refuses attachments that do not match the manifest, and content that is not base64", async () => {
      await refusedAt(edit("<ContentId>phu-luc-1</ContentId>", "<ContentId>phu-luc-2</ContentId>"), "CIVICASE_E_EDXML_MISSING_ELEMENT", "/edXML/AttachmentEncoded/Attachment")
      const extra = edit("</AttachmentEncoded>", "<Attachment><ContentId>an</ContentId><AttachmentName>x</AttachmentName><ContentType>text/plain</ContentType><ContentTransferEncoded>eA==</ContentTransferEncoded></Attachment></AttachmentEncoded>")
      await refusedAt(extra, "CIVICASE_E_EDXML_INVALID_VALUE", "/edXML/AttachmentEncoded[1]/Attachment[3]")
      await refusedAt(edit("UGjhu6Ug", "UGjh*6Ug"), "CIVICASE_E_EDXML_INVALID_VALUE", "/edXML/AttachmentEncoded[1]/Attachment[2]/ContentTransferEncoded")
      await refusedAt(edit('xlink:href="cid:phu-luc-1"', 'xlink:href="cid:other"'), "CIVICASE_E_EDXML_INVALID_VALUE", "/edXML/edXMLEnvelope/edXMLBody/edXMLManifest/Reference[2]/@xlink:href")
    })

    it("refuses characters XML cannot carry", async () => {
      await refusedAt(edit("<edXML:Subject>Kế hoạch", "<edXML:Subject>Kế&#1;hoạch"), "CIVICASE_E_EDXML_INVALID_VALUE", `${MH}/Subject`)
    })
  })

  describe("building from a bad model names the element too", () => {
    const base = async () => (await parseEdxmlPackage(fixture("sanction-decision.xml"))) as EdxmlPackage

    it("refuses missing, blank or ill-typed values", async () => {
      const pkg = await base()
      const build = (changed: object) => () => buildEdxmlPackage({ ...pkg, ...changed } as EdxmlPackage)
      expect(build({ signerInfo: undefined })).toThrow(expect.objectContaining({ code: "CIVICASE_E_EDXML_MISSING_ELEMENT", path: `${MH}/SignerInfo` }))
      expect(build({ code: "12/KH" })).toThrow(expect.objectContaining({ code: "CIVICASE_E_EDXML_INVALID_VALUE", path: `${MH}/Code` }))
      expect(build({ from: { organName: "Sở" } })).toThrow(expect.objectContaining({ code: "CIVICASE_E_EDXML_MISSING_ELEMENT", path: `${MH}/From/OrganId` }))
      expect(build({ subject: " " })).toThrow(expect.objectContaining({ code: "CIVICASE_E_EDXML_MISSING_ELEMENT", path: `${MH}/Subject` }))
      expect(build({ to: [] })).toThrow(expect.objectContaining({ code: "CIVICASE_E_EDXML_MISSING_ELEMENT", path: `${MH}/To` }))
      expect(build({ dueDate: "2025-02-30" })).toThrow(expect.objectContaining({ code: "CIVICASE_E_EDXML_INVALID_VALUE", path: `${MH}/DueDate` }))
      expect(build({ documentType: { type: 1.5, typeName: "Quyết định" } })).toThrow(expect.objectContaining({ code: "CIVICASE_E_EDXML_INVALID_VALUE", path: `${MH}/DocumentType/Type` }))
      expect(build({ subject: "Quyết\u0001định" })).toThrow(expect.objectContaining({ code: "CIVICASE_E_EDXML_INVALID_VALUE", path: `${MH}/Subject` }))
      expect(build({ traceHeaders: [{ organId: "000.00.14.H62", timestamp: new Date(Number.NaN) }] })).toThrow(
        expect.objectContaining({ code: "CIVICASE_E_EDXML_INVALID_VALUE", path: "/edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList/TraceHeader[1]/Timestamp" }),
      )
      expect(build({ attachments: [pkg.attachments[0], pkg.attachments[0]] })).toThrow(
        expect.objectContaining({ code: "CIVICASE_E_EDXML_INVALID_VALUE", path: "/edXML/edXMLEnvelope/edXMLBody/edXMLManifest/Reference[2]/ContentId" }),
      )
      expect(build({ attachments: [{ ...pkg.attachments[0], content: "not bytes" }] })).toThrow(expect.objectContaining({ code: "CIVICASE_E_EDXML_INVALID_VALUE" }))
    })

    it("never takes a value from an object's prototype", async () => {
      const pkg = await base()
      const inherited = Object.create({ organId: "000.00.14.H62" }) as object
      Object.assign(inherited, { organName: "Sở" })
      expect(() => buildEdxmlPackage({ ...pkg, from: inherited } as EdxmlPackage)).toThrow(expect.objectContaining({ code: "CIVICASE_E_EDXML_MISSING_ELEMENT", path: `${MH}/From/OrganId` }))
      const fromJson = JSON.parse('{"__proto__": {"organId": "000.00.14.H62"}, "organName": "Sở"}') as object
      expect(() => buildEdxmlPackage({ ...pkg, from: fromJson } as EdxmlPackage)).toThrow(expect.objectContaining({ path: `${MH}/From/OrganId` }))
    })

    it("refuses a status name it does not know, looked up safely", () => {
      const packet = {
        responseFor: { organId: "000.00.14.H62", code: "45/QĐ-XPHC", promulgationDate: "2025-03-05", documentId: "d" },
        from: { organId: "000.00.21.H62", organName: "UBND huyện" },
        timestamp: new Date("2025-03-05T04:00:00Z"),
      }
      for (const status of ["constructor", "__proto__", "toString", "closed"]) {
        expect(() => buildEdxmlStatus({ ...packet, status } as unknown as EdxmlStatusPacket)).toThrow(
          expect.objectContaining({ code: "CIVICASE_E_EDXML_INVALID_VALUE", path: "/edXML/edXMLEnvelope/edXMLHeader/Status/StatusCode" }),
        )
      }
    })

    it("writes line ends as XML reads them, so \\r\\n and \\r come back as \\n", async () => {
      const pkg = await base()
      const back = await parseEdxmlPackage(buildEdxmlPackage({ ...pkg, content: "Dòng 1\r\nDòng 2\rDòng 3" }))
      expect(back.content).toBe("Dòng 1\nDòng 2\nDòng 3")
    })
  })

  it("every refusal is a registered civicase error with the registry's status", async () => {
    const e = await refusedAt(edit("<edXML:Priority>0<", "<edXML:Priority>7<"), "CIVICASE_E_EDXML_INVALID_VALUE", `${MH}/OtherInfo/Priority`)
    expect(isCivicaseError(e)).toBe(true)
    expect(e.status).toBe(400)
    expect(e.message).toBe(`${MH}/OtherInfo/Priority: ${e.reason}`)
    for (const code of edxmlErrorCodes) expect(errorCodes[code].status).toBeGreaterThanOrEqual(400)
    expect(defaultEdxmlLimits.maxBytes).toBe(32 * 1024 * 1024)
  })
})
