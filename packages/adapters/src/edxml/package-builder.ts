import { writeAttachments } from "./attachments.js"
import { date, integer, organId, requiredText, text } from "./codecs.js"
import { EdxmlError } from "./errors.js"
import { type Field, own, requireArray, requireObject, writeGroup } from "./fields.js"
import {
  businessFields,
  codeFields,
  documentTypeFields,
  organizationFields,
  otherInfoFields,
  paper,
  promulgationFields,
  responseForFields,
  signerFields,
  staffFields,
  traceHeaderFields,
} from "./header-fields.js"
import { type EdxmlLimits, resolveLimits } from "./limits.js"
import type { EdxmlPackage } from "./model.js"
import { ElementWriter } from "./xml-writer.js"

/**
 * Options of {@link buildEdxmlPackage} and `buildEdxmlStatus`.
 *
 * @example
 * buildEdxmlPackage(pkg, { limits: { maxAttachments: 5 } })
 */
export interface EdxmlBuildOptions {
  /** The same limits a receiver applies: civicase refuses to write what it would refuse to read. */
  readonly limits?: Partial<EdxmlLimits>
}

const steeringType = integer(0, 2)

function writeGroupAt(parent: ElementWriter, name: string, value: unknown, fields: ReadonlyArray<Field>, index?: number): ElementWriter {
  const el = parent.child(name, index === undefined ? {} : { index })
  writeGroup(el, value, fields)
  return el
}

function writeOptionalGroup(parent: ElementWriter, name: string, value: unknown, fields: ReadonlyArray<Field>): ElementWriter | undefined {
  return value === undefined ? undefined : writeGroupAt(parent, name, value, fields)
}

/** A wrapper of repeated text (`ToPlaces/Place`, `Appendixes/Appendix`); written even when empty, so `[]` reads back as `[]`. */
function writeTextList(parent: ElementWriter, wrapper: string, item: string, value: unknown, required = false): void {
  if (value === undefined) return
  const el = parent.child(wrapper)
  requireArray(value, `${el.path}/${item}`).forEach((v, i) => {
    const path = `${el.path}/${item}[${i + 1}]`
    el.text(item, (required ? requiredText : text).write(v, path, el.limits), { index: i + 1 })
  })
}

function writeMessageHeader(header: ElementWriter, pkg: object): void {
  const mh = header.child("MessageHeader")
  writeGroupAt(mh, "From", own(pkg, "from"), organizationFields)
  const to = requireArray(own(pkg, "to"), `${mh.path}/To`)
  if (to.length === 0) throw new EdxmlError("CIVICASE_E_EDXML_MISSING_ELEMENT", `${mh.path}/To`, "at least one recipient is required")
  to.forEach((org, i) => writeGroupAt(mh, "To", org, organizationFields, i + 1))
  writeGroupAt(mh, "Code", own(pkg, "code"), codeFields)
  writeGroupAt(mh, "PromulgationInfo", own(pkg, "promulgationInfo"), promulgationFields)
  writeGroupAt(mh, "DocumentType", own(pkg, "documentType"), documentTypeFields)
  mh.text("Subject", requiredText.write(own(pkg, "subject"), `${mh.path}/Subject`, mh.limits))
  const content = own(pkg, "content")
  if (content !== undefined) mh.text("Content", text.write(content, `${mh.path}/Content`, mh.limits))
  writeGroupAt(mh, "SignerInfo", own(pkg, "signerInfo"), signerFields)
  const due = own(pkg, "dueDate")
  if (due !== undefined) mh.text("DueDate", date.write(due, `${mh.path}/DueDate`, mh.limits))
  writeTextList(mh, "ToPlaces", "Place", own(pkg, "toPlaces"), true)
  const other = own(pkg, "otherInfo")
  const otherEl = writeOptionalGroup(mh, "OtherInfo", other, otherInfoFields)
  if (otherEl) writeTextList(otherEl, "Appendixes", "Appendix", own(other, "appendixes"))
  const responseFor = own(pkg, "responseFor")
  if (responseFor !== undefined) requireArray(responseFor, `${mh.path}/ResponseFor`).forEach((r, i) => writeGroupAt(mh, "ResponseFor", r, responseForFields, i + 1))
  const steering = own(pkg, "steeringType")
  if (steering !== undefined) mh.text("SteeringType", steeringType.write(steering, `${mh.path}/SteeringType`, mh.limits))
  mh.text("DocumentId", requiredText.write(own(pkg, "documentId"), `${mh.path}/DocumentId`, mh.limits))
}

