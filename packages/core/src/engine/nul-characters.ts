import type { ValidationIssue } from "../errors/errors.js"

/** A JSON Pointer token: `~` and `/` escaped as RFC 6901 says. */
const token = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1")

/**
 * Paths in `value` holding a NUL character (`\u0000`), in a string or in an
 * object key. PostgreSQL's jsonb cannot store one, so an input or payload
 * carrying it is the caller's mistake (400), not a storage outage (503).
 * Stops after `max` issues so a hostile document costs little.
 *
 * @example
 * nulIssues({ text: "a\u0000b" }) // [{ path: "/text", message: "must not contain the NUL character (\\u0000)" }]
 */
export function nulIssues(value: unknown, max = 20): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const seen = new WeakSet<object>()
  const message = "must not contain the NUL character (\\u0000)"
  const visit = (v: unknown, path: string): void => {
    if (issues.length >= max) return
    if (typeof v === "string") {
      if (v.includes("\u0000")) issues.push({ path, message })
    } else if (v === null || typeof v !== "object" || seen.has(v)) {
      return
    } else if (Array.isArray(v)) {
      seen.add(v)
      v.forEach((item, i) => visit(item, `${path}/${i}`))
    } else {
      seen.add(v)
      for (const [key, item] of Object.entries(v)) {
        const at = `${path}/${token(key)}`
        if (key.includes("\u0000")) issues.push({ path: at, message: `key ${message}` })
        visit(item, at)
      }
    }
  }
  visit(value, "")
  return issues
}
