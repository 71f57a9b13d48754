/**
 * A deadline's length: an ISO 8601 duration (`"PT1H"`, `"P3D"`, `"P1DT12H"`) in
 * elapsed time, a count of working days (ngày làm việc) on the province
 * calendar, or a count of days as the Civil Code counts a period in days
 * (`calendarDays`: the statutory 90 days to complain).
 *
 * @example
 * const triage: Duration = "PT1H"
 * const review: Duration = { workingDays: 5 }
 * const complaint: Duration = { calendarDays: 90 }
 */
export type Duration = string | { readonly workingDays: number } | { readonly calendarDays: number }

import { type Calendar, defaultCalendar, instantAt, type LocalDate, localDateOf, nextDay } from "./calendar.js"
import { calendarProblems } from "./calendar-problems.js"
import { type CalendarGap, calendarGaps, isDayOff } from "./calendar-year.js"

export { type Calendar, defaultCalendar } from "./calendar.js"
export { calendarProblems } from "./calendar-problems.js"
export { isWorkingDay } from "./calendar-year.js"

const ISO = /^P(?!$)(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/

/**
 * Milliseconds of an ISO 8601 duration in weeks, days, hours, minutes and seconds.
 * Years and months are refused: their length depends on the date, use days.
 *
 * @example
 * parseIsoDuration("PT1H30M") // 5_400_000
 */
export function parseIsoDuration(text: string): number {
  const m = ISO.exec(text)
  if (!m) throw new RangeError(`"${text}" is not an ISO 8601 duration such as PT1H or P5D (years and months are not accepted)`)
  const [, w, d, h, min, s] = m
  return (
    (Number(w ?? 0) * 7 * 86_400 + Number(d ?? 0) * 86_400 + Number(h ?? 0) * 3_600 + Number(min ?? 0) * 60 + Number(s ?? 0)) *
    1000
  )
}

/** Checks a duration's shape; returns a message naming what is wrong, or undefined. */
export function durationProblem(duration: unknown): string | undefined {
  if (typeof duration === "string") {
    try {
      parseIsoDuration(duration)
      return undefined
    } catch (e) {
      return (e as Error).message
    }
  }
  if (typeof duration === "object" && duration !== null && "workingDays" in duration) {
    const n = (duration as { workingDays: unknown }).workingDays
    return Number.isInteger(n) && (n as number) >= 0 ? undefined : `workingDays must be a whole number ≥ 0, got ${String(n)}`
  }
  if (typeof duration === "object" && duration !== null && "calendarDays" in duration) {
    const n = (duration as { calendarDays: unknown }).calendarDays
    return Number.isInteger(n) && (n as number) >= 1 ? undefined : `calendarDays must be a whole number ≥ 1, got ${String(n)}`
  }
  return `a duration is an ISO 8601 string, { workingDays: n } or { calendarDays: n }, got ${JSON.stringify(duration)}`
}


const checked = new WeakSet<Calendar>()
function checkCalendar(calendar: Calendar): void {
  if (checked.has(calendar)) return
  const problems = calendarProblems(calendar)
  if (problems.length) throw new RangeError(`bad calendar: ${problems.join("; ")}`)
  checked.add(calendar)
}

/** Ten years of days: a calendar with no working day in that span is broken, not slow. */
const MAX_DAYS = 3660

function firstWorkingDayFrom(day: LocalDate, calendar: Calendar): LocalDate {
  for (let i = 0; i <= MAX_DAYS; i++) {
    if (!isDayOff(day, calendar)) return day
    day = nextDay(day)
  }
  throw new RangeError("the calendar has no working day within ten years")
}

/**
 * When a deadline falls, and the years it was counted over that the calendar
 * does not know for sure (`gaps`: the deadline is provisional, tạm tính).
 */
export interface DueDetails {
  readonly at: Date
  readonly gaps: ReadonlyArray<CalendarGap>
}

/**
 * When a deadline of `duration` started at `from` falls, with the calendar
 * gaps it was counted over (see {@link dueAt} for how each kind counts).
 * Elapsed durations read no calendar, so they have no gaps.
 *
 * @example
 * // A plan created on Monday 8 February 2027 (mùng 3 Tết), before the 2027 decision is known:
 * dueDetails({ workingDays: 15 }, new Date("2027-02-08T02:00:00Z"), vietnam)
 * // { at: 2027-03-04T10:00:00Z, gaps: [{ year: 2027, reason: "no-yearly-decision" }] }
 */
export function dueDetails(duration: Duration, from: Date, calendar: Calendar = defaultCalendar): DueDetails {
  if (typeof duration === "string") return { at: new Date(from.getTime() + parseIsoDuration(duration)), gaps: [] }
  const problem = durationProblem(duration)
  if (problem) throw new RangeError(problem)
  checkCalendar(calendar)
  const timeZone = calendar.timeZone ?? defaultCalendar.timeZone
  const endOfDay = calendar.endOfDay ?? defaultCalendar.endOfDay
  const received = localDateOf(from, timeZone)
  const done = (day: LocalDate, hhmm: string, countedFrom: LocalDate = received): DueDetails => ({
    at: instantAt(day, hhmm, timeZone),
    gaps: calendarGaps(calendar, countedFrom, day),
  })
  if ("calendarDays" in duration) {
    let last = received
    for (let i = 0; i < duration.calendarDays; i++) last = nextDay(last)
    // A period ending on a day off ends with the next working day, at midnight (Bộ luật Dân sự 2015, Điều 148).
    return done(firstWorkingDayFrom(last, calendar), "24:00", last)
  }
  if (duration.workingDays === 0) {
    const today = firstWorkingDayFrom(received, calendar)
    const end = instantAt(today, endOfDay, timeZone)
    return end.getTime() >= from.getTime() ? done(today, endOfDay) : done(firstWorkingDayFrom(nextDay(today), calendar), endOfDay)
  }
  let day = received
  let remaining = duration.workingDays
  let daysOff = 0
  while (remaining > 0) {
    day = nextDay(day)
    if (!isDayOff(day, calendar)) {
      remaining--
      daysOff = 0
    } else if (++daysOff > MAX_DAYS) {
      throw new RangeError("the calendar has no working day within ten years")
    }
  }
  return done(day, endOfDay)
}

/**
 * When a deadline of `duration` started at `from` falls.
 *
 * - An ISO 8601 duration is elapsed time: `"PT1H"` is one hour after `from`,
 *   whatever the calendar says (`"P1D"` is 24 hours).
 * - `{ workingDays: n }` (n ≥ 1) follows the way Vietnamese law counts a
 *   period in days (Bộ luật Dân sự 2015, articles 147–148): the day of receipt
 *   is not counted, only working days are counted after it, and the period
 *   ends at the calendar's end of day (`17:00` by default) of the n-th working
 *   day, in the calendar's time zone. Received on Friday (or Saturday, or on
 *   Mùng 1 Tết), 1 working day ends on the next working day at 17:00.
 * - `{ workingDays: 0 }` means "within the day of receipt": the end of the
 *   local day of `from` if it is a working day whose end has not passed, else
 *   the end of the next working day. It never falls before `from`.
 * - `{ calendarDays: n }` counts every day after the day of receipt and ends
 *   at midnight (24:00) after the n-th; when that day is a day off, the period
 *   ends with the next working day (Bộ luật Dân sự 2015, article 148).
 *
 * The local day of `from` is taken in the calendar's zone, so 01:00 on a
 * Friday in Hà Nội is a Friday receipt even though it is still Thursday in UTC.
 *
 * @example
 * // Friday 10:00 in Hà Nội, 1 working day → Monday 17:00 local (10:00 UTC)
 * dueAt({ workingDays: 1 }, new Date("2025-03-07T03:00:00Z"), defaultCalendar)
 */
export function dueAt(duration: Duration, from: Date, calendar: Calendar = defaultCalendar): Date {
  return dueDetails(duration, from, calendar).at
}
