import { generateKeyPairSync } from "node:crypto"
import { readFileSync } from "node:fs"
import { SignedXml } from "xml-crypto"
import { describe, expect, it } from "vitest"
import {
  EdxmlError,
  buildEdxmlPackage,
  buildEdxmlStatus,
  parseEdxml,
  parseEdxmlPackage,
  parseEdxmlStatus,
  signEdxml,
  verifyEdxml,
  xmlDsigSigner,
  xmlDsigVerifier,
} from "@civicase/adapters/edxml"

const fixture = (name: string) => readFileSync(new URL(`./fixtures/edxml/${name}`, import.meta.url), "utf8")
const keys = () => generateKeyPairSync("rsa", { modulusLength: 2048 })
const sender = keys()
const stranger = keys()
const verifier = xmlDsigVerifier({ publicKeys: [sender.publicKey] })
const SIGNATURE_PATH = "/edXML/edXMLEnvelope/edXMLHeader/Signature"

const refused = (reason: RegExp) => ({ code: "CIVICASE_E_EDXML_SIGNATURE", path: SIGNATURE_PATH, reason: expect.stringMatching(reason) })

async function signedPlan(): Promise<{ unsigned: string; signed: string }> {
  const unsigned = buildEdxmlPackage(await parseEdxmlPackage(fixture("plan-approved.xml")))
  return { unsigned, signed: await signEdxml(unsigned, xmlDsigSigner({ privateKey: sender.privateKey })) }
}

