import type { NotificationKind } from "./rules.js"

/** Bilingual text, Vietnamese first. */
export interface BilingualText {
  readonly vi: string
  readonly en: string
}

/**
 * One notification for one person, as a channel sends it: an email, a live
 * message. `id` is stable across retries (`<outbox row id>:<person id>`), so a
 * receiver can deduplicate.
 *
 * @example
 * { id: "0b0e…:u-17", kind: "reminder", caseId: "6f1c…", caseUrl: "https://civicase.vinhphuc.gov.vn/cases/6f1c…",
 *   recipient: { id: "u-17", name: "Nguyễn Văn A", email: "a@soyte.gov.vn", province: "vinh-phuc", agency: "so-y-te" },
 *   subject: { vi: "Nhắc hạn: …", en: "Reminder: …" }, body: { vi: "…", en: "…" }, at: "2025-03-06T10:00:00.000Z" }
 */
export interface PersonNotification {
  readonly id: string
  readonly kind: NotificationKind
  /** The outbox row it comes from. */
  readonly outboxId: string
  readonly caseId: string
  readonly workflow: string
  /** `<baseUrl>/cases/<caseId>`, or a relative `/cases/<caseId>` without a base URL. */
  readonly caseUrl: string
  readonly recipient: {
    readonly id: string
    readonly name: string
    readonly email: string | null
    readonly province: string
    readonly agency: string
  }
  readonly subject: BilingualText
  readonly body: BilingualText
  /** When the underlying message was written (ISO 8601). */
  readonly at: string
}

/**
 * A way to reach a person (kênh thông báo): email, the live feed. `send`
 * resolves true when it handed the notification over, false when it cannot
 * reach this person (no address, not connected); it throws to have the whole
 * outbox row retried.
 *
 * @example
 * const console: NotificationChannel = { name: "console", async send(n) { console.log(n.recipient.id, n.subject.vi); return true } }
 */
export interface NotificationChannel {
  /** Named by rules' `channels`: `email`, `live`, … */
  readonly name: string
  send(notification: PersonNotification): Promise<boolean>
}
