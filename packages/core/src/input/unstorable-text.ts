/** A UTF-16 surrogate half without its partner: not valid Unicode, and PostgreSQL refuses it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * Why PostgreSQL could not store `text` (a NUL character, or a lone surrogate
 * such as `"\ud800"` that JSON allows but Unicode does not), or undefined.
 * Text carrying it is the caller's mistake (400), not a storage outage (503).
 *
 * @example
 * unstorableText("a\u0000b") // "must not contain the NUL character (\\u0000)"
 */
export function unstorableText(text: string): string | undefined {
  if (text.includes("\u0000")) return "must not contain the NUL character (\\u0000)"
  if (LONE_SURROGATE.test(text)) return "must be well-formed Unicode (it holds a lone surrogate such as \\ud800)"
  return undefined
}
