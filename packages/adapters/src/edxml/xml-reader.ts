import { type CharacterData, type Document, DOMParser, type Element } from "@xmldom/xmldom"
import { EdxmlError } from "./errors.js"
import type { EdxmlLimits } from "./limits.js"
import { EDXML_NAMESPACE } from "./namespaces.js"

const malformed = (path: string, reason: string) => new EdxmlError("CIVICASE_E_EDXML_MALFORMED", path, reason)
const tooLarge = (path: string, reason: string) => new EdxmlError("CIVICASE_E_EDXML_TOO_LARGE", path, reason)

const localName = (qname: string) => qname.slice(qname.indexOf(":") + 1)

/**
 * A linear pass over the text before any DOM exists: counts elements and
 * nesting, so a hostile package is refused before it costs memory, and
 * refuses any `<!DOCTYPE`/`<!ENTITY` so that no DTD is ever processed.
 * It trusts nothing about well-formedness; the parser checks that next.
 */
function prescan(xml: string, limits: EdxmlLimits): void {
  const open: string[] = []
  let elements = 0
  let i = 0
  const until = (from: number, end: string, what: string) => {
    const at = xml.indexOf(end, from)
    if (at < 0) throw malformed(open.length ? `/${open.join("/")}` : "/", `unterminated ${what}`)
    return at + end.length
  }
  for (;;) {
    const lt = xml.indexOf("<", i)
    if (lt < 0) return
    if (xml.startsWith("<!--", lt)) i = until(lt + 4, "-->", "comment")
    else if (xml.startsWith("<![CDATA[", lt)) i = until(lt + 9, "]]>", "CDATA section")
    else if (xml.startsWith("<?", lt)) i = until(lt + 2, "?>", "processing instruction")
    else if (xml.startsWith("<!", lt)) throw malformed("/", "document type declarations (DTDs) and entity declarations are refused")
    else if (xml[lt + 1] === "/") {
      i = until(lt + 2, ">", "end tag")
      open.pop()
    } else {
      let j = lt + 1
      let quote = 0
      for (; j < xml.length; j++) {
        const c = xml.charCodeAt(j)
        if (quote) {
          if (c === quote) quote = 0
        } else if (c === 34 || c === 39) quote = c
        else if (c === 62) break
      }
      if (j >= xml.length) throw malformed(open.length ? `/${open.join("/")}` : "/", "unterminated start tag")
      const name = localName(/^[^\s/>]*/.exec(xml.slice(lt + 1, lt + 201))![0])
      open.push(name)
      elements++
      if (elements > limits.maxElements) throw tooLarge(`/${open.join("/")}`, `the document has more than ${limits.maxElements} elements`)
      if (open.length > limits.maxDepth) throw tooLarge(`/${open.join("/")}`, `elements are nested more than ${limits.maxDepth} deep`)
      if (xml.charCodeAt(j - 1) === 47) open.pop()
      i = j + 1
    }
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false })

/** The package's text: bytes must be UTF-8 (the standard's encoding), and the limit is on bytes either way. */
function decode(input: string | Uint8Array, limits: EdxmlLimits): string {
  const bytes = typeof input === "string" ? Buffer.byteLength(input, "utf8") : input.byteLength
  if (bytes > limits.maxBytes) throw tooLarge("/", `the package has ${bytes} bytes, more than the limit of ${limits.maxBytes}`)
  if (typeof input === "string") return input.replace(/^\uFEFF/, "")
  try {
    return utf8.decode(input)
  } catch {
    throw malformed("/", "the package is not valid UTF-8")
  }
}

/**
 * Parses a package safely into a DOM: the byte limit first, then the
 * prescan (depth, element count, no DTD), then a namespace-aware parser that
 * throws on any error. The root must be `edXML` in the edXML namespace.
 */
export function parseXmlDocument(input: string | Uint8Array, limits: EdxmlLimits): { xml: string; root: ElementReader } {
  if (typeof input !== "string" && !(input instanceof Uint8Array)) throw new TypeError("an edXML package is a string or a Uint8Array")
  const xml = decode(input, limits)
  const declared = /^<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/.exec(xml)
  if (declared && declared[1]!.toLowerCase() !== "utf-8") throw malformed("/", `the package declares encoding ${declared[1]}; edXML packages are UTF-8`)
  prescan(xml, limits)
  let doc: Document
  let first: string | undefined
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        first ??= `${level === "warning" ? "warning" : "error"}: ${String(message).split("\n")[0]}`
        throw new Error(first)
      },
    }).parseFromString(xml, "application/xml")
  } catch (e) {
    throw malformed("/", `not well-formed XML (${first ?? (e instanceof Error ? e.message : String(e))})`)
  }
  if (doc.doctype) throw malformed("/", "document type declarations (DTDs) are refused")
  const root = doc.documentElement
  if (!root) throw malformed("/", "the document has no root element")
  if (root.localName !== "edXML" || root.namespaceURI !== EDXML_NAMESPACE) {
    throw malformed(`/${root.localName}`, `the root element must be edXML in the namespace ${EDXML_NAMESPACE}, got {${root.namespaceURI ?? ""}}${root.localName}`)
  }
  return { xml, root: new ElementReader(root, "/edXML", limits) }
}

/**
 * A read-only view of one element with its path, for reading children by
 * their edXML local name. Nothing is looked up by a name from the document
 * on a plain object: children are found by comparing names.
 */
export class ElementReader {
  constructor(
    readonly element: Element,
    readonly path: string,
    readonly limits: EdxmlLimits,
  ) {}

  /** Every child element called `name`, each with an indexed path (`To[2]`). */
  all(name: string): ElementReader[] {
    const found: ElementReader[] = []
    for (let n = this.element.firstChild; n; n = n.nextSibling) {
      if (n.nodeType !== 1) continue
      const el = n as Element
      if (el.localName !== name) continue
      const path = `${this.path}/${name}[${found.length + 1}]`
      if (el.namespaceURI !== EDXML_NAMESPACE) throw malformed(path, `must be in the edXML namespace ${EDXML_NAMESPACE}, not ${el.namespaceURI ? el.namespaceURI : "no namespace"}`)
      found.push(new ElementReader(el, path, this.limits))
    }
    return found
  }

  /** The child element called `name`, if any; two of them are refused, since a reader could not tell which one counts. */
  one(name: string): ElementReader | undefined {
    const found = this.all(name)
    if (found.length > 1) throw new EdxmlError("CIVICASE_E_EDXML_INVALID_VALUE", `${this.path}/${name}[2]`, `${name} appears ${found.length} times; only one is allowed`)
    return found[0] && new ElementReader(found[0].element, `${this.path}/${name}`, this.limits)
  }

  /** The child element called `name`; its absence is refused with `CIVICASE_E_EDXML_MISSING_ELEMENT`. */
  require(name: string): ElementReader {
    const found = this.one(name)
    if (!found) throw new EdxmlError("CIVICASE_E_EDXML_MISSING_ELEMENT", `${this.path}/${name}`, "is required")
    return found
  }

  /** The element's text (text and CDATA children joined), at most `maxLength` characters; an element that holds elements is not a text value. */
  text(maxLength = this.limits.maxTextLength): string {
    let out = ""
    for (let n = this.element.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === 3 || n.nodeType === 4) out += (n as CharacterData).data
      else if (n.nodeType === 1) throw new EdxmlError("CIVICASE_E_EDXML_INVALID_VALUE", this.path, `must hold text, not the element ${(n as Element).localName}`)
      if (out.length > maxLength) throw tooLarge(this.path, `has more than ${maxLength} characters`)
    }
    return out
  }
}
