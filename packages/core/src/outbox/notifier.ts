/**
 * One outbox row as a notifier receives it. `id` is the stable delivery id:
 * the same on every retry, so receivers deduplicate on it (delivery is at
 * least once).
 *
 * @example
 * { id: "0b0e…", caseId: "6f1c…", rev: 4, topic: "press.escalated", payload: { type: "press.escalated", level: 2 }, attempt: 1, createdAt: "2025-03-03T02:00:00.000Z" }
 */
export interface OutboxDelivery {
  readonly id: string
  readonly caseId: string
  readonly rev: number
  /** The emitted event's type, or the topic a hook gave. */
  readonly topic: string
  readonly payload: unknown
  /** 1 on the first try, then 2, 3, ... */
  readonly attempt: number
  /** When the transition that wrote it committed (ISO 8601). */
  readonly createdAt: string
}

/**
 * What a notifier's `deliver` resolves to: nothing (or `"delivered"`) when it
 * handed the message over, `"unrouted"` when it had no channel for it (no
 * recipient with an address, no rule). A row every notifier left unrouted is
 * marked `unrouted`, not delivered.
 */
export type DeliveryOutcome = void | "delivered" | "unrouted"

/**
 * Delivers outbox messages somewhere (a webhook, an in-process handler, an
 * email gateway). Resolve when the message is safely handed over (or with
 * `"unrouted"` when it had nowhere to send it); reject to have it retried
 * with backoff.
 *
 * @example
 * const logNotifier: Notifier = { name: "log", async deliver(m) { console.log(m.topic, m.id) } }
 * createEngine({ store, workflows, notifiers: [logNotifier] })
 */
export interface Notifier {
  /** Shown in logs and in the row's `last_error`. */
  readonly name: string
  /** Only these topics reach the notifier (exact names, or a prefix ending in `*`); all when absent. */
  readonly topics?: ReadonlyArray<string>
  deliver(message: OutboxDelivery): Promise<DeliveryOutcome>
}

/** True when `notifier` takes messages of `topic`. */
export function acceptsTopic(notifier: Notifier, topic: string): boolean {
  if (!notifier.topics) return true
  return notifier.topics.some((t) => (t.endsWith("*") ? topic.startsWith(t.slice(0, -1)) : t === topic))
}
