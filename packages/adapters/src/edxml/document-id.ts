import { writeEdxmlDate, type EdxmlDate } from "./dates.js"
import { organId } from "./codecs.js"
import { defaultEdxmlLimits } from "./limits.js"

/**
 * The conventional `DocumentId` of a document, as the platforms build it:
 * `OrganId,yyyy/MM/dd,CodeNumber/CodeNotation` (agency, promulgation date,
 * number and notation). The parsers do not require this form, since senders
 * differ; civicase uses it for what it sends.
 *
 * @example
 * edxmlDocumentId({ organId: "000.00.00.G22", promulgationDate: "2015-09-30", codeNumber: "7816", codeNotation: "VPCP-TTĐT" })
 * // "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
 */
export function edxmlDocumentId(parts: { organId: string; promulgationDate: EdxmlDate; codeNumber: string; codeNotation: string }): string {
  const id = organId.write(parts.organId, "organId", defaultEdxmlLimits)
  return `${id},${writeEdxmlDate(parts.promulgationDate, "promulgationDate")},${parts.codeNumber}/${parts.codeNotation}`
}
