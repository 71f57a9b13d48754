import { type Kysely, sql } from "kysely"
import { ownValue } from "../input/own-value.js"
import type { Logger } from "../engine/logger.js"
import type { DeliveryOutcome, Notifier, OutboxDelivery } from "../outbox/notifier.js"
import type { CivicaseDatabase } from "../storage/schema.js"
import type { WorkflowDefinition } from "../workflow/define-workflow.js"
import type { Label } from "../workflow/types.js"
import type { NotificationChannel, PersonNotification } from "./channel.js"
import { resolveRecipients } from "./recipients.js"
import { REMINDER_TOPIC } from "./reminder-scanner.js"
import { renderNotification } from "./render.js"
import { type NotificationKind, type NotificationRule, type NotificationRules, ruleId } from "./rules.js"

/** The outbox topic the engine writes when a deadline fell and fired (see `peopleNotifications`). */
export const MISSED_TOPIC = "notify.deadline_missed"

/** Options of {@link notificationRouter}. */
export interface NotificationRouterOptions {
  readonly rules: NotificationRules
  readonly channels: ReadonlyArray<NotificationChannel>
  /** For deadline labels in messages; names are shown without them. */
  readonly workflows?: ReadonlyArray<WorkflowDefinition>
  /** The zone times are written in; default `Asia/Ho_Chi_Minh`. */
  readonly timeZone?: string
  readonly logger?: Logger
}

interface CaseFacts {
  id: string
  province: string
  workflow: string
  title: string | null
  assignee: string | null
  agencies: string[]
}

const KIND_OF_TOPIC = new Map<string, NotificationKind>([
  ["notify.assigned", "assigned"],
  ["notify.mention", "mention"],
  [REMINDER_TOPIC, "reminder"],
  [MISSED_TOPIC, "missed"],
])

const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined)

/**
 * The notifier that reaches people: for each outbox row of a notification
 * topic (`notify.assigned`, `notify.mention`, `notify.reminder`,
 * `notify.deadline_missed`, and the escalation topics the rules name), it
 * finds the matching rules, resolves their recipients against the case as it
 * is now, renders the bilingual message with the case link and hands it to
 * each channel. It answers `"unrouted"` when no channel reached anyone, so
 * the row stays visible as undelivered. A channel that throws fails the row,
 * which is retried for everyone: channels and receivers deduplicate on the
 * notification id (`<row id>:<person id>`).
 *
 * @example
 * const router = notificationRouter({ rules, channels: [smtpChannel({ url, from })] }, () => db)
 */
export function notificationRouter(options: NotificationRouterOptions, db: () => Kysely<CivicaseDatabase> | undefined): Notifier {
  const rules = options.rules.rules.map((rule, i) => ({ rule, id: ruleId(rule, i) }))
  const escalationTopics = new Set(rules.flatMap(({ rule }) => (rule.on === "escalation" ? (rule.topics ?? []) : [])))
  const labels = new Map<string, Readonly<Record<string, { readonly label: Label }>>>()
  for (const w of options.workflows ?? []) if (w.deadlines) labels.set(`${w.id}@${w.version}`, w.deadlines)
  const labelOf = (workflow: string, deadline: string): Label => {
    for (const [key, deadlines] of labels) if (key.startsWith(`${workflow}@`) && ownValue(deadlines, deadline)) return ownValue(deadlines, deadline)!.label
    return { vi: deadline, en: deadline }
  }
  const channels = new Map(options.channels.map((c) => [c.name, c]))
  const base = (options.rules.baseUrl ?? "").replace(/\/+$/, "")

  const matching = (m: OutboxDelivery, kind: NotificationKind, workflow: string): ReadonlyArray<NotificationRule> => {
    const payload = (m.payload ?? {}) as Record<string, unknown>
    return rules
      .filter(({ rule, id }) => {
        if (rule.on !== kind) return false
        if (rule.workflows && !rule.workflows.includes(workflow)) return false
        if (kind === "reminder") return id === payload.rule
        if (kind === "missed") return !rule.deadlines || rule.deadlines.includes(String(payload.deadline))
        if (kind === "escalation") return (rule.topics ?? []).includes(m.topic)
        return true
      })
      .map(({ rule }) => rule)
  }

  return {
    name: "notifications",
    topics: [...KIND_OF_TOPIC.keys(), ...escalationTopics],
    async deliver(m): Promise<DeliveryOutcome> {
      const kind = KIND_OF_TOPIC.get(m.topic) ?? (escalationTopics.has(m.topic) ? "escalation" : undefined)
      const database = db()
      if (!kind || !database) return "unrouted"
      const c = (
        await sql<CaseFacts>`select id, province, workflow, title, assignee, agencies from civicase_cases where id = ${m.caseId}`.execute(database)
      ).rows[0]
      if (!c) return "unrouted"
      const payload = (m.payload ?? {}) as Record<string, unknown>
      const caseUrl = `${base}/cases/${c.id}`
      let reached = 0
      const told = new Set<string>()
      for (const rule of matching(m, kind, c.workflow)) {
        const people = await resolveRecipients(database, rule.to, {
          province: c.province,
          agencies: c.agencies,
          assignee: c.assignee,
          ...(text(payload.recipient) ? { named: text(payload.recipient)! } : {}),
        })
        const use = rule.channels ? rule.channels.flatMap((n) => (channels.has(n) ? [channels.get(n)!] : [])) : [...channels.values()]
        for (const person of people) {
          for (const channel of use) {
            const key = `${person.id}\0${channel.name}`
            if (told.has(key)) continue
            told.add(key)
            const deadline = text(payload.deadline)
            const dueAt = text(payload.dueAt)
            const rendered = renderNotification({
              kind,
              caseId: c.id,
              title: c.title,
              recipientName: person.name,
              caseUrl,
              ...(deadline ? { deadline: labelOf(c.workflow, deadline) } : {}),
              ...(dueAt ? { dueAt: new Date(dueAt) } : {}),
              ...(text(payload.by) ? { by: text(payload.by)! } : {}),
              ...(text(payload.excerpt) ?? text(payload.note) ? { excerpt: (text(payload.excerpt) ?? text(payload.note))! } : {}),
              ...(kind === "escalation" ? { topic: m.topic } : {}),
              ...(options.timeZone ? { timeZone: options.timeZone } : {}),
            })
            const notification: PersonNotification = {
              id: `${m.id}:${person.id}`,
              kind,
              outboxId: m.id,
              caseId: c.id,
              workflow: c.workflow,
              caseUrl,
              recipient: person,
              ...rendered,
              at: m.createdAt,
            }
            if (await channel.send(notification)) reached++
          }
        }
      }
      if (reached === 0) options.logger?.warn({ outboxId: m.id, topic: m.topic, caseId: m.caseId }, "notification reached nobody")
      return reached > 0 ? "delivered" : "unrouted"
    },
  }
}
