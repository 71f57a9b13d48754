import type { Notifier, OutboxDelivery } from "@civicase/core"

/** Options of {@link inProcessNotifier}. */
export interface InProcessOptions {
  /** Name in logs and `last_error`; default `in-process`. */
  readonly name?: string
  /** Only these topics (exact, or a prefix ending in `*`). */
  readonly topics?: ReadonlyArray<string>
}

/**
 * Hands outbox messages to a function in the embedding application (gửi
 * thông báo trong tiến trình): send a portal notification, update a search
 * index, push to a queue. The outbox still gives it the guarantees of a
 * remote receiver: called after commit, retried with backoff when it throws,
 * at least once, `message.id` stable across retries.
 *
 * @example
 * const notifier = inProcessNotifier(async (m) => {
 *   if (m.topic === "press.escalated") await portal.notify(m.payload)
 * }, { topics: ["press.*"] })
 * createEngine({ store, workflows, notifiers: [notifier] })
 */
export function inProcessNotifier(handler: (message: OutboxDelivery) => void | Promise<void>, options: InProcessOptions = {}): Notifier {
  if (typeof handler !== "function") throw new TypeError("inProcessNotifier: handler must be a function")
  return {
    name: options.name ?? "in-process",
    ...(options.topics ? { topics: options.topics } : {}),
    async deliver(message) {
      await handler(message)
    },
  }
}
