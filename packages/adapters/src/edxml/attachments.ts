import { contentId, mimeType, requiredText, text } from "./codecs.js"
import { EdxmlError } from "./errors.js"
import { own, requireArray, requireObject } from "./fields.js"
import type { EdxmlAttachment } from "./model.js"
import { XLINK_NAMESPACE, XMLNS_NAMESPACE } from "./namespaces.js"
import type { ElementReader } from "./xml-reader.js"
import type { ElementWriter } from "./xml-writer.js"

const CID = "cid:"

/**
 * Writes the manifest (`edXMLBody/edXMLManifest/Reference`, one per
 * attachment, `xlink:href="cid:<id>"`) and returns a function that writes the
 * base64 contents (`AttachmentEncoded/Attachment`) after the envelope, where
 * the standard puts them.
 */
export function writeAttachments(body: ElementWriter, value: unknown): (root: ElementWriter) => void {
  const limits = body.limits
  const manifest = body.child("edXMLManifest")
  manifest.element.setAttribute("version", "1.0")
  const list = requireArray(value, `${manifest.path}/Reference`)
  if (list.length > limits.maxAttachments) {
    throw new EdxmlError("CIVICASE_E_EDXML_TOO_LARGE", `${manifest.path}/Reference[${limits.maxAttachments + 1}]`, `more than ${limits.maxAttachments} attachments`)
  }
  const seen = new Set<string>()
  const encoded: Array<{ id: string; name: string; type: string; description: string | undefined; base64: string }> = []
  list.forEach((att, i) => {
    const ref = manifest.child("Reference", { index: i + 1 })
    requireObject(att, ref.path)
    const id = contentId.write(own(att, "contentId"), `${ref.path}/ContentId`, limits)
    if (seen.has(id)) throw new EdxmlError("CIVICASE_E_EDXML_INVALID_VALUE", `${ref.path}/ContentId`, `the content id ${id} is used twice`)
    seen.add(id)
    ref.element.setAttributeNS(XMLNS_NAMESPACE, "xmlns:xlink", XLINK_NAMESPACE)
    ref.element.setAttributeNS(XLINK_NAMESPACE, "xlink:href", `${CID}${id}`)
    ref.element.setAttributeNS(XLINK_NAMESPACE, "xlink:type", "simple")
    const rawDescription = own(att, "description")
    const description = rawDescription === undefined ? undefined : text.write(rawDescription, `${ref.path}/Description`, limits)
    const name = requiredText.write(own(att, "name"), `${ref.path}/AttachmentName`, limits)
    const type = mimeType.write(own(att, "contentType"), `${ref.path}/ContentType`, limits)
    if (description !== undefined) ref.text("Description", description)
    ref.text("AttachmentName", name)
    ref.text("ContentType", type)
    ref.text("ContentId", `${CID}${id}`)
    const content = own(att, "content")
    if (!(content instanceof Uint8Array)) throw new EdxmlError("CIVICASE_E_EDXML_INVALID_VALUE", `${ref.path}`, "content must be a Uint8Array")
    if (content.byteLength > limits.maxAttachmentBytes) {
      throw new EdxmlError("CIVICASE_E_EDXML_TOO_LARGE", ref.path, `the attachment has ${content.byteLength} bytes, more than the limit of ${limits.maxAttachmentBytes}`)
    }
    encoded.push({ id, name, type, description, base64: Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString("base64") })
  })
  return (root) => {
    if (encoded.length === 0) return
    const holder = root.child("AttachmentEncoded")
    encoded.forEach((a, i) => {
      const el = holder.child("Attachment", { index: i + 1 })
      el.text("ContentId", a.id)
      el.text("AttachmentName", a.name)
      el.text("ContentType", a.type)
      if (a.description !== undefined) el.text("Description", a.description)
      el.text("ContentTransferEncoded", a.base64)
    })
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

function stripCid(id: string): string {
  return id.startsWith(CID) ? id.slice(CID.length) : id
}

/**
 * Reads the manifest and matches each `Reference` with its `Attachment` by
 * content id (with or without `cid:`). An attachment the manifest does not
 * list, or a listed one without content, is refused: what is signed and
 * shown must be what is carried.
 */
export function readAttachments(envelope: ElementReader, root: ElementReader): EdxmlAttachment[] {
  const limits = root.limits
  const manifest = envelope.one("edXMLBody")?.one("edXMLManifest")
  const refs = manifest ? manifest.all("Reference") : []
  if (refs.length > limits.maxAttachments) {
    throw new EdxmlError("CIVICASE_E_EDXML_TOO_LARGE", refs[limits.maxAttachments]!.path, `more than ${limits.maxAttachments} attachments`)
  }
  const holders = root.all("AttachmentEncoded")
  const contents = new Map<string, ElementReader>()
  for (const holder of holders) {
    for (const att of holder.all("Attachment")) {
      const idEl = att.require("ContentId")
      const id = contentId.read(stripCid(idEl.text().trim()), idEl.path, limits)
      if (contents.has(id)) throw new EdxmlError("CIVICASE_E_EDXML_INVALID_VALUE", idEl.path, `the content id ${id} is used twice`)
      contents.set(id, att)
    }
  }
  const listed = new Set<string>()
  const out = refs.map((ref): EdxmlAttachment => {
    const idEl = ref.require("ContentId")
    const id = contentId.read(stripCid(idEl.text().trim()), idEl.path, limits)
    if (listed.has(id)) throw new EdxmlError("CIVICASE_E_EDXML_INVALID_VALUE", idEl.path, `the content id ${id} is listed twice`)
    listed.add(id)
    const href = ref.element.getAttributeNS(XLINK_NAMESPACE, "href")
    if (href && stripCid(href) !== id) throw new EdxmlError("CIVICASE_E_EDXML_INVALID_VALUE", `${ref.path}/@xlink:href`, `points to ${href}, not to its ContentId ${id}`)
    const nameEl = ref.require("AttachmentName")
    const typeEl = ref.require("ContentType")
    const descEl = ref.one("Description")
    const holder = contents.get(id)
    if (!holder) throw new EdxmlError("CIVICASE_E_EDXML_MISSING_ELEMENT", "/edXML/AttachmentEncoded/Attachment", `no Attachment carries the content id ${id} that ${ref.path} lists`)
    const attachment: EdxmlAttachment = {
      contentId: id,
      name: requiredText.read(nameEl.text(), nameEl.path, limits),
      contentType: mimeType.read(typeEl.text(), typeEl.path, limits),
      ...(descEl ? { description: text.read(descEl.text(), descEl.path, limits) } : {}),
      content: decodeBase64(holder.require("ContentTransferEncoded"), limits.maxAttachmentBytes),
    }
    return attachment
  })
  for (const [id, att] of contents) {
    if (!listed.has(id)) throw new EdxmlError("CIVICASE_E_EDXML_INVALID_VALUE", att.path, `the attachment ${id} is not listed in the manifest`)
  }
  return out
}

function decodeBase64(el: ElementReader, maxBytes: number): Uint8Array {
  const b64 = el.text(el.limits.maxBytes).replace(/[\t\n\r ]+/g, "")
  if (b64.length % 4 !== 0 || !BASE64.test(b64)) throw new EdxmlError("CIVICASE_E_EDXML_INVALID_VALUE", el.path, "is not valid base64")
  const bytes = (b64.length / 4) * 3 - (b64.endsWith("==") ? 2 : b64.endsWith("=") ? 1 : 0)
  if (bytes > maxBytes) throw new EdxmlError("CIVICASE_E_EDXML_TOO_LARGE", el.path, `the attachment has ${bytes} bytes, more than the limit of ${maxBytes}`)
  const buf = Buffer.from(b64, "base64")
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
}