function writeTraceHeaderList(header: ElementWriter, pkg: object): void {
  const traces = requireArray(own(pkg, "traceHeaders"), `${header.path}/TraceHeaderList/TraceHeader`)
  const business = own(pkg, "business")
  if (traces.length === 0 && business === undefined) return
  const list = header.child("TraceHeaderList")
  traces.forEach((t, i) => writeGroupAt(list, "TraceHeader", t, traceHeaderFields, i + 1))
  if (business === undefined) return
  const b = writeGroupAt(list, "Bussiness", business, businessFields)
  writeOptionalGroup(b, "StaffInfo", own(business, "staffInfo"), staffFields)
  const p = own(business, "paper")
  if (p !== undefined) b.text("Paper", paper.write(p, `${b.path}/Paper`, b.limits))
  const replacements = own(business, "replacements")
  if (replacements === undefined) return
  const rl = b.child("ReplacementInfoList")
  requireArray(replacements, `${rl.path}/ReplacementInfo`).forEach((r, i) => {
    const info = rl.child("ReplacementInfo", { index: i + 1 })
    requireObject(r, info.path)
    info.text("DocumentId", requiredText.write(own(r, "documentId"), `${info.path}/DocumentId`, info.limits))
    const ids = info.child("OrganIdList")
    requireArray(own(r, "organIds"), `${ids.path}/OrganId`).forEach((id, j) => {
      ids.text("OrganId", organId.write(id, `${ids.path}/OrganId[${j + 1}]`, ids.limits), { index: j + 1 })
    })
  })
}

/**
 * Writes a package as edXML (QCVN 102:2016): `edXML` › `edXMLEnvelope` ›
 * `edXMLHeader` (`MessageHeader`, `TraceHeaderList`) and `edXMLBody`
 * (`edXMLManifest`), then `AttachmentEncoded`. The model is checked as it is
 * written; anything wrong is an `EdxmlError` naming the element. The result
 * is unsigned: pass it to `signEdxml`.
 *
 * @example
 * const xml = buildEdxmlPackage({
 *   from: { organId: "000.00.14.H62", organName: "Sở Thông tin và Truyền thông tỉnh Vĩnh Phúc" },
 *   to: [{ organId: "000.00.00.H62", organName: "Ủy ban nhân dân tỉnh Vĩnh Phúc" }],
 *   documentId: "000.00.14.H62,2025/01/10,12/KH-STTTT",
 *   code: { codeNumber: "12", codeNotation: "KH-STTTT" },
 *   promulgationInfo: { place: "Vĩnh Phúc", promulgationDate: "2025-01-10" },
 *   documentType: { type: 1, typeName: "Kế hoạch" },
 *   subject: "Kế hoạch thông tin đối ngoại năm 2025",
 *   signerInfo: { position: "Giám đốc", fullName: "Nguyễn Văn An" },
 *   traceHeaders: [], attachments: [],
 * })
 */
export function buildEdxmlPackage(pkg: EdxmlPackage, options: EdxmlBuildOptions = {}): string {
  const root = ElementWriter.document(resolveLimits(options.limits))
  requireObject(pkg, root.path)
  const envelope = root.child("edXMLEnvelope", { prefixed: true })
  const header = envelope.child("edXMLHeader")
  writeMessageHeader(header, pkg)
  writeTraceHeaderList(header, pkg)
  const writeContents = writeAttachments(envelope.child("edXMLBody"), own(pkg, "attachments"))
  writeContents(root)
  return root.serialize()
}
