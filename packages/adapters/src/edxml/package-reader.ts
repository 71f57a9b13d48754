import { readAttachments } from "./attachments.js"
import { date, integer, organId, requiredText, text } from "./codecs.js"
import { readGroup } from "./fields.js"
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
import type { EdxmlBusiness, EdxmlOrganization, EdxmlOtherInfo, EdxmlPackage, EdxmlResponseFor, EdxmlSteeringType, EdxmlTraceHeader } from "./model.js"
import { EdxmlError } from "./errors.js"
import type { ElementReader } from "./xml-reader.js"

const steeringType = integer(0, 2)

function readTextList(wrapper: ElementReader | undefined, item: string, required = false): string[] | undefined {
  return wrapper?.all(item).map((el) => (required ? requiredText : text).read(el.text(), el.path, el.limits))
}

function optionalText(parent: ElementReader, name: string): string | undefined {
  const el = parent.one(name)
  return el && text.read(el.text(), el.path, el.limits)
}

function readBusiness(list: ElementReader): EdxmlBusiness | undefined {
  const b = list.one("Bussiness")
  if (!b) return undefined
  const business: Record<string, unknown> = readGroup(b, businessFields)
  const staff = b.one("StaffInfo")
  if (staff) business.staffInfo = readGroup(staff, staffFields)
  const p = b.one("Paper")
  if (p) business.paper = paper.read(p.text(), p.path, p.limits)
  const rl = b.one("ReplacementInfoList")
  if (rl) {
    business.replacements = rl.all("ReplacementInfo").map((info) => {
      const id = info.require("DocumentId")
      return {
        documentId: requiredText.read(id.text(), id.path, id.limits),
        organIds: (info.one("OrganIdList")?.all("OrganId") ?? []).map((el) => organId.read(el.text(), el.path, el.limits)),
      }
    })
  }
  return business as unknown as EdxmlBusiness
}

/**
 * Reads the model from a parsed package (`parseEdxmlPackage` opens the
 * document, checks the signature, then calls this). Unknown elements are
 * left alone, so a newer sender's additions do not break an older reader.
 */
export function readPackage(root: ElementReader, envelope: ElementReader, header: ElementReader): EdxmlPackage {
  const mh = header.require("MessageHeader")
  const to = mh.all("To")
  if (to.length === 0) throw new EdxmlError("CIVICASE_E_EDXML_MISSING_ELEMENT", `${mh.path}/To`, "at least one recipient is required")
  const responseFor = mh.all("ResponseFor").map((r) => readGroup<EdxmlResponseFor>(r, responseForFields))
  const content = optionalText(mh, "Content")
  const due = mh.one("DueDate")
  const toPlaces = readTextList(mh.one("ToPlaces"), "Place", true)
  const otherEl = mh.one("OtherInfo")
  let otherInfo: EdxmlOtherInfo | undefined
  if (otherEl) {
    const appendixes = readTextList(otherEl.one("Appendixes"), "Appendix")
    otherInfo = { ...readGroup<EdxmlOtherInfo>(otherEl, otherInfoFields), ...(appendixes ? { appendixes } : {}) }
  }
  const steering = mh.one("SteeringType")
  const subject = mh.require("Subject")
  const documentId = mh.require("DocumentId")
  const traceList = header.one("TraceHeaderList")
  const business = traceList && readBusiness(traceList)
  return {
    from: readGroup<EdxmlOrganization>(mh.require("From"), organizationFields),
    to: to.map((el) => readGroup<EdxmlOrganization>(el, organizationFields)),
    ...(responseFor.length ? { responseFor } : {}),
    documentId: requiredText.read(documentId.text(), documentId.path, documentId.limits),
    code: readGroup(mh.require("Code"), codeFields),
    promulgationInfo: readGroup(mh.require("PromulgationInfo"), promulgationFields),
    documentType: readGroup(mh.require("DocumentType"), documentTypeFields),
    subject: requiredText.read(subject.text(), subject.path, subject.limits),
    ...(content !== undefined ? { content } : {}),
    signerInfo: readGroup(mh.require("SignerInfo"), signerFields),
    ...(due ? { dueDate: date.read(due.text(), due.path, due.limits) } : {}),
    ...(toPlaces ? { toPlaces } : {}),
    ...(otherInfo ? { otherInfo } : {}),
    ...(steering ? { steeringType: steeringType.read(steering.text(), steering.path, steering.limits) as EdxmlSteeringType } : {}),
    traceHeaders: (traceList?.all("TraceHeader") ?? []).map((t) => readGroup<EdxmlTraceHeader>(t, traceHeaderFields)),
    ...(business ? { business } : {}),
    attachments: readAttachments(envelope, root),
  }
}
