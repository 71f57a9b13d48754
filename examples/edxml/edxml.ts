/**
 * An edXML package end to end: a department sends its approved plan to the
 * coordinator, signed; the coordinator verifies and reads it, then answers
 * with a status packet. Run it from the built package with
 * `npm run build && npx tsx examples/edxml/edxml.ts`. docs/edxml.md shows the
 * same lines, and `edxml.test.ts` runs them and checks the page still matches.
 */
import { generateKeyPairSync } from "node:crypto"
import { pathToFileURL } from "node:url"
import {
  type EdxmlPackage,
  buildEdxmlPackage,
  buildEdxmlStatus,
  edxmlDocumentId,
  parseEdxml,
  parseEdxmlPackage,
  signEdxml,
  vietnamDate,
  xmlDsigSigner,
  xmlDsigVerifier,
} from "@civicase/adapters/edxml"

/**
 * The docs/edxml.md example; returns what it observed so a test can check it.
 *
 * @example
 * const { documentId, status } = await main()
 */
export async function main() {
  const now = new Date()
  // The sender's key; in production it lives in a token or HSM behind an EdxmlSigner.
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 })
  const department = { organId: "000.00.09.H62", organName: "Sở Nội vụ tỉnh Vĩnh Phúc" }
  const coordinator = { organId: "000.00.14.H62", organName: "Sở Thông tin và Truyền thông tỉnh Vĩnh Phúc" }
  const code = { codeNumber: "12", codeNotation: "KH-SNV" }
  const promulgationDate = vietnamDate(now)
  const plan: EdxmlPackage = {
    from: department,
    to: [coordinator],
    documentId: edxmlDocumentId({ organId: department.organId, promulgationDate, ...code }),
    code,
    promulgationInfo: { place: "Vĩnh Phúc", promulgationDate },
    documentType: { type: 1, typeName: "Kế hoạch" },
    subject: "Kế hoạch thông tin đối ngoại năm 2025",
    signerInfo: { competence: "KT. Giám đốc", position: "Phó Giám đốc", fullName: "Lê Thị Hồng Nhung" },
    traceHeaders: [{ organId: department.organId, timestamp: now }],
    attachments: [{ contentId: "kh-12", name: "12-KH-SNV.pdf", contentType: "application/pdf", content: new TextEncoder().encode("%PDF-1.4 …") }],
  }
  const signed = await signEdxml(buildEdxmlPackage(plan), xmlDsigSigner({ privateKey }))

  // The coordinator trusts the department's key and refuses anything unsigned or altered.
  const received = await parseEdxmlPackage(signed, { verifier: xmlDsigVerifier({ publicKeys: [publicKey] }) })
  console.log(received.documentId, received.subject, received.attachments[0]?.name)

  const ack = buildEdxmlStatus({
    responseFor: { organId: received.from.organId, code: `${received.code.codeNumber}/${received.code.codeNotation}`, promulgationDate, documentId: received.documentId },
    from: coordinator,
    status: "acceptance",
    description: "Đã tiếp nhận kế hoạch",
    timestamp: now,
  })
  const reply = await parseEdxml(ack)
  if (reply.kind === "status") console.log(reply.status.status, reply.status.responseFor.documentId) // acceptance 000.00.09.H62,…,12/KH-SNV
  return { signed, documentId: received.documentId, attachment: received.attachments[0]?.name, reply }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main()
