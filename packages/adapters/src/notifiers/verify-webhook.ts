import { timingSafeEqual } from "node:crypto"
import { ownValue } from "@civicase/core"
import { signWebhook, webhookHeaders, webhookSecretKey } from "./webhook-signature.js"

/** Request headers as Node (`req.headers`), Fetch (`Headers`) or a plain record give them. */
export type WebhookHeaders = Headers | Readonly<Record<string, string | ReadonlyArray<string> | undefined>>

/** Options of {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /** The `whsec_…` secret; several during a rotation (any may match). */
  readonly secret: string | ReadonlyArray<string>
  readonly headers: WebhookHeaders
  /** The raw body exactly as received (not re-serialised JSON). */
  readonly body: string | Uint8Array
  /** How far the timestamp may be from now, in seconds; default 300. */
  readonly toleranceSeconds?: number
  /** Seconds since the epoch; default the wall clock. */
  readonly now?: () => number
}

/** A verified webhook: the delivery id to deduplicate on, the signed timestamp, and the parsed body. */
export interface VerifiedWebhook {
  readonly ok: true
  readonly deliveryId: string
  readonly timestamp: number
  readonly message: unknown
}

/** Why a request was rejected (`kind` for the answer: `signature`, `stale`, `malformed`); do not act on it. */
export interface RejectedWebhook {
  readonly ok: false
  readonly kind: "signature" | "stale" | "malformed"
  readonly reason: string
}

/**
 * A header's value (the first, when repeated).
 *
 * @example
 * headerValue(req.headers, "webhook-id")
 */
export function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined
  const record = headers as Record<string, string | ReadonlyArray<string> | undefined>
  const value = ownValue(record, name) ?? Object.entries(record).find(([k]) => k.toLowerCase() === name)?.[1]
  return Array.isArray(value) ? value[0] : (value as string | undefined)
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * Checks a Standard Webhooks request on the receiving side (civicase's
 * webhooks, subscriptions and links all send them): the signature over
 * `id.timestamp.body` (compared in constant time, against each secret, each
 * `v1,` entry of the header), and the timestamp within `toleranceSeconds`
 * of now, so a captured request cannot be replayed later. Deduplicate
 * accepted requests on `deliveryId`: a retry sends the same id again. Any
 * Standard Webhooks library verifies the same requests.
 *
 * @example
 * const r = verifyWebhook({ secret: [current, previous], headers: req.headers, body: rawBody })
 * if (!r.ok) return res.writeHead(401).end(r.reason)
 * if (!seen.has(r.deliveryId)) handle(r.message)
 */
export function verifyWebhook(options: VerifyWebhookOptions): VerifiedWebhook | RejectedWebhook {
  const secrets = typeof options.secret === "string" ? [options.secret] : [...options.secret]
  if (secrets.length === 0) throw new TypeError("verifyWebhook: give at least one secret")
  for (const s of secrets) webhookSecretKey(s)
  const tolerance = options.toleranceSeconds ?? 300
  const body = typeof options.body === "string" ? options.body : Buffer.from(options.body).toString("utf8")
  const id = headerValue(options.headers, webhookHeaders.id)
  const stamp = headerValue(options.headers, webhookHeaders.timestamp)
  const signatures = headerValue(options.headers, webhookHeaders.signature)
  if (!id || id.length > 200) return { ok: false, kind: "malformed", reason: `missing or overlong ${webhookHeaders.id} header` }
  if (!stamp || !/^\d{1,12}$/.test(stamp)) return { ok: false, kind: "malformed", reason: `missing or malformed ${webhookHeaders.timestamp} header` }
  if (!signatures) return { ok: false, kind: "signature", reason: `missing ${webhookHeaders.signature} header` }
  const timestamp = Number(stamp)
  const given = signatures
    .split(" ")
    .filter((s) => s.startsWith("v1,"))
    .slice(0, 10)
  const matches = secrets.some((secret) => {
    const expected = signWebhook(secret, id, timestamp, body)
    return given.some((g) => sameText(g, expected))
  })
  if (!matches) return { ok: false, kind: "signature", reason: "signature does not match" }
  const now = options.now ? options.now() : Math.floor(Date.now() / 1000)
  if (Math.abs(now - timestamp) > tolerance) return { ok: false, kind: "stale", reason: `timestamp ${timestamp} is more than ${tolerance} s from now (${now}): possibly a replay` }
  let message: unknown
  try {
    message = JSON.parse(body)
  } catch {
    return { ok: false, kind: "malformed", reason: "body is not JSON" }
  }
  return { ok: true, deliveryId: id, timestamp, message }
}
