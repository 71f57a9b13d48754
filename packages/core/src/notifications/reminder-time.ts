import { type Calendar, type LocalDate, defaultCalendar, localDateOf, instantAt } from "../timers/calendar.js"
import { isDayOff } from "../timers/calendar-year.js"
import { parseIsoDuration } from "../timers/duration.js"

function previousDay(d: LocalDate): LocalDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day - 1))
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() }
}

function wallTime(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, hourCycle: "h23", hour: "2-digit", minute: "2-digit" }).formatToParts(at)
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "00"
  return `${get("hour")}:${get("minute")}`
}

/**
 * When a reminder `before` a deadline due at `dueAt` is sent.
 * `{ workingDays: n }` goes back n working days on `calendar` (days off
 * skipped) to the same wall time; a deadline at the end of a working day is
 * reminded at the end of the n-th working day before it. An ISO 8601
 * duration is elapsed time.
 *
 * @example
 * // Due Monday 10 March 2025, 17:00 in Hà Nội; the weekend is skipped:
 * reminderAt(new Date("2025-03-10T10:00:00Z"), { workingDays: 1 }) // Friday 7 March, 17:00 (10:00Z)
 * reminderAt(new Date("2025-03-10T10:00:00Z"), "PT2H") // 08:00Z
 */
export function reminderAt(dueAt: Date, before: string | { readonly workingDays: number }, calendar: Calendar = defaultCalendar): Date {
  if (typeof before === "string") return new Date(dueAt.getTime() - parseIsoDuration(before))
  const timeZone = calendar.timeZone ?? defaultCalendar.timeZone
  const time = wallTime(dueAt, timeZone)
  let day = localDateOf(dueAt, timeZone)
  for (let n = 0; n < before.workingDays; ) {
    day = previousDay(day)
    if (!isDayOff(day, calendar)) n++
  }
  return instantAt(day, time, timeZone)
}
