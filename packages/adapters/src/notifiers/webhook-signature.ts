import { createHmac, randomBytes } from "node:crypto"

/** Header names of a Standard Webhooks request (standardwebhooks.com), as civicase sends them. */
export const webhookHeaders = {
  /** The stable delivery id: the same on every retry; receivers deduplicate on it. */
  id: "webhook-id",
  /** Seconds since the epoch when this attempt was signed. */
  timestamp: "webhook-timestamp",
  /** Space-separated `v1,<base64 HMAC-SHA256>` signatures, one per current secret. */
  signature: "webhook-signature",
} as const

const PREFIX = "whsec_"

/**
 * The HMAC key of a `whsec_…` secret: the base64 after the prefix, 24 to 64
 * bytes (the Standard Webhooks format, which its libraries read the same way).
 *
 * @example
 * webhookSecretKey(generateWebhookSecret()).length // 32
 */
export function webhookSecretKey(secret: string): Buffer {
  if (typeof secret !== "string" || !secret.startsWith(PREFIX)) throw new TypeError("a webhook secret must start with whsec_ (generate one with generateWebhookSecret())")
  const body = secret.slice(PREFIX.length)
  const key = Buffer.from(body, "base64")
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body) || key.length < 24 || key.length > 64) {
    throw new TypeError("a webhook secret must be whsec_ followed by the base64 of 24 to 64 random bytes")
  }
  return key
}

/**
 * A fresh `whsec_` secret of 32 random bytes.
 *
 * @example
 * generateWebhookSecret() // "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
 */
export function generateWebhookSecret(): string {
  return `${PREFIX}${randomBytes(32).toString("base64")}`
}

/**
 * The Standard Webhooks signature of one request: `v1,` and the base64
 * HMAC-SHA256, keyed by the secret, over `"<id>.<timestamp>.<body>"`. The id
 * and timestamp are signed with the body, so neither can be swapped, and a
 * captured request cannot be replayed later under a fresh timestamp.
 *
 * @example
 * signWebhook(secret, "0b0e…", 1741010400, '{"type":"case.transitioned"}') // "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="
 */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac("sha256", webhookSecretKey(secret)).update(`${id}.${timestamp}.${body}`).digest("base64")}`
}

/**
 * The three headers of a signed request, signed with every secret given
 * (two during a rotation: receivers holding either accept it).
 *
 * @example
 * const headers = signedHeaders([secret], deliveryId, Math.floor(Date.now() / 1000), body)
 */
export function signedHeaders(secrets: ReadonlyArray<string>, id: string, timestamp: number, body: string): Record<string, string> {
  return {
    [webhookHeaders.id]: id,
    [webhookHeaders.timestamp]: String(timestamp),
    [webhookHeaders.signature]: secrets.map((s) => signWebhook(s, id, timestamp, body)).join(" "),
  }
}
