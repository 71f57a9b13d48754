import { type EdxmlDate, readEdxmlDate, readEdxmlTimestamp, writeEdxmlDate, writeEdxmlTimestamp } from "./dates.js"
import { EdxmlError } from "./errors.js"
import type { EdxmlLimits } from "./limits.js"

/**
 * How one leaf value goes into an element's text and back. Writing and
 * reading share the same checks, so whatever civicase writes it also reads,
 * and whatever it refuses to read it also refuses to write.
 */
export interface Codec<T> {
  write(value: unknown, path: string, limits: EdxmlLimits): string
  read(text: string, path: string, limits: EdxmlLimits): T
}

// XML 1.0 §2.2: the characters a document may contain at all.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u

const invalid = (path: string, reason: string) => new EdxmlError("CIVICASE_E_EDXML_INVALID_VALUE", path, reason)

/** XML turns `\r\n` and a lone `\r` into `\n` when it reads (§2.11); writing them so keeps a round trip exact. */
export function normaliseLineEnds(text: string): string {
  return text.replace(/\r\n?/g, "\n")
}

/** Refuses text no XML document can carry, and text over the length limit. */
export function checkXmlText(text: string, path: string, limits: EdxmlLimits): string {
  if (text.length > limits.maxTextLength) {
    throw new EdxmlError("CIVICASE_E_EDXML_TOO_LARGE", path, `has ${text.length} characters, more than the limit of ${limits.maxTextLength}`)
  }
  const bad = NOT_XML_CHAR.exec(text)
  if (bad) throw invalid(path, `contains U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}, which XML cannot carry`)
  return text
}

function requireString(value: unknown, path: string): string {
  if (typeof value !== "string") throw invalid(path, `must be a string, got ${value === null ? "null" : typeof value}`)
  return value
}

/** Free text (names, subjects, descriptions): kept exactly, line ends aside. */
export const text: Codec<string> = {
  write: (value, path, limits) => checkXmlText(normaliseLineEnds(requireString(value, path)), path, limits),
  read: (t, path, limits) => checkXmlText(t, path, limits),
}

/** Like {@link text}, but blank is the same as absent. */
export const requiredText: Codec<string> = {
  write: (value, path, limits) => nonBlank(text.write(value, path, limits), path),
  read: (t, path, limits) => nonBlank(text.read(t, path, limits), path),
}

function nonBlank(t: string, path: string): string {
  if (t.trim() === "") throw new EdxmlError("CIVICASE_E_EDXML_MISSING_ELEMENT", path, "is empty")
  return t
}

/** A code-like token (agency id, content id): read without surrounding spaces, checked against a pattern. */
export function token(pattern: RegExp, what: string): Codec<string> {
  const check = (t: string, path: string) => {
    if (!pattern.test(t)) throw invalid(path, `must be ${what}, got ${JSON.stringify(t.length > 80 ? `${t.slice(0, 80)}…` : t)}`)
    return t
  }
  return {
    write: (value, path) => check(requireString(value, path), path),
    read: (t, path) => check(t.trim(), path),
  }
}

/**
 * `OrganId`, the national agency code (mã định danh, e.g. `000.00.14.H62`).
 * The public packages use dotted letters and digits; platforms' test ids add
 * `-` and `_`, so those are accepted too.
 */
export const organId = token(/^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?$/, "an agency code of letters, digits, '.', '-' or '_' (at most 64)")

/** An attachment's `ContentId`, without the `cid:` the manifest puts before it. */
export const contentId = token(/^[A-Za-z0-9](?:[A-Za-z0-9._@-]{0,126}[A-Za-z0-9])?$/, "a content id of letters, digits, '.', '-', '_' or '@' (at most 128)")

/** A MIME type such as `application/pdf`. */
export const mimeType = token(/^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/, "a MIME type such as application/pdf")

/** A calendar date: `YYYY-MM-DD` in the model, `yyyy/MM/dd` in the package. */
export const date: Codec<EdxmlDate> = {
  write: (value, path) => writeEdxmlDate(value, path),
  read: (t, path) => readEdxmlDate(t, path),
}

/** An instant: a `Date` in the model, `yyyy/MM/dd HH:mm:ss` Vietnam time in the package. */
export const timestamp: Codec<Date> = {
  write: (value, path) => writeEdxmlTimestamp(value, path),
  read: (t, path) => readEdxmlTimestamp(t, path),
}

/** An integer in `[min, max]`, written in decimal. */
export function integer(min: number, max: number): Codec<number> {
  const what = `an integer from ${min} to ${max}`
  return {
    write: (value, path) => {
      if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) throw invalid(path, `must be ${what}, got ${JSON.stringify(value)}`)
      return String(value)
    },
    read: (t, path) => {
      const s = t.trim()
      const n = /^-?\d{1,15}$/.test(s) ? Number(s) : Number.NaN
      if (!Number.isInteger(n) || n < min || n > max) throw invalid(path, `must be ${what}, got ${JSON.stringify(t)}`)
      return n
    },
  }
}

/** A closed set of values written as codes: `Paper` 0/1, `BussinessDocType` 0–3. Lookups go through `Map`s, never object keys. */
export function enumeration<T extends string | boolean>(pairs: ReadonlyArray<readonly [T, string]>, what: string): Codec<T> {
  const toCode = new Map<unknown, string>(pairs)
  const fromCode = new Map<string, T>(pairs.map(([v, c]) => [c, v]))
  const allowed = pairs.map(([, c]) => c).join(", ")
  return {
    write: (value, path) => {
      const code = toCode.get(value)
      if (code === undefined) throw invalid(path, `must be ${what} (${pairs.map(([v]) => JSON.stringify(v)).join(", ")}), got ${JSON.stringify(value)}`)
      return code
    },
    read: (t, path) => {
      const v = fromCode.get(t.trim())
      if (v === undefined) throw invalid(path, `must be one of ${allowed}, got ${JSON.stringify(t)}`)
      return v
    },
  }
}
