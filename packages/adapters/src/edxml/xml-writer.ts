import { type Document, DOMImplementation, type Element, XMLSerializer } from "@xmldom/xmldom"
import type { EdxmlLimits } from "./limits.js"
import { EDXML_NAMESPACE, EDXML_PREFIX, XMLNS_NAMESPACE } from "./namespaces.js"

/**
 * Writes child elements of one element, tracking the path for errors. Inside
 * the envelope names carry the `edXML:` prefix; the `edXML` root and
 * `AttachmentEncoded` use the default namespace, as public packages do. Both
 * are the same namespace, so readers see no difference.
 */
export class ElementWriter {
  constructor(
    private readonly doc: Document,
    readonly element: Element,
    readonly path: string,
    readonly limits: EdxmlLimits,
    private readonly prefixed: boolean,
  ) {}

  /** A new edXML document with its `edXML` root. */
  static document(limits: EdxmlLimits): ElementWriter {
    const doc = new DOMImplementation().createDocument(EDXML_NAMESPACE, "edXML", null)
    return new ElementWriter(doc, doc.documentElement!, "/edXML", limits, false)
  }

  /** Appends `<name>`; `index` (from 1) marks a repeated element in the path; `prefixed` switches to `edXML:` names below. */
  child(name: string, options: { index?: number; prefixed?: boolean } = {}): ElementWriter {
    const prefixed = options.prefixed ?? this.prefixed
    const el = this.doc.createElementNS(EDXML_NAMESPACE, prefixed ? `${EDXML_PREFIX}:${name}` : name)
    if (prefixed && !this.prefixed) el.setAttributeNS(XMLNS_NAMESPACE, `xmlns:${EDXML_PREFIX}`, EDXML_NAMESPACE)
    this.element.appendChild(el)
    return new ElementWriter(this.doc, el, `${this.path}/${name}${options.index === undefined ? "" : `[${options.index}]`}`, this.limits, prefixed)
  }

  /** Appends `<name>text</name>`; the text must already be checked. */
  text(name: string, value: string, options: { index?: number } = {}): ElementWriter {
    const c = this.child(name, options)
    c.element.appendChild(this.doc.createTextNode(value))
    return c
  }

  /** The whole document, with its XML declaration. */
  serialize(): string {
    return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(this.doc)}`
  }
}
