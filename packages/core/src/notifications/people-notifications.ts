import type { Kysely } from "kysely"
import type { CivicaseDatabase } from "../storage/schema.js"
import type { Calendar } from "../timers/calendar.js"
import { type Plugin, definePlugin } from "../plugins/plugin.js"
import type { WorkflowDefinition } from "../workflow/define-workflow.js"
import type { NotificationChannel } from "./channel.js"
import { ReminderScanner } from "./reminder-scanner.js"
import { MISSED_TOPIC, notificationRouter } from "./router.js"
import type { NotificationRules } from "./rules.js"

/** Options of {@link peopleNotifications}. */
export interface PeopleNotificationsOptions {
  /** The checked notification file (see `notificationRules`). */
  readonly rules: NotificationRules
  /** Where messages go: `smtpChannel(…)` from `@civicase/adapters`, the server's live feed, your own. */
  readonly channels: ReadonlyArray<NotificationChannel>
  /** The province calendar reminders count working days on (`province.calendar`); Vietnam's default otherwise. */
  readonly calendar?: Calendar
  /** The workflows, for deadline labels in messages. */
  readonly workflows?: ReadonlyArray<WorkflowDefinition>
  /** Longest sleep of the reminder loop, in milliseconds; default 60000. */
  readonly maxIdleMs?: number
}

/** The plugin, with a way to write due reminders now (a job, a test). */
export interface PeopleNotificationsPlugin extends Plugin {
  /** Writes the reminders due now into the outbox; returns how many. 0 before the engine started. */
  runDueReminders(): Promise<number>
}

/**
 * Notifications that reach people (thông báo đến cán bộ), as a plugin:
 * - writes a `notify.deadline_missed` outbox row with every transition a
 *   deadline fired (when a `missed` rule asks for it), in the same statement;
 * - writes `notify.reminder` rows when a reminder rule's time before a pending
 *   deadline comes (durable and once: see `ReminderScanner`);
 * - delivers those, `notify.assigned`, `notify.mention` and the escalation
 *   topics through `channels` to the people the rules name.
 *
 * @example
 * const notifications = peopleNotifications({ rules: notificationRules(json), channels: [smtpChannel({ url, from })], calendar: province.calendar })
 * const engine = createEngine({ store, workflows, plugins: [notifications] })
 */
export function peopleNotifications(options: PeopleNotificationsOptions): PeopleNotificationsPlugin {
  let db: Kysely<CivicaseDatabase> | undefined
  let scanner: ReminderScanner | undefined
  const missedRules = options.rules.rules.filter((r) => r.on === "missed")
  let logger: Parameters<typeof notificationRouter>[0]["logger"]
  const router = notificationRouter(
    {
      ...options,
      get logger() {
        return logger
      },
    },
    () => db,
  )
  const plugin = definePlugin({
    name: "civicase:people-notifications",
    notifiers: [router],
    hooks: {
      beforeWrite(commit) {
        const deadline = commit.meta.deadline
        if (typeof deadline !== "string") return
        const wanted = missedRules.some((r) => (!r.workflows || r.workflows.includes(commit.workflow)) && (!r.deadlines || r.deadlines.includes(deadline)))
        if (!wanted) return
        return { outbox: [{ topic: MISSED_TOPIC, payload: { type: MISSED_TOPIC, deadline, state: commit.from } }] }
      },
      onStart(ctx) {
        db = ctx.db
        logger = ctx.logger
        scanner = new ReminderScanner(ctx.db, ctx.clock, ctx.logger, {
          rules: options.rules.rules,
          ...(options.calendar ? { calendar: options.calendar } : {}),
          ...(options.maxIdleMs ? { maxIdleMs: options.maxIdleMs } : {}),
        })
        scanner.start()
      },
      async onStop() {
        await scanner?.stop()
      },
    },
  })
  return Object.assign(plugin, { runDueReminders: async () => (scanner ? scanner.runDue() : 0) })
}
