import { requiredText, text, timestamp } from "./codecs.js"
import { EdxmlError } from "./errors.js"
import { own, readGroup, requireObject, writeGroup } from "./fields.js"
import { organizationFields, responseForFields, staffFields } from "./header-fields.js"
import { resolveLimits } from "./limits.js"
import type { EdxmlOrganization, EdxmlResponseFor, EdxmlStaffInfo } from "./model.js"
import type { EdxmlBuildOptions } from "./package-builder.js"
import { type EdxmlStatus, edxmlStatusDefinition, edxmlStatusFromCode, edxmlStatuses } from "./status-codes.js"
import type { ElementReader } from "./xml-reader.js"
import { ElementWriter } from "./xml-writer.js"

/**
 * A status packet (gói tin trạng thái): the receiver of a package tells its
 * sender what became of it. In the document: `edXML` › `edXMLEnvelope` ›
 * `edXMLHeader` › `Status` with `ResponseFor`, `From`, `StatusCode`,
 * `Description`, `Timestamp`, `StaffInfo`.
 *
 * @example
 * const ack: EdxmlStatusPacket = {
 *   responseFor: { organId: "000.00.14.H62", code: "12/KH-STTTT", promulgationDate: "2025-01-10", documentId: "000.00.14.H62,2025/01/10,12/KH-STTTT" },
 *   from: { organId: "000.00.00.H62", organName: "Ủy ban nhân dân tỉnh Vĩnh Phúc" },
 *   status: "acceptance",
 *   description: "Văn thư đã tiếp nhận",
 *   timestamp: new Date("2025-01-10T04:00:00Z"),
 * }
 */
export interface EdxmlStatusPacket {
  /** `ResponseFor`: the package this status is about. */
  readonly responseFor: EdxmlResponseFor
  /** `From`: the agency reporting. */
  readonly from: EdxmlOrganization
  /** `StatusCode`, as a status name (see `edxmlStatuses` for the codes). */
  readonly status: EdxmlStatus
  /** `Description`, mô tả trạng thái (e.g. the reason for a rejection). */
  readonly description?: string
  /** `Timestamp`, written `yyyy/MM/dd HH:mm:ss` in Vietnam time; whole seconds. */
  readonly timestamp: Date
  /** `StaffInfo`, cán bộ cập nhật trạng thái. */
  readonly staffInfo?: EdxmlStaffInfo
}

/**
 * Writes a status packet. Unsigned, like `buildEdxmlPackage`; `signEdxml`
 * signs it the same way.
 *
 * @example
 * const xml = buildEdxmlStatus({ responseFor, from: province, status: "done", timestamp: new Date() })
 */
export function buildEdxmlStatus(packet: EdxmlStatusPacket, options: EdxmlBuildOptions = {}): string {
  const root = ElementWriter.document(resolveLimits(options.limits))
  requireObject(packet, root.path)
  const status = root.child("edXMLEnvelope", { prefixed: true }).child("edXMLHeader").child("Status")
  writeGroup(status.child("ResponseFor"), own(packet, "responseFor"), responseForFields)
  writeGroup(status.child("From"), own(packet, "from"), organizationFields)
  const name = own(packet, "status")
  const def = edxmlStatusDefinition(name)
  if (!def) {
    throw new EdxmlError("CIVICASE_E_EDXML_INVALID_VALUE", `${status.path}/StatusCode`, `unknown status ${JSON.stringify(name)}; one of ${Object.keys(edxmlStatuses).join(", ")}`)
  }
  status.text("StatusCode", def.code)
  const description = own(packet, "description")
  if (description !== undefined) status.text("Description", text.write(description, `${status.path}/Description`, status.limits))
  status.text("Timestamp", timestamp.write(own(packet, "timestamp"), `${status.path}/Timestamp`, status.limits))
  const staff = own(packet, "staffInfo")
  if (staff !== undefined) writeGroup(status.child("StaffInfo"), staff, staffFields)
  return root.serialize()
}

/** Reads a status packet's model from its parsed `edXMLHeader` (`parseEdxmlStatus` opens and verifies first). */
export function readStatus(header: ElementReader): EdxmlStatusPacket {
  const s = header.require("Status")
  const codeEl = s.require("StatusCode")
  const code = requiredText.read(codeEl.text(), codeEl.path, codeEl.limits).trim()
  const status = edxmlStatusFromCode(code)
  if (!status) throw new EdxmlError("CIVICASE_E_EDXML_INVALID_VALUE", codeEl.path, `unknown status code ${JSON.stringify(code)}`)
  const desc = s.one("Description")
  const ts = s.require("Timestamp")
  const staff = s.one("StaffInfo")
  return {
    responseFor: readGroup(s.require("ResponseFor"), responseForFields),
    from: readGroup(s.require("From"), organizationFields),
    status,
    ...(desc ? { description: text.read(desc.text(), desc.path, desc.limits) } : {}),
    timestamp: timestamp.read(ts.text(), ts.path, ts.limits),
    ...(staff ? { staffInfo: readGroup<EdxmlStaffInfo>(staff, staffFields) } : {}),
  }
}
