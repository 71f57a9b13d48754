import { createHash } from "node:crypto"

/**
 * Canonical JSON: object keys sorted, no white space, `undefined` members
 * dropped. Two equal values always give the same text, whatever order their
 * keys were written in (PostgreSQL's jsonb does not keep key order).
 *
 * @example
 * canonicalJson({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) return "null"
    return JSON.stringify(value) ?? "null"
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString())
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(",")}]`
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
  return `{${entries.join(",")}}`
}

/** The hash of the empty chain, the `prevHash` of every case's first event. */
export const GENESIS_HASH = "0".repeat(64)

/** The immutable fields of one history row that its hash covers. */
export interface HashedFields {
  readonly caseId: string
  readonly rev: number
  readonly type: string
  readonly payload: unknown
  readonly actor: unknown
  readonly at: Date
  readonly from: string | null
  readonly to: string
}

/**
 * `SHA-256(prevHash || canonical(fields))`, hex. The chain is per case: each
 * row's hash covers the hash before it, so changing, removing, inserting or
 * reordering any row breaks every hash after it.
 */
export function chainHash(prevHash: string, fields: HashedFields): string {
  const body = canonicalJson({
    actor: fields.actor,
    at: fields.at.toISOString(),
    caseId: fields.caseId,
    from: fields.from,
    payload: fields.payload,
    rev: fields.rev,
    to: fields.to,
    type: fields.type,
  })
  return createHash("sha256").update(prevHash).update(body).digest("hex")
}
