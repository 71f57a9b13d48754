/**
 * The JSON Canonicalization Scheme of RFC 8785 (JCS): object members sorted
 * by their names' UTF-16 code units, no white space, numbers as ECMAScript
 * writes them (`1e+21`, `0.000001`, `-0` as `0`), strings escaped as
 * `JSON.stringify` escapes them. Members whose value is `undefined` are left
 * out and `undefined` in an array is `null`, as in `JSON.stringify`; a `Date`
 * is its ISO string. A number that is not finite, a bigint, a function or a
 * symbol has no JSON form: a `TypeError` names where it is.
 *
 * @example
 * jcs({ b: 1, a: [true, null], "€": 1e21 }) // '{"a":[true,null],"b":1,"€":1e+21}'
 */
export function jcs(value: unknown): string {
  return write(value, "")
}

function write(value: unknown, path: string): string {
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value)
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`${path || "/"}: ${String(value)} has no JSON form (RFC 8785)`)
      return JSON.stringify(value)
    case "object":
      break
    default:
      throw new TypeError(`${path || "/"}: a ${typeof value} has no JSON form (RFC 8785)`)
  }
  if (value === null) return "null"
  if (value instanceof Date) return JSON.stringify(value.toISOString())
  if (Array.isArray(value)) return `[${value.map((v, i) => (v === undefined ? "null" : write(v, `${path}/${i}`))).join(",")}]`
  const members = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    // JavaScript compares strings by UTF-16 code units, which is the order RFC 8785 asks for.
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${JSON.stringify(k)}:${write(v, `${path}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`)}`)
  return `{${members.join(",")}}`
}
