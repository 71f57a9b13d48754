/**
 * One change between two configuration versions, in the manner of JSON Patch
 * (RFC 6902): `path` is a JSON Pointer; `value` is the new value (absent on
 * `remove`).
 *
 * @example
 * const change: ConfigChange = { op: "replace", path: "/deadlines/plan/review", value: "P5BD" }
 */
export interface ConfigChange {
  readonly op: "add" | "remove" | "replace"
  readonly path: string
  readonly value?: unknown
}

const pointer = (segment: string) => segment.replace(/~/g, "~0").replace(/\//g, "~1")

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v)

/**
 * The changes that turn `before` into `after`: objects are compared key by
 * key (sorted), arrays item by item, anything else as a whole. `before`
 * undefined (the first version) is one `add` of the whole document at `""`.
 *
 * @example
 * configDiff({ a: 1, b: [1, 2] }, { a: 2, b: [1], c: true })
 * // [{ op: "replace", path: "/a", value: 2 }, { op: "remove", path: "/b/1" }, { op: "add", path: "/c", value: true }]
 */
export function configDiff(before: unknown, after: unknown): ConfigChange[] {
  if (before === undefined) return [{ op: "add", path: "", value: after }]
  const out: ConfigChange[] = []
  walk(before, after, "", out)
  return out
}

function walk(a: unknown, b: unknown, path: string, out: ConfigChange[]): void {
  if (isObject(a) && isObject(b)) {
    // Own keys only, through maps: a key such as "__proto__" is a key like any other.
    const before = new Map(Object.entries(a))
    const after = new Map(Object.entries(b))
    const keys = [...new Set([...before.keys(), ...after.keys()])].sort()
    for (const k of keys) {
      const at = `${path}/${pointer(k)}`
      if (!after.has(k)) out.push({ op: "remove", path: at })
      else if (!before.has(k)) out.push({ op: "add", path: at, value: after.get(k) })
      else walk(before.get(k), after.get(k), at, out)
    }
    return
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const common = Math.min(a.length, b.length)
    for (let i = 0; i < common; i++) walk(a[i], b[i], `${path}/${i}`, out)
    for (let i = common; i < b.length; i++) out.push({ op: "add", path: `${path}/${i}`, value: b[i] })
    // Removed from the end backwards, so that each path is valid when applied in order.
    for (let i = a.length - 1; i >= common; i--) out.push({ op: "remove", path: `${path}/${i}` })
    return
  }
  if (!sameJson(a, b)) out.push({ op: "replace", path, value: b })
}

function sameJson(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b))
}
