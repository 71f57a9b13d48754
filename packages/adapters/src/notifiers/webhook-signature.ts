import { createHmac } from "node:crypto"

/** Header names of a civicase webhook. */
export const webhookHeaders = {
  deliveryId: "civicase-delivery-id",
  timestamp: "civicase-timestamp",
  signature: "civicase-signature",
  attempt: "civicase-attempt",
  topic: "civicase-topic",
} as const

/**
 * The signature of a webhook body: `v1=` and the hex HMAC-SHA256, keyed by
 * the shared secret, over `"<timestamp>.<body>"`. Signing the timestamp with
 * the body stops a captured request from being replayed later with a fresh
 * timestamp.
 *
 * @example
 * signWebhook("s3cret", 1741010400, '{"topic":"demo.approved"}') // "v1=5d2c…"
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`
}
