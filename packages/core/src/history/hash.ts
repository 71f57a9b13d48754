import { createHash } from "node:crypto"
import { jcs } from "./jcs.js"

/**
 * Canonical JSON as chain format 1 wrote it: object keys sorted, no white
 * space, `undefined` members dropped, and a number that is not finite written
 * as `null`. For the JSON values a chain holds it is the same text as RFC 8785
 * ({@link jcs}), which format 2 uses and which refuses such numbers instead.
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

/**
 * Versions of what a history row's hash covers (định dạng chuỗi băm):
 * 1. the row's fields without `meta`, in civicase's canonical JSON (rows written before format 2);
 * 2. the same fields plus `meta` and `chainFormat`, in RFC 8785 canonical JSON (JCS).
 *
 * Each row stores its format (`civicase_history.chain_format`), so a chain
 * may hold rows of both and still verifies.
 */
export type ChainFormat = 1 | 2

/** The format new history rows are written in. */
export const CHAIN_FORMAT: ChainFormat = 2

/** The chain formats this version of civicase can verify. */
export const CHAIN_FORMATS: ReadonlyArray<ChainFormat> = [1, 2]

/** The fields of one history row that its hash covers. */
export interface HashedFields {
  readonly caseId: string
  readonly rev: number
  readonly type: string
  readonly payload: unknown
  readonly actor: unknown
  readonly at: Date
  readonly from: string | null
  readonly to: string
  /** Covered from format 2 on; `null` when the row has none. */
  readonly meta?: Record<string, unknown> | null
  /** Default 1, for rows (and exports) written before formats existed. */
  readonly chainFormat?: ChainFormat
}

/**
 * `SHA-256(prevHash || canonical(fields))`, hex. The chain is per case: each
 * row's hash covers the hash before it, so changing, removing, inserting or
 * reordering any row breaks every hash after it. Format 2 (the default for new
 * rows: pass `chainFormat: CHAIN_FORMAT`) hashes the RFC 8785 text of
 * `{ actor, at, caseId, chainFormat: 2, from, meta, payload, rev, to, type }`;
 * format 1 the older canonical text of the same object without `meta` and
 * `chainFormat`.
 *
 * @example
 * const hash = chainHash(prevHash, { caseId, rev: 2, type: "SUBMIT", payload: {}, actor, at, from: "draft", to: "review", meta: null, chainFormat: 2 })
 */
export function chainHash(prevHash: string, fields: HashedFields): string {
  const format = fields.chainFormat ?? 1
  const common = {
    actor: fields.actor,
    at: fields.at.toISOString(),
    caseId: fields.caseId,
    from: fields.from,
    payload: fields.payload,
    rev: fields.rev,
    to: fields.to,
    type: fields.type,
  }
  let body: string
  if (format === 1) body = canonicalJson(common)
  else if (format === 2) body = jcs({ ...common, chainFormat: 2, meta: fields.meta ?? null })
  else throw new RangeError(`unknown chain format ${String(format)}; this version knows ${CHAIN_FORMATS.join(", ")}`)
  return createHash("sha256").update(prevHash).update(body).digest("hex")
}
