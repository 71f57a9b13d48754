import { type Kysely, sql } from "kysely"
import { ownValue } from "../../input/own-value.js"
import type { CivicaseDatabase } from "../../storage/schema.js"
import type { Notifier, OutboxDelivery } from "../../outbox/notifier.js"
import type { Label } from "../../workflow/types.js"
import { type Plugin, definePlugin } from "../plugin.js"

/** What a rule sees about the case an emitted event came from, read at delivery time. */
export interface NotifiedCase {
  readonly id: string
  readonly province: string
  readonly workflow: string
  readonly state: string
  readonly owner: string
  readonly agencies: ReadonlyArray<string>
  readonly context: unknown
}

/** A message for people (thông báo): who gets it and what it says, in Vietnamese and English. */
export interface Notification {
  /** Recipients: agency ids, role names, user ids; their meaning is the sender's. */
  readonly to: ReadonlyArray<string>
  readonly subject: Label
  readonly body?: Label
}

/** A notification ready to send, with the outbox row's stable delivery id for deduplication. */
export interface OutgoingNotification extends Notification {
  readonly deliveryId: string
  readonly caseId: string
  readonly rev: number
  readonly topic: string
  readonly attempt: number
}

/** Turns one emitted event (the outbox payload) into notifications; nothing to send when undefined or empty. */
export type NotificationRule = (
  event: { readonly type: string; readonly [key: string]: unknown },
  kase: NotifiedCase,
) => Notification | ReadonlyArray<Notification> | undefined

/** Options of {@link notificationsPlugin}. */
export interface NotificationsOptions {
  /** One rule per emitted event type (the outbox topic). */
  readonly rules: Readonly<Record<string, NotificationRule>>
  /** Sends a notification (email, SMS, the portal's inbox). A throw retries the whole outbox row with backoff. */
  readonly send: (notification: OutgoingNotification) => Promise<void>
  /** Plugin name; default `civicase.notifications`. */
  readonly name?: string
}

/**
 * The notifications plugin: a notifier over the outbox that turns the events
 * machines emit (`emit({ type: "press.escalated", level })`) into messages
 * for people, by one rule per event type, and hands them to `send`. Because
 * it rides on the outbox, a notification is sent after commit, retried until
 * `send` succeeds, and carries the row's id to deduplicate on.
 *
 * @example
 * const notifications = notificationsPlugin({
 *   rules: {
 *     "demo.escalated": (_e, kase) => ({
 *       to: ["coordinator", kase.owner],
 *       subject: { vi: "Hồ sơ quá hạn thẩm định", en: "Review overdue" },
 *     }),
 *   },
 *   send: (n) => mailer.send(n.to, n.subject.vi, { idempotencyKey: n.deliveryId }),
 * })
 * createEngine({ store, workflows, plugins: [notifications] })
 */
export function notificationsPlugin(options: NotificationsOptions): Plugin {
  const topics = Object.keys(options.rules ?? {})
  if (topics.length === 0) throw new TypeError("notificationsPlugin: rules must name at least one emitted event type")
  for (const t of topics) if (typeof ownValue(options.rules, t) !== "function") throw new TypeError(`notificationsPlugin: rules["${t}"] must be a function`)
  if (typeof options.send !== "function") throw new TypeError("notificationsPlugin: send must be a function")
  let db: Kysely<CivicaseDatabase> | undefined

  const notifier: Notifier = {
    name: options.name ?? "civicase.notifications",
    topics,
    async deliver(message: OutboxDelivery) {
      if (!db) throw new Error("the engine has not started")
      const row = (
        await sql<{ id: string; province: string; workflow: string; state: string; owner_agency: string; agencies: string[]; context: unknown }>`
          select id, province, workflow, state, owner_agency, agencies, context from civicase_cases where id = ${message.caseId}`.execute(db)
      ).rows[0]
      if (!row) return
      const kase: NotifiedCase = { id: row.id, province: row.province, workflow: row.workflow, state: row.state, owner: row.owner_agency, agencies: row.agencies, context: row.context }
      const event = (message.payload && typeof message.payload === "object" ? message.payload : { type: message.topic }) as { type: string }
      const rule = ownValue(options.rules, message.topic)
      if (!rule) return
      const made = rule(event, kase)
      const list = made === undefined ? [] : Array.isArray(made) ? made : [made as Notification]
      for (const n of list) {
        if (n.to.length === 0) continue
        await options.send({ ...n, deliveryId: list.length === 1 ? message.id : `${message.id}:${list.indexOf(n)}`, caseId: message.caseId, rev: message.rev, topic: message.topic, attempt: message.attempt })
      }
    },
  }

  return definePlugin({
    name: options.name ?? "civicase.notifications",
    notifiers: [notifier],
    hooks: {
      onStart(ctx) {
        db = ctx.db
      },
    },
  })
}
