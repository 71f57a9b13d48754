import type { Actor } from "@civicase/core"
import type { NotificationChannel, PersonNotification } from "@civicase/core/notifications"
import type { LiveNotification } from "./live-protocol.js"

/**
 * The live-feed channel of people notifications (kênh trực tuyến): it knows
 * which live clients belong to which person, and pushes a `notification`
 * message to each client of the recipient. A person with no client connected
 * is not reached (`false`), so with no other channel the outbox row stays
 * `unrouted`. Give the same feed to `peopleNotifications({ channels })` and
 * to `buildServer({ live: { personFeed } })`.
 *
 * @example
 * const feed = personFeed()
 * const engine = createEngine({ store, workflows, plugins: [peopleNotifications({ rules, channels: [feed] })] })
 * const app = await buildServer({ engine, auth, live: { personFeed: feed } })
 */
export interface PersonFeed extends NotificationChannel {
  /** Registers a live client of `actor`; returns the function that removes it. */
  attach(actor: Actor, push: (n: LiveNotification) => void): () => void
  /** Connected clients, all people together. */
  readonly size: number
}

/** A new, empty person feed (channel name `live`). */
export function personFeed(name = "live"): PersonFeed {
  const clients = new Map<string, Set<(n: LiveNotification) => void>>()
  const key = (province: string, id: string) => `${province}\0${id}`
  let size = 0
  return {
    name,
    get size() {
      return size
    },
    attach(actor, push) {
      const k = key(actor.province, actor.id)
      const set = clients.get(k) ?? new Set()
      clients.set(k, set)
      set.add(push)
      size++
      return () => {
        if (!set.delete(push)) return
        size--
        if (set.size === 0) clients.delete(k)
      }
    },
    async send(n: PersonNotification) {
      const set = clients.get(key(n.recipient.province, n.recipient.id))
      if (!set || set.size === 0) return false
      const message: LiveNotification = { id: n.id, kind: n.kind, caseId: n.caseId, caseUrl: n.caseUrl, subject: n.subject, body: n.body, at: n.at }
      for (const push of set) push(message)
      return true
    },
  }
}
