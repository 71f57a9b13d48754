import type { Notifier, OutboxDelivery } from "@civicase/core"
import { postJson } from "../http/post-json.js"
import type { TargetPolicy } from "../http/target-policy.js"
import { signedHeaders, webhookSecretKey } from "./webhook-signature.js"

/** Options of {@link webhookNotifier}. */
export interface WebhookOptions {
  /** The receiver's URL (http or https). */
  readonly url: string
  /** The `whsec_…` secret the signature is keyed with; two during a rotation (both sign, the receiver accepts either). */
  readonly secret: string | ReadonlyArray<string>
  /** Name in logs and `last_error`; default `webhook <host>`. */
  readonly name?: string
  /** Only these topics (exact, or a prefix ending in `*`). */
  readonly topics?: ReadonlyArray<string>
  /** Give up on one attempt after this many milliseconds (it is retried later); default 10000. */
  readonly timeoutMs?: number
  /** Extra request headers (an API key of the receiver, say). */
  readonly headers?: Readonly<Record<string, string>>
  /** Seconds since the epoch for `webhook-timestamp`; default the wall clock (the receiver compares it with its own). */
  readonly now?: () => number
  /** Refuses private and loopback targets unless allowed (`targetPolicy()`); default none: the URL is the operator's own. */
  readonly policy?: TargetPolicy
}

/**
 * Delivers outbox messages as signed HTTP POSTs in the Standard Webhooks
 * format (thông báo qua webhook), so receivers verify them with any Standard
 * Webhooks library or `verifyWebhook`. The body is the JSON envelope
 * `{ type: topic, timestamp: createdAt, data: { caseId, rev, topic, payload } }`,
 * the same on every retry; headers carry `webhook-id` (the outbox row id:
 * deduplicate on it), `webhook-timestamp` and
 * `webhook-signature: v1,<base64 HMAC-SHA256 over "id.timestamp.body">`.
 * A non-2xx answer, a network error or a timeout fails the attempt, and the
 * outbox retries it with backoff; at most 4 KiB of an answer is read.
 *
 * @example
 * createEngine({ store, workflows, notifiers: [webhookNotifier({ url: "https://portal.example.gov.vn/hooks/civicase", secret: process.env.HOOK_SECRET! })] })
 */
export function webhookNotifier(options: WebhookOptions): Notifier {
  let url: URL
  try {
    url = new URL(options.url)
  } catch {
    throw new TypeError(`webhookNotifier: url ${JSON.stringify(options.url)} is not a valid URL`)
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new TypeError(`webhookNotifier: url must be http or https, got ${url.protocol}`)
  const secrets = typeof options.secret === "string" ? [options.secret] : [...(options.secret ?? [])]
  if (secrets.length === 0) throw new TypeError("webhookNotifier: give a whsec_ secret")
  for (const s of secrets) webhookSecretKey(s)
  const timeoutMs = options.timeoutMs ?? 10_000
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new TypeError(`webhookNotifier: timeoutMs must be a positive integer, got ${String(timeoutMs)}`)
  const now = options.now ?? (() => Math.floor(Date.now() / 1000))
  const where = `${url.host}${url.pathname}`
  return {
    name: options.name ?? `webhook ${url.host}`,
    ...(options.topics ? { topics: options.topics } : {}),
    async deliver(message: OutboxDelivery) {
      const body = JSON.stringify({
        type: message.topic,
        timestamp: message.createdAt,
        data: { caseId: message.caseId, rev: message.rev, topic: message.topic, payload: message.payload },
      })
      const headers = { ...options.headers, ...signedHeaders(secrets, message.id, now(), body) }
      const answer = await postJson(url, body, { headers, timeoutMs, ...(options.policy ? { policy: options.policy } : {}) }).catch((e: Error) => {
        throw new Error(`POST ${where} failed: ${e.message}`)
      })
      if (answer.status < 200 || answer.status > 299) throw new Error(`POST ${where} answered ${answer.status}${answer.body ? `: ${answer.body.slice(0, 200)}` : ""}`)
    },
  }
}
