import { EdxmlError } from "./errors.js"
import { type EdxmlLimits, resolveLimits } from "./limits.js"
import type { EdxmlPackage } from "./model.js"
import { readPackage } from "./package-reader.js"
import { type EdxmlVerifier, hasSignature } from "./signature.js"
import { type EdxmlStatusPacket, readStatus } from "./status-packet.js"
import { type ElementReader, parseXmlDocument } from "./xml-reader.js"

/**
 * Options of the parsers.
 *
 * @example
 * const options: EdxmlParseOptions = { verifier: xmlDsigVerifier({ publicKeys: [key] }), limits: { maxAttachments: 10 } }
 */
export interface EdxmlParseOptions {
  /** Overrides of `defaultEdxmlLimits`. */
  readonly limits?: Partial<EdxmlLimits>
  /** Checks the signature when the package has one. */
  readonly verifier?: EdxmlVerifier
  /** Refuse unsigned packages; true by default when a `verifier` is given. Requiring a signature without a verifier is a programming error. */
  readonly requireSignature?: boolean
}

interface Opened {
  readonly root: ElementReader
  readonly envelope: ElementReader
  readonly header: ElementReader
}

/** Limits, well-formedness, the envelope, then the signature: nothing of the content is read before the package is trusted. */
async function open(input: string | Uint8Array, options: EdxmlParseOptions): Promise<Opened> {
  const requireSignature = options.requireSignature ?? options.verifier !== undefined
  if (requireSignature && !options.verifier) throw new TypeError("requireSignature needs a verifier")
  const { xml, root } = parseXmlDocument(input, resolveLimits(options.limits))
  const envelope = root.require("edXMLEnvelope")
  const header = envelope.require("edXMLHeader")
  const signed = hasSignature(header)
  if (!signed && requireSignature) throw new EdxmlError("CIVICASE_E_EDXML_SIGNATURE", `${header.path}/Signature`, "a signature is required and the package has none")
  if (signed && options.verifier) await options.verifier.verify(xml)
  return { root, envelope, header }
}

/**
 * Reads an edXML package: refuses it, with an `EdxmlError` naming the
 * element, when it is malformed, over a limit, missing a required element,
 * holds a bad date or code, or (with a verifier) is unsigned or badly signed.
 *
 * @example
 * const pkg = await parseEdxmlPackage(readFileSync("incoming.edxml"), { verifier: xmlDsigVerifier({ publicKeys: [senderKey] }) })
 * pkg.from.organId   // "000.00.00.G22"
 * pkg.attachments[0] // { contentId, name, contentType, content: Uint8Array }
 */
export async function parseEdxmlPackage(input: string | Uint8Array, options: EdxmlParseOptions = {}): Promise<EdxmlPackage> {
  const { root, envelope, header } = await open(input, options)
  return readPackage(root, envelope, header)
}

/**
 * Reads a status packet, with the same checks as {@link parseEdxmlPackage}.
 *
 * @example
 * const { status, responseFor } = await parseEdxmlStatus(xml)
 * if (status === "rejection") console.log(`${responseFor.documentId} was refused`)
 */
export async function parseEdxmlStatus(input: string | Uint8Array, options: EdxmlParseOptions = {}): Promise<EdxmlStatusPacket> {
  const { header } = await open(input, options)
  return readStatus(header)
}

/**
 * A parsed document: a package, or a status packet.
 *
 * @example
 * const doc: ParsedEdxml = await parseEdxml(xml)
 */
export type ParsedEdxml = { readonly kind: "package"; readonly package: EdxmlPackage } | { readonly kind: "status"; readonly status: EdxmlStatusPacket }

/**
 * Reads either kind of document, telling them apart by what `edXMLHeader`
 * holds (`MessageHeader` or `Status`): for a poller that receives both.
 *
 * @example
 * const doc = await parseEdxml(xml, { verifier })
 * if (doc.kind === "status") record(doc.status)
 * else open(doc.package)
 */
export async function parseEdxml(input: string | Uint8Array, options: EdxmlParseOptions = {}): Promise<ParsedEdxml> {
  const { root, envelope, header } = await open(input, options)
  const isStatus = header.one("Status") !== undefined
  if (isStatus && header.one("MessageHeader")) throw new EdxmlError("CIVICASE_E_EDXML_INVALID_VALUE", `${header.path}/Status`, "a document is a package (MessageHeader) or a status packet (Status), not both")
  return isStatus ? { kind: "status", status: readStatus(header) } : { kind: "package", package: readPackage(root, envelope, header) }
}

/**
 * Checks a document's signature without reading its content: the checks of
 * the parsers up to and including the signature, which must be present.
 *
 * @example
 * await verifyEdxml(xml, xmlDsigVerifier({ publicKeys: [senderKey] })) // throws EdxmlError when not signed or not valid
 */
export async function verifyEdxml(input: string | Uint8Array, verifier: EdxmlVerifier, options: { limits?: Partial<EdxmlLimits> } = {}): Promise<void> {
  await open(input, { ...options, verifier, requireSignature: true })
}