describe("edXML signatures (XML-DSig, enveloped, RSA-SHA256)", () => {
  it("signs the whole package in edXMLHeader, and the signed package parses to the same model when verified", async () => {
    const { unsigned, signed } = await signedPlan()
    expect(signed.match(/<Signature xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#">/g)).toHaveLength(1)
    expect(signed.indexOf("<Signature")).toBeGreaterThan(signed.indexOf("</edXML:TraceHeaderList>"))
    expect(signed.indexOf("<Signature")).toBeLessThan(signed.indexOf("</edXML:edXMLHeader>"))
    expect(signed).toContain('<Reference URI="">')
    expect(signed).toContain('Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"')
    expect(await parseEdxmlPackage(signed, { verifier })).toEqual(await parseEdxmlPackage(unsigned))
    await expect(verifyEdxml(signed, verifier)).resolves.toBeUndefined()
  })

  it("refuses a package changed after signing: in the header, in an attachment outside the envelope, or with an attachment removed", async () => {
    const { signed } = await signedPlan()
    const tampered = [
      signed.replace("Lê Thị Hồng Nhung", "Lê Thị Hồng Nhụng"),
      signed.replace("<edXML:Priority>0</edXML:Priority>", "<edXML:Priority>3</edXML:Priority>"),
      signed.replace("JVBERi0xLjQK", "JVBERi0xLjUK"),
      signed.replace(/<Attachment><ContentId>phu-luc-1[\s\S]*?<\/Attachment>/, ""),
    ]
    for (const xml of tampered) {
      expect(xml).not.toBe(signed)
      await expect(parseEdxmlPackage(xml, { verifier })).rejects.toMatchObject(refused(/not valid/))
    }
  })

  it("refuses a signature by a key it does not trust, and accepts any of several trusted keys (rotation)", async () => {
    const { unsigned } = await signedPlan()
    const byStranger = await signEdxml(unsigned, xmlDsigSigner({ privateKey: stranger.privateKey }))
    await expect(parseEdxmlPackage(byStranger, { verifier })).rejects.toMatchObject(refused(/not valid/))
    const rotating = xmlDsigVerifier({ publicKeys: [sender.publicKey, stranger.publicKey] })
    await expect(parseEdxmlPackage(byStranger, { verifier: rotating })).resolves.toMatchObject({ documentId: "000.00.09.H62,2025/01/10,12/KH-SNV" })
  })

  it("refuses an unsigned package when a signature is required, and reads it when none is", async () => {
    const { unsigned } = await signedPlan()
    await expect(parseEdxmlPackage(unsigned, { verifier })).rejects.toMatchObject(refused(/required/))
    await expect(verifyEdxml(unsigned, verifier)).rejects.toMatchObject(refused(/required/))
    await expect(parseEdxmlPackage(unsigned, { verifier, requireSignature: false })).resolves.toMatchObject({ subject: expect.stringContaining("Kế hoạch") })
    await expect(parseEdxmlPackage(unsigned)).resolves.toMatchObject({ subject: expect.stringContaining("Kế hoạch") })
    await expect(parseEdxmlPackage(unsigned, { requireSignature: true })).rejects.toThrow(TypeError)
  })

  it("refuses a second signature, and a signature outside edXMLHeader (signature wrapping)", async () => {
    const { signed } = await signedPlan()
    const signature = /<Signature [\s\S]*<\/Signature>/.exec(signed)![0]
    const twice = signed.replace("</edXML:edXMLBody>", `${signature}</edXML:edXMLBody>`)
    await expect(parseEdxmlPackage(twice, { verifier })).rejects.toMatchObject(refused(/2 signatures/))
    const moved = signed.replace(signature, "").replace("</edXML>", `${signature}</edXML>`)
    // Moved out of the header, the header holds none: the package reads as unsigned.
    await expect(parseEdxmlPackage(moved, { verifier })).rejects.toMatchObject(refused(/required/))
    await expect(xmlDsigVerifier({ publicKeys: [sender.publicKey] }).verify(moved)).rejects.toMatchObject(refused(/child of edXMLHeader/))
  })

  it("refuses a valid signature that covers only part of the document", async () => {
    const { unsigned } = await signedPlan()
    const partial = new SignedXml({ privateKey: sender.privateKey, signatureAlgorithm: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", canonicalizationAlgorithm: "http://www.w3.org/2001/10/xml-exc-c14n#" })
    partial.addReference({
      xpath: "//*[local-name()='MessageHeader']",
      transforms: ["http://www.w3.org/2001/10/xml-exc-c14n#"],
      digestAlgorithm: "http://www.w3.org/2001/04/xmlenc#sha256",
    })
    partial.computeSignature(unsigned, { location: { reference: "//*[local-name()='edXMLHeader']", action: "append" } })
    const xml = partial.getSignedXml()
    // The attachments are outside what was signed: swapping one must not pass as signed.
    const swapped = xml.replace("JVBERi0xLjQK", "JVBERi0xLjUK")
    await expect(parseEdxmlPackage(swapped, { verifier })).rejects.toMatchObject(refused(/whole document/))
  })

  it("refuses RSA-SHA1, which the verifier does not accept", async () => {
    const { unsigned } = await signedPlan()
    const sha1 = new SignedXml({ privateKey: sender.privateKey, signatureAlgorithm: "http://www.w3.org/2000/09/xmldsig#rsa-sha1", canonicalizationAlgorithm: "http://www.w3.org/2001/10/xml-exc-c14n#" })
    sha1.addReference({ xpath: "/*", isEmptyUri: true, transforms: ["http://www.w3.org/2000/09/xmldsig#enveloped-signature", "http://www.w3.org/2001/10/xml-exc-c14n#"], digestAlgorithm: "http://www.w3.org/2000/09/xmldsig#sha1" })
    sha1.computeSignature(unsigned, { location: { reference: "//*[local-name()='edXMLHeader']", action: "append" } })
    await expect(parseEdxmlPackage(sha1.getSignedXml(), { verifier })).rejects.toMatchObject(refused(/rsa-sha1 is not accepted/))
  })

  it("signs with RSA-SHA512 on request, and verifies it", async () => {
    const { unsigned } = await signedPlan()
    const signed = await signEdxml(unsigned, xmlDsigSigner({ privateKey: sender.privateKey, algorithm: "rsa-sha512" }))
    expect(signed).toContain("xmldsig-more#rsa-sha512")
    await expect(verifyEdxml(signed, verifier)).resolves.toBeUndefined()
  })

  it("will not sign a package twice", async () => {
    const { signed } = await signedPlan()
    await expect(signEdxml(signed, xmlDsigSigner({ privateKey: sender.privateKey }))).rejects.toMatchObject(refused(/already signed/))
  })

  it("signs and verifies status packets the same way, and refuses a tampered one", async () => {
    const status = await parseEdxmlStatus(fixture("status-rejection.xml"))
    const signed = await signEdxml(buildEdxmlStatus(status), xmlDsigSigner({ privateKey: sender.privateKey }))
    expect(await parseEdxmlStatus(signed, { verifier })).toEqual(status)
    expect(await parseEdxml(signed, { verifier })).toEqual({ kind: "status", status })
    await expect(parseEdxmlStatus(signed.replace("<edXML:StatusCode>02<", "<edXML:StatusCode>06<"), { verifier })).rejects.toBeInstanceOf(EdxmlError)
  })

  it("takes any signer through the EdxmlSigner interface", async () => {
    const { unsigned } = await signedPlan()
    const seen: string[] = []
    const inner = xmlDsigSigner({ privateKey: sender.privateKey })
    const remote = { sign: async (xml: string) => (seen.push(xml), inner.sign(xml)) }
    const signed = await signEdxml(unsigned, remote)
    expect(seen).toEqual([unsigned])
    await expect(verifyEdxml(signed, verifier)).resolves.toBeUndefined()
  })
})
