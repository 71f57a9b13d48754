import type { ValidationIssue } from "../errors/errors.js"

/** A JSON Pointer token: `~` and `/` escaped as RFC 6901 says. */
const token = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1")

/** A UTF-16 surrogate half without its partner: not valid Unicode, and PostgreSQL refuses it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * Why PostgreSQL could not store `text` (a NUL character, or a lone surrogate
 * such as `"\ud800"` that JSON allows but Unicode does not), or undefined.
 *
 * @example
 * unstorableText("a\u0000b") // "must not contain the NUL character (\\u0000)"
 */
export function unstorableText(text: string): string | undefined {
  if (text.includes("\u0000")) return "must not contain the NUL character (\\u0000)"
  if (LONE_SURROGATE.test(text)) return "must be well-formed Unicode (it holds a lone surrogate such as \\ud800)"
  return undefined
}

/**
 * Paths in `value` holding text PostgreSQL cannot store (see
 * {@link unstorableText}), in a string or in an object key. An input or
 * payload carrying it is the caller's mistake (400), not a storage outage
 * (503). Stops after `max` issues so a hostile document costs little.
 *
 * @example
 * nulIssues({ text: "a\u0000b" }) // [{ path: "/text", message: "must not contain the NUL character (\\u0000)" }]
 */
export function nulIssues(value: unknown, max = 20): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const seen = new WeakSet<object>()
  const visit = (v: unknown, path: string): void => {
    if (issues.length >= max) return
    if (typeof v === "string") {
      const problem = unstorableText(v)
      if (problem) issues.push({ path, message: problem })
    } else if (v === null || typeof v !== "object" || seen.has(v)) {
      return
    } else if (Array.isArray(v)) {
      seen.add(v)
      v.forEach((item, i) => visit(item, `${path}/${i}`))
    } else {
      seen.add(v)
      for (const [key, item] of Object.entries(v)) {
        const at = `${path}/${token(key)}`
        const problem = unstorableText(key)
        if (problem) issues.push({ path: at, message: `key ${problem}` })
        visit(item, at)
      }
    }
  }
  visit(value, "")
  return issues
}
