import { type ErrorCode, errorCodes } from "@civicase/core"

/**
 * The registered codes an edXML package can be refused with (listed in
 * `docs/errors.md` with the rest of the registry).
 *
 * @example
 * edxmlErrorCodes.includes(e.code) // true for any EdxmlError
 */
export const edxmlErrorCodes = [
  "CIVICASE_E_EDXML_MALFORMED",
  "CIVICASE_E_EDXML_TOO_LARGE",
  "CIVICASE_E_EDXML_MISSING_ELEMENT",
  "CIVICASE_E_EDXML_INVALID_VALUE",
  "CIVICASE_E_EDXML_SIGNATURE",
] as const satisfies ReadonlyArray<ErrorCode>

/**
 * Why an edXML package was refused:
 * - `CIVICASE_E_EDXML_MALFORMED`: not well-formed UTF-8 XML, a DTD, or not an edXML document at all;
 * - `CIVICASE_E_EDXML_TOO_LARGE`: over a byte, depth, element, text or attachment limit;
 * - `CIVICASE_E_EDXML_MISSING_ELEMENT`: a required element is absent (or a singular one repeated);
 * - `CIVICASE_E_EDXML_INVALID_VALUE`: a date, code, number, base64 content or reference is wrong;
 * - `CIVICASE_E_EDXML_SIGNATURE`: unsigned when a signature is required, or the signature does not verify.
 *
 * @example
 * const code: EdxmlErrorCode = "CIVICASE_E_EDXML_SIGNATURE"
 */
export type EdxmlErrorCode = (typeof edxmlErrorCodes)[number]

// The brand `isCivicaseError` recognises (a registered symbol, so it holds across copies of the library).
const civicaseBrand = Symbol.for("@civicase/core/CivicaseError")

/**
 * A refused edXML package (or a model that cannot become one). `path` names
 * the element, as an XPath over the document: `/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/From/OrganId`,
 * with `[n]` (from 1) on repeated elements. It is a civicase error:
 * `isCivicaseError(e)` is true and `e.status` is the registry's HTTP status.
 *
 * @example
 * try { await parseEdxmlPackage(xml) }
 * catch (e) {
 *   if (e instanceof EdxmlError && e.code === "CIVICASE_E_EDXML_MISSING_ELEMENT") console.log(e.path)
 * }
 */
export class EdxmlError extends Error {
  readonly _tag = "EdxmlError" as const
  readonly [civicaseBrand] = true
  constructor(
    readonly code: EdxmlErrorCode,
    /** The element (or attribute, after `/@`) at fault; `/` for the document as a whole. */
    readonly path: string,
    /** What is wrong, without the path. */
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`)
  }
  override get name(): string {
    return "EdxmlError"
  }
  /** The HTTP status the registry gives this code (400, 413 or 422). */
  get status(): number {
    return errorCodes[this.code].status
  }
}
