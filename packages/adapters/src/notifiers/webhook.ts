import type { Notifier, OutboxDelivery } from "@civicase/core"
import { signWebhook, webhookHeaders } from "./webhook-signature.js"

/** Options of {@link webhookNotifier}. */
export interface WebhookOptions {
  /** The receiver's URL (http or https). */
  readonly url: string
  /** The shared secret the signature is keyed with (at least 16 characters). */
  readonly secret: string
  /** Name in logs and `last_error`; default `webhook <host>`. */
  readonly name?: string
  /** Only these topics (exact, or a prefix ending in `*`). */
  readonly topics?: ReadonlyArray<string>
  /** Give up on one attempt after this many milliseconds (it is retried later); default 10000. */
  readonly timeoutMs?: number
  /** Extra request headers (an API key of the receiver, say). */
  readonly headers?: Readonly<Record<string, string>>
  /** Seconds since the epoch for `civicase-timestamp`; default the wall clock (the receiver compares it with its own). */
  readonly now?: () => number
  /** The fetch to use; default the global one. */
  readonly fetch?: typeof fetch
}

/**
 * Delivers outbox messages as signed HTTP POSTs (thông báo qua webhook). The
 * body is the JSON `{ id, caseId, rev, topic, payload, createdAt }`, the same
 * on every retry; headers carry `civicase-delivery-id` (deduplicate on it),
 * `civicase-timestamp`, `civicase-attempt`, and
 * `civicase-signature: v1=<hex HMAC-SHA256 over "<timestamp>.<body>">`.
 * A non-2xx answer, a network error or a timeout fails the attempt, and the
 * outbox retries it with backoff. Receivers check requests with
 * `verifyWebhook`.
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
  if (typeof options.secret !== "string" || options.secret.length < 16) throw new TypeError("webhookNotifier: secret must be a string of at least 16 characters")
  const timeoutMs = options.timeoutMs ?? 10_000
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new TypeError(`webhookNotifier: timeoutMs must be a positive integer, got ${String(timeoutMs)}`)
  const now = options.now ?? (() => Math.floor(Date.now() / 1000))
  const doFetch = options.fetch ?? fetch
  return {
    name: options.name ?? `webhook ${url.host}`,
    ...(options.topics ? { topics: options.topics } : {}),
    async deliver(message: OutboxDelivery) {
      const body = JSON.stringify({
        id: message.id,
        caseId: message.caseId,
        rev: message.rev,
        topic: message.topic,
        payload: message.payload,
        createdAt: message.createdAt,
      })
      const timestamp = now()
      const response = await doFetch(url, {
        method: "POST",
        body,
        redirect: "error",
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          ...options.headers,
          "content-type": "application/json",
          [webhookHeaders.deliveryId]: message.id,
          [webhookHeaders.timestamp]: String(timestamp),
          [webhookHeaders.attempt]: String(message.attempt),
          [webhookHeaders.topic]: message.topic,
          [webhookHeaders.signature]: signWebhook(options.secret, timestamp, body),
        },
      }).catch((e: unknown) => {
        const reason = e instanceof Error && e.name === "TimeoutError" ? `timed out after ${timeoutMs} ms` : e instanceof Error ? e.message : String(e)
        throw new Error(`POST ${url.host}${url.pathname} failed: ${reason}`)
      })
      // Drain the body so the connection can be reused.
      const text = await response.text().catch(() => "")
      if (!response.ok) throw new Error(`POST ${url.host}${url.pathname} answered ${response.status}${text ? `: ${text.slice(0, 200)}` : ""}`)
    },
  }
}
