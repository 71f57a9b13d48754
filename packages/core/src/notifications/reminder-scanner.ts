import { createHash } from "node:crypto"
import { type Kysely, sql } from "kysely"
import type { Clock } from "../clock/clock.js"
import { WakeupLoop } from "../clock/wakeup-loop.js"
import type { Logger } from "../engine/logger.js"
import type { CivicaseDatabase } from "../storage/schema.js"
import type { Calendar } from "../timers/calendar.js"
import { parseIsoDuration } from "../timers/duration.js"
import { reminderAt } from "./reminder-time.js"
import { type NotificationRule, ruleId } from "./rules.js"

/** The outbox topic of a reminder before a deadline. */
export const REMINDER_TOPIC = "notify.reminder"

/** The payload of a `notify.reminder` outbox row. */
export interface ReminderPayload {
  readonly type: typeof REMINDER_TOPIC
  /** The rule that asked for it. */
  readonly rule: string
  readonly deadline: string
  /** When the deadline falls (ISO 8601). */
  readonly dueAt: string
}

interface DueTimer {
  case_id: string
  id: string
  name: string
  due_at: Date | string
  rev: number
  workflow: string
}

/**
 * The outbox id of one reminder: the same for the same rule, case, timer and
 * due time, so writing it twice (two processes, a restart, a second pass)
 * writes one row.
 */
export function reminderId(rule: string, caseId: string, timerId: string, dueAt: string): string {
  const h = createHash("sha256").update(`civicase-reminder\0${rule}\0${caseId}\0${timerId}\0${dueAt}`).digest("hex")
  // A version-5-shaped uuid: the id column is uuid.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`
}

/** Options of {@link ReminderScanner}. */
export interface ReminderScannerOptions {
  readonly rules: ReadonlyArray<NotificationRule>
  readonly calendar?: Calendar
  /** Longest sleep between looks at the timers, in milliseconds; default 60000. */
  readonly maxIdleMs?: number
  /** Called after a pass wrote reminder rows (to wake the outbox dispatcher). */
  readonly wrote?: () => void
}

/**
 * Turns the engine's pending deadlines (`civicase_timers`) into reminder
 * messages (nhắc hạn) when their time comes: for each reminder rule and each
 * timer not yet due whose reminder time has passed, one `notify.reminder`
 * outbox row with an id derived from (rule, case, timer, due time), inserted
 * with `on conflict do nothing`. So a reminder is written once whatever the
 * number of processes or restarts, and a deadline whose state was left (its
 * timer row deleted by the transition) is never reminded of. A reminder whose
 * time passed while no process ran is still sent, if its deadline has not
 * yet fallen; after that the missed-deadline rule speaks instead.
 *
 * @example
 * const scanner = new ReminderScanner(db, clock, logger, { rules, calendar: province.calendar })
 * scanner.start()
 * await scanner.runDue() // 1: one reminder written
 */
export class ReminderScanner {
  private readonly loop: WakeupLoop
  private readonly rules: ReadonlyArray<{ readonly id: string; readonly rule: NotificationRule }>
  /** How far ahead of now a deadline can be and still have a reminder due (the longest `before`, with room for days off). */
  private readonly horizonMs: number

  constructor(
    private readonly db: Kysely<CivicaseDatabase>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: ReminderScannerOptions,
  ) {
    this.rules = options.rules.flatMap((rule, i) => (rule.on === "reminder" && rule.before !== undefined ? [{ id: ruleId(rule, i), rule }] : []))
    const day = 86_400_000
    this.horizonMs = Math.max(
      0,
      ...this.rules.map(({ rule }) =>
        typeof rule.before === "object" ? (rule.before.workingDays * 3 + 20) * day : parseIsoDuration(rule.before!),
      ),
    )
    this.loop = new WakeupLoop({
      clock,
      maxIdleMs: options.maxIdleMs ?? 60_000,
      pass: () => this.runDue(),
      passFailed: (e) => this.logger.error({ error: (e as Error).message }, "reminder pass failed; retrying"),
      nextDue: () => this.nextDue(),
    })
  }

  start(): void {
    if (this.rules.length > 0) this.loop.start()
  }

  async stop(): Promise<void> {
    await this.loop.stop()
  }

  /** Writes the reminders due now; returns how many rows it wrote. */
  async runDue(): Promise<number> {
    const now = this.clock.now()
    let written = 0
    for (const t of await this.upcoming(now)) {
      const dueAt = new Date(t.due_at)
      for (const { id, rule } of this.rules) {
        if (!applies(rule, t)) continue
        if (reminderAt(dueAt, rule.before!, this.options.calendar) > now) continue
        const payload: ReminderPayload = { type: REMINDER_TOPIC, rule: id, deadline: t.name, dueAt: dueAt.toISOString() }
        const r = await sql`insert into civicase_outbox (id, case_id, rev, topic, payload, status, attempts, next_attempt_at, created_at)
          values (${reminderId(id, t.case_id, t.id, payload.dueAt)}::uuid, ${t.case_id}, ${t.rev}, ${REMINDER_TOPIC}, ${JSON.stringify(payload)}::jsonb,
            'pending', 0, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz)
          on conflict (id) do nothing`.execute(this.db)
        written += Number(r.numAffectedRows ?? 0)
      }
    }
    if (written > 0) this.options.wrote?.()
    return written
  }

  /** Timers not yet due within the horizon, with their case's workflow. */
  private async upcoming(now: Date): Promise<DueTimer[]> {
    const until = new Date(now.getTime() + this.horizonMs)
    return (
      await sql<DueTimer>`select t.case_id, t.id, t.name, t.due_at, t.rev, c.workflow from civicase_timers t join civicase_cases c on c.id = t.case_id
        where t.due_at > ${now.toISOString()}::timestamptz and t.due_at <= ${until.toISOString()}::timestamptz
        order by t.due_at limit 5000`.execute(this.db)
    ).rows
  }

  /** The earliest reminder time still ahead among the timers in the horizon. */
  private async nextDue(): Promise<number | undefined> {
    const now = this.clock.now()
    let next: number | undefined
    for (const t of await this.upcoming(now)) {
      for (const { rule } of this.rules) {
        if (!applies(rule, t)) continue
        const at = reminderAt(new Date(t.due_at), rule.before!, this.options.calendar).getTime()
        if (at > now.getTime() && (next === undefined || at < next)) next = at
      }
    }
    return next
  }
}

function applies(rule: NotificationRule, t: DueTimer): boolean {
  return (!rule.deadlines || rule.deadlines.includes(t.name)) && (!rule.workflows || rule.workflows.includes(t.workflow))
}
