import { date, enumeration, integer, organId, requiredText, text, timestamp } from "./codecs.js"
import { group } from "./fields.js"
import type { EdxmlBusinessDocType } from "./model.js"

// Each group lists its elements in the order the standard's packages write them.

/** `From`, `To` and a status packet's `From`. */
export const organizationFields = group([
  ["organId", "OrganId", organId, true],
  ["organizationInCharge", "OrganizationInCharge", text],
  ["organName", "OrganName", requiredText, true],
  ["address", "OrganAdd", text],
  ["email", "Email", text],
  ["telephone", "Telephone", text],
  ["fax", "Fax", text],
  ["website", "Website", text],
])

/** `Code`. */
export const codeFields = group([
  ["codeNumber", "CodeNumber", requiredText, true],
  ["codeNotation", "CodeNotation", requiredText, true],
])

/** `PromulgationInfo`. */
export const promulgationFields = group([
  ["place", "Place", requiredText, true],
  ["promulgationDate", "PromulgationDate", date, true],
])

/** `DocumentType`. */
export const documentTypeFields = group([
  ["type", "Type", integer(0, 9999), true],
  ["typeDetail", "TypeDetail", integer(0, 9999)],
  ["typeName", "TypeName", requiredText, true],
])

/** `SignerInfo`. */
export const signerFields = group([
  ["competence", "Competence", text],
  ["position", "Position", text],
  ["fullName", "FullName", requiredText, true],
])

/** `OtherInfo`, without its `Appendixes` list. */
export const otherInfoFields = group([
  ["priority", "Priority", integer(0, 4)],
  ["sphereOfPromulgation", "SphereOfPromulgation", text],
  ["typerNotation", "TyperNotation", text],
  ["promulgationAmount", "PromulgationAmount", integer(0, 1_000_000)],
  ["pageAmount", "PageAmount", integer(0, 1_000_000)],
])

/** `ResponseFor`, in a `MessageHeader` or a status packet. */
export const responseForFields = group([
  ["organId", "OrganId", organId, true],
  ["code", "Code", requiredText, true],
  ["promulgationDate", "PromulgationDate", date, true],
  ["documentId", "DocumentId", requiredText, true],
])

/** `StaffInfo`, in `Bussiness` and in status packets. */
export const staffFields = group([
  ["department", "Department", text],
  ["staff", "Staff", text],
  ["mobile", "Mobile", text],
  ["email", "Email", text],
])

/** `TraceHeader`. */
export const traceHeaderFields = group([
  ["organId", "OrganId", organId, true],
  ["timestamp", "Timestamp", timestamp, true],
])

/** `BussinessDocType`: 0 new, 1 recall, 2 update, 3 replacement. */
export const businessDocType = enumeration<EdxmlBusinessDocType>(
  [
    ["new", "0"],
    ["revoke", "1"],
    ["update", "2"],
    ["replace", "3"],
  ],
  "a business document type",
)

/** The leading leaves of `Bussiness`; `StaffInfo`, `Paper` and `ReplacementInfoList` follow. */
export const businessFields = group([
  ["docType", "BussinessDocType", businessDocType, true],
  ["reason", "BussinessDocReason", text],
  ["documentId", "DocumentId", requiredText],
])

/** `Paper`: 1 when a paper copy is also sent. */
export const paper = enumeration<boolean>(
  [
    [false, "0"],
    [true, "1"],
  ],
  "a boolean",
)
