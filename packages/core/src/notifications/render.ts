import type { BilingualText } from "./channel.js"
import type { NotificationKind } from "./rules.js"

/** What a message is about, for {@link renderNotification}. */
export interface NotificationFacts {
  readonly kind: NotificationKind
  readonly caseId: string
  /** The case's title, or null (then its id is shown). */
  readonly title: string | null
  readonly recipientName: string
  readonly caseUrl: string
  /** The deadline's label (reminder, missed), or its name. */
  readonly deadline?: BilingualText
  /** When the deadline falls (reminder, missed). */
  readonly dueAt?: Date
  /** Who assigned or mentioned (assigned, mention). */
  readonly by?: string
  /** The comment's beginning (mention) or the assignment's note. */
  readonly excerpt?: string
  /** The escalation's event type (escalation). */
  readonly topic?: string
  /** The zone in which times are written; default `Asia/Ho_Chi_Minh`. */
  readonly timeZone?: string
}

function when(at: Date, timeZone: string): BilingualText {
  const f = (locale: string) =>
    new Intl.DateTimeFormat(locale, { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }).format(at)
  return { vi: f("vi-VN"), en: `${f("en-GB")} (${timeZone})` }
}

/**
 * The subject and body of a notification, Vietnamese first with English
 * beside it, with the link to the case.
 *
 * @example
 * renderNotification({ kind: "mention", caseId, title: "Sạt lở Tam Đảo", recipientName: "Nguyễn Văn A", caseUrl, by: "u-2", excerpt: "Anh xem giúp" })
 * // { subject: { vi: "Bạn được nhắc đến trong hồ sơ “Sạt lở Tam Đảo”", en: "You were mentioned on case “Sạt lở Tam Đảo”" }, body: { … } }
 */
export function renderNotification(f: NotificationFacts): { subject: BilingualText; body: BilingualText } {
  const title = f.title ?? f.caseId
  const zone = f.timeZone ?? "Asia/Ho_Chi_Minh"
  const due = f.dueAt ? when(f.dueAt, zone) : { vi: "", en: "" }
  const deadline = f.deadline ?? { vi: "hạn xử lý", en: "deadline" }
  let subject: BilingualText
  let line: BilingualText
  switch (f.kind) {
    case "reminder":
      subject = { vi: `Nhắc hạn: ${deadline.vi} của hồ sơ “${title}” đến ${due.vi}`, en: `Reminder: ${deadline.en} of case “${title}” is due ${due.en}` }
      line = { vi: `Hồ sơ “${title}” sắp đến hạn (${deadline.vi}): ${due.vi}.`, en: `Case “${title}” is nearly due (${deadline.en}): ${due.en}.` }
      break
    case "missed":
      subject = { vi: `Quá hạn: ${deadline.vi} của hồ sơ “${title}”`, en: `Deadline missed: ${deadline.en} of case “${title}”` }
      line = f.dueAt
        ? { vi: `Hồ sơ “${title}” đã quá hạn (${deadline.vi}, hạn ${due.vi}).`, en: `Case “${title}” missed its deadline (${deadline.en}, due ${due.en}).` }
        : { vi: `Hồ sơ “${title}” đã quá hạn (${deadline.vi}).`, en: `Case “${title}” missed its deadline (${deadline.en}).` }
      break
    case "escalation":
      subject = { vi: `Chuyển cấp: hồ sơ “${title}”`, en: `Escalated: case “${title}”` }
      line = { vi: `Hồ sơ “${title}” đã được chuyển lên cấp trên (${f.topic ?? ""}).`, en: `Case “${title}” was escalated (${f.topic ?? ""}).` }
      break
    case "assigned":
      subject = { vi: `Phân công: bạn được giao hồ sơ “${title}”`, en: `Assigned: you were given case “${title}”` }
      line = { vi: `${f.by ?? "Hệ thống"} đã giao cho bạn hồ sơ “${title}”.`, en: `${f.by ?? "The system"} assigned case “${title}” to you.` }
      break
    case "mention":
      subject = { vi: `Bạn được nhắc đến trong hồ sơ “${title}”`, en: `You were mentioned on case “${title}”` }
      line = { vi: `${f.by ?? ""} đã nhắc đến bạn trong một ý kiến về hồ sơ “${title}”.`, en: `${f.by ?? ""} mentioned you in a comment on case “${title}”.` }
      break
  }
  const quote = f.excerpt ? `\n\n> ${f.excerpt.replace(/\n/g, "\n> ")}` : ""
  return {
    subject,
    body: {
      vi: `Kính gửi ${f.recipientName},\n\n${line.vi}${quote}\n\nXem hồ sơ: ${f.caseUrl}`,
      en: `Dear ${f.recipientName},\n\n${line.en}${quote}\n\nOpen the case: ${f.caseUrl}`,
    },
  }
}
