import { timingSafeEqual } from "node:crypto"
import { ownValue } from "@civicase/core"
import { signWebhook, webhookHeaders } from "./webhook-signature.js"

/** Request headers as Node (`req.headers`), Fetch (`Headers`) or a plain record give them. */
export type WebhookHeaders = Headers | Readonly<Record<string, string | ReadonlyArray<string> | undefined>>

/** Options of {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /** The shared secret; several during a rotation (any may match). */
  readonly secret: string | ReadonlyArray<string>
  readonly headers: WebhookHeaders
  /** The raw body exactly as received (not re-serialised JSON). */
  readonly body: string | Uint8Array
  /** How far the timestamp may be from now, in seconds; default 300. */
  readonly toleranceSeconds?: number
  /** Seconds since the epoch; default the wall clock. */
  readonly now?: () => number
}

/** A verified webhook: the delivery id to deduplicate on, and the message. */
export interface VerifiedWebhook {
  readonly ok: true
  readonly deliveryId: string
  readonly timestamp: number
  readonly message: { id: string; caseId: string; rev: number; topic: string; payload: unknown; createdAt: string }
}

/** Why a request was rejected; answer it with 400 or 401 and do not act on it. */
export interface RejectedWebhook {
  readonly ok: false
  readonly reason: string
}

function header(headers: WebhookHeaders, name: string): string | undefined {
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
 * Checks a civicase webhook on the receiving side: the signature (compared in
 * constant time, against each secret), the timestamp within `toleranceSeconds`
 * of now (so a captured request cannot be replayed later), and that the
 * delivery id header matches the body. Deduplicate accepted requests on
 * `deliveryId`: a retry after a lost answer sends the same id again.
 *
 * @example
 * const r = verifyWebhook({ secret: process.env.HOOK_SECRET!, headers: req.headers, body: rawBody })
 * if (!r.ok) return res.writeHead(401).end(r.reason)
 * if (!seen.has(r.deliveryId)) handle(r.message)
 */
export function verifyWebhook(options: VerifyWebhookOptions): VerifiedWebhook | RejectedWebhook {
  const secrets = typeof options.secret === "string" ? [options.secret] : [...options.secret]
  if (secrets.length === 0 || secrets.some((s) => typeof s !== "string" || s.length === 0)) throw new TypeError("verifyWebhook: secret must be a non-empty string or list of them")
  const tolerance = options.toleranceSeconds ?? 300
  const body = typeof options.body === "string" ? options.body : Buffer.from(options.body).toString("utf8")
  const stamp = header(options.headers, webhookHeaders.timestamp)
  const signatures = header(options.headers, webhookHeaders.signature)
  const deliveryId = header(options.headers, webhookHeaders.deliveryId)
  if (!stamp || !/^\d{1,12}$/.test(stamp)) return { ok: false, reason: `missing or malformed ${webhookHeaders.timestamp} header` }
  if (!signatures) return { ok: false, reason: `missing ${webhookHeaders.signature} header` }
  if (!deliveryId) return { ok: false, reason: `missing ${webhookHeaders.deliveryId} header` }
  const timestamp = Number(stamp)
  const now = options.now ? options.now() : Math.floor(Date.now() / 1000)
  if (Math.abs(now - timestamp) > tolerance) return { ok: false, reason: `timestamp ${timestamp} is more than ${tolerance} s from now (${now}): possibly a replay` }
  const given = signatures.split(",").map((s) => s.trim()).filter((s) => s.startsWith("v1="))
  const matches = secrets.some((secret) => {
    const expected = signWebhook(secret, timestamp, body)
    return given.some((g) => sameText(g, expected))
  })
  if (!matches) return { ok: false, reason: "signature does not match" }
  let message: VerifiedWebhook["message"]
  try {
    message = JSON.parse(body)
  } catch {
    return { ok: false, reason: "body is not JSON" }
  }
  if (message?.id !== deliveryId) return { ok: false, reason: `${webhookHeaders.deliveryId} does not match the body's id` }
  return { ok: true, deliveryId, timestamp, message }
}
