/**
 * @civicase/adapters/edxml: edXML packages (QCVN 102:2016/BTTTT, amended by
 * Thông tư 01/2022/TT-BTTTT), the form in which Vietnamese agencies exchange
 * official documents over the national document-exchange platform and the
 * provinces' LGSPs. It builds and parses packages and status packets, signs
 * and verifies them; it knows nothing of cases or the engine.
 *
 * It is a subpath of its own, so `@civicase/adapters` alone loads no XML
 * library. See docs/edxml.md.
 *
 * @example
 * import { buildEdxmlPackage, parseEdxmlPackage, signEdxml, xmlDsigSigner, xmlDsigVerifier } from "@civicase/adapters/edxml"
 * const signed = await signEdxml(buildEdxmlPackage(pkg), xmlDsigSigner({ privateKey }))
 * const back = await parseEdxmlPackage(signed, { verifier: xmlDsigVerifier({ publicKeys: [publicKey] }) })
 *
 * @packageDocumentation
 */
export type {
  EdxmlAttachment,
  EdxmlBusiness,
  EdxmlBusinessDocType,
  EdxmlCode,
  EdxmlDocumentType,
  EdxmlOrganization,
  EdxmlOtherInfo,
  EdxmlPackage,
  EdxmlPriority,
  EdxmlPromulgationInfo,
  EdxmlReplacementInfo,
  EdxmlResponseFor,
  EdxmlSignerInfo,
  EdxmlStaffInfo,
  EdxmlSteeringType,
  EdxmlTraceHeader,
} from "./model.js"
export { type EdxmlDate, vietnamDate } from "./dates.js"
export { EdxmlError, type EdxmlErrorCode, edxmlErrorCodes } from "./errors.js"
export { type EdxmlLimits, defaultEdxmlLimits } from "./limits.js"
export { EDXML_NAMESPACE } from "./namespaces.js"
export { type EdxmlBuildOptions, buildEdxmlPackage } from "./package-builder.js"
export { type EdxmlStatusPacket, buildEdxmlStatus } from "./status-packet.js"
export { type EdxmlStatus, type EdxmlStatusDefinition, edxmlStatusFromCode, edxmlStatuses } from "./status-codes.js"
export { type EdxmlParseOptions, type ParsedEdxml, parseEdxml, parseEdxmlPackage, parseEdxmlStatus, verifyEdxml } from "./parse.js"
export {
  type EdxmlSigner,
  type EdxmlVerifier,
  type XmlDsigSignerOptions,
  type XmlDsigVerifierOptions,
  signEdxml,
  xmlDsigSigner,
  xmlDsigVerifier,
} from "./signature.js"
export { edxmlDocumentId } from "./document-id.js"
