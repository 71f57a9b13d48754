import type { ValidationIssue } from "../errors/errors.js"
import { type InputLimits, defaultInputLimits } from "./input-limits.js"
import { unstorableText } from "./unstorable-text.js"

/** A JSON Pointer token: `~` and `/` escaped as RFC 6901 says. */
const token = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1")

/** One value still to look at: where it is and how many containers hold it. */
interface Pending {
  readonly value: unknown
  readonly path: string
  readonly depth: number
}

/**
 * Every reason `value` cannot be taken as input (a case's input, an event's
 * payload), by path: past one of the {@link InputLimits}, text PostgreSQL
 * cannot store (NUL, a lone surrogate) in a string or a key, an own
 * `__proto__` key, or a value JSON cannot hold (a function, a bigint, a
 * symbol, NaN or an infinity). The walk uses its own stack, never the call
 * stack, and stops at `maxNodes` values or `maxIssues` issues, so a hostile
 * value (deep, wide, cyclic) costs little. `prefix` is put before each path
 * (`body/input` at the HTTP edge).
 *
 * @example
 * inputIssues({ text: "a\u0000b" }) // [{ path: "/text", message: "must not contain the NUL character (\\u0000)" }]
 * inputIssues(JSON.parse('{"a":'.repeat(40) + "1" + "}".repeat(40)))[0].message // "nests deeper than 32 levels"
 */
export function inputIssues(value: unknown, limits: InputLimits = defaultInputLimits, options: { prefix?: string; maxIssues?: number } = {}): ValidationIssue[] {
  const prefix = options.prefix ?? ""
  const maxIssues = options.maxIssues ?? 20
  const issues: ValidationIssue[] = []
  const add = (path: string, message: string) => issues.push({ path: `${prefix}${path}` || "/", message })
  const stack: Pending[] = [{ value, path: "", depth: 0 }]
  let nodes = 0
  while (stack.length > 0 && issues.length < maxIssues) {
    const { value: v, path, depth } = stack.pop()!
    if (++nodes > limits.maxNodes) {
      add(path, `is past the limit: the value holds more than ${limits.maxNodes} values in all`)
      break
    }
    switch (typeof v) {
      case "string": {
        if (v.length > limits.maxStringLength) add(path, `is ${v.length} characters long; at most ${limits.maxStringLength}`)
        else {
          const problem = unstorableText(v)
          if (problem) add(path, problem)
        }
        continue
      }
      case "number":
        if (!Number.isFinite(v)) add(path, "must be a finite number")
        continue
      case "boolean":
      case "undefined":
        // An undefined member is left out of JSON, as it is of the hash.
        continue
      case "object":
        break
      default:
        add(path, `must be JSON (a string, number, boolean, null, array or object), not a ${typeof v}`)
        continue
    }
    if (v === null || v instanceof Date) continue
    if (depth >= limits.maxDepth) {
      add(path, `nests deeper than ${limits.maxDepth} levels`)
      continue
    }
    const children: Pending[] = []
    if (Array.isArray(v)) {
      if (v.length > limits.maxItems) {
        add(path, `has ${v.length} items; at most ${limits.maxItems}`)
        continue
      }
      for (let i = 0; i < v.length; i++) children.push({ value: v[i], path: `${path}/${i}`, depth: depth + 1 })
    } else {
      const entries = Object.entries(v)
      if (entries.length > limits.maxKeys) {
        add(path, `has ${entries.length} keys; at most ${limits.maxKeys}`)
        continue
      }
      for (const [key, item] of entries) {
        if (key.length > limits.maxKeyLength) {
          add(path, `has a key of ${key.length} characters; at most ${limits.maxKeyLength}`)
          continue
        }
        const at = `${path}/${token(key)}`
        const problem = unstorableText(key)
        if (problem) add(at, `key ${problem}`)
        else if (key === "__proto__") add(at, "must not be a key named __proto__ (it would replace an object's prototype)")
        else children.push({ value: item, path: at, depth: depth + 1 })
      }
    }
    // Pushed last first, so issues come out in document order.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!)
  }
  return issues.slice(0, maxIssues)
}
