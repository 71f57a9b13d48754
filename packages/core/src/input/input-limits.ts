import type { ValidationIssue } from "../errors/errors.js"

/**
 * Bounds on the shape of what callers hand the engine (case input, event
 * payloads): however it arrives, through the HTTP server or from an embedding
 * portal, a value past one of them is a `ValidationError` naming its path,
 * checked before any schema, plugin or database sees it.
 *
 * @example
 * createEngine({ store, workflows, inputLimits: { maxStringLength: 20_000 } })
 */
export interface InputLimits {
  /** Levels of objects and arrays, the value itself being level 1. */
  readonly maxDepth: number
  /** Keys of one object. */
  readonly maxKeys: number
  /** Items of one array. */
  readonly maxItems: number
  /** Values in all (objects, arrays, strings, numbers, …), counted through the whole value. */
  readonly maxNodes: number
  /** Characters (UTF-16 code units) of one string. */
  readonly maxStringLength: number
  /** Characters of one object key. */
  readonly maxKeyLength: number
}

/**
 * The default input limits: far above what any shipped workflow's schemas
 * accept (their texts stop at 2,000 characters, their lists at 100 items),
 * and low enough that checking a value is cheap and no recursion over it can
 * exhaust the stack.
 *
 * @example
 * defaultInputLimits.maxDepth // 32
 */
export const defaultInputLimits: InputLimits = Object.freeze({
  maxDepth: 32,
  maxKeys: 256,
  maxItems: 1000,
  maxNodes: 10_000,
  maxStringLength: 100_000,
  maxKeyLength: 200,
})

const names = Object.keys(defaultInputLimits) as Array<keyof InputLimits>

/**
 * The limits `options` asks for, on top of the defaults, with every bad entry
 * listed by path (`/inputLimits/maxDepth`).
 *
 * @example
 * resolveInputLimits({ maxDepth: 8 }) // { limits: { ...defaultInputLimits, maxDepth: 8 }, issues: [] }
 */
export function resolveInputLimits(options: Partial<InputLimits> | undefined): { limits: InputLimits; issues: ValidationIssue[] } {
  if (options === undefined) return { limits: defaultInputLimits, issues: [] }
  const issues: ValidationIssue[] = []
  if (typeof options !== "object" || options === null) return { limits: defaultInputLimits, issues: [{ path: "/inputLimits", message: "must be an object" }] }
  for (const key of Object.keys(options)) {
    if (!(names as string[]).includes(key)) issues.push({ path: `/inputLimits/${key}`, message: `is not a limit; the limits are ${names.join(", ")}` })
  }
  const limits = { ...defaultInputLimits }
  for (const name of names) {
    const value = options[name]
    if (value === undefined) continue
    if (!Number.isSafeInteger(value) || value < 1) issues.push({ path: `/inputLimits/${name}`, message: "must be a positive integer" })
    else limits[name as keyof typeof limits] = value
  }
  return { limits: Object.freeze(limits), issues }
}
