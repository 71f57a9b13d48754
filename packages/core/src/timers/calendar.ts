import type { Label } from "../workflow/types.js"

/**
 * A public holiday computed every year from a rule (ngày nghỉ lễ, tết): a
 * solar date (`"09-02"`) or a date of the Vietnamese lunar calendar
 * (`"01-01"`, Tết; `"03-10"`, the Hùng Kings' day), and how many consecutive
 * days off start how far from it.
 *
 * @example
 * const tet: HolidayRule = { lunar: "01-01", offset: -1, days: 5, labels: { vi: "Tết Âm lịch", en: "Lunar New Year" } } // the eve and four days
 * const nationalDay: HolidayRule = { solar: "09-02", offset: -1, days: 2 } // 2/9 and the day before
 */
export interface HolidayRule {
  /** A day of the solar year, `MM-DD`. */
  readonly solar?: string
  /** A day of the Vietnamese lunar year, `MM-DD` (a regular month, never a leap one). */
  readonly lunar?: string
  /** Days from that date to the first day off (−1: the day before). Default 0. */
  readonly offset?: number
  /** Consecutive days off. Default 1. */
  readonly days?: number
  readonly labels?: Label
}

/**
 * What the government decided for one year (the Prime Minister's yearly
 * decision on the Tết and National Day days, and the notice on swapped days):
 * days off added (nghỉ bù, hoán đổi) and days that are working days whatever
 * the rules and the weekend say (ngày làm bù, such as a Saturday). It wins
 * over the rules for that year.
 *
 * @example
 * const y2025: YearDecision = { source: "Lịch nghỉ lễ 2025 của cán bộ, công chức", daysOff: ["2025-05-02"], workingDays: ["2025-04-26"] }
 */
export interface YearDecision {
  /** Where the data comes from (the decision or notice). */
  readonly source?: string
  /** Extra days off, `YYYY-MM-DD` in that year. */
  readonly daysOff?: ReadonlyArray<string>
  /** Days worked, `YYYY-MM-DD` in that year: a make-up Saturday, or a rule's day the decision moved. */
  readonly workingDays?: ReadonlyArray<string>
}

/**
 * The working-day calendar of a province (lịch làm việc): its time zone,
 * weekly days off, and its public holidays, either from rules (`rules`,
 * `compensation`, and the yearly decisions in `years`) or listed by date
 * (`holidays`, the older form, still honoured alongside the rules).
 *
 * @example
 * const vn: Calendar = {
 *   timeZone: "Asia/Ho_Chi_Minh", weekend: [0, 6], endOfDay: "17:00",
 *   rules: [{ solar: "01-01" }, { lunar: "01-01", offset: -1, days: 5 }, { lunar: "03-10" }, { solar: "04-30" }, { solar: "05-01" }, { solar: "09-02", offset: -1, days: 2 }],
 *   compensation: "next-working-day",
 *   years: { "2025": { daysOff: ["2025-01-27", "2025-05-02"], workingDays: ["2025-02-03", "2025-04-26"] } },
 * }
 */
export interface Calendar {
  /** IANA zone; default `Asia/Ho_Chi_Minh`. */
  readonly timeZone?: string
  /** Days off each week, 0 = Sunday … 6 = Saturday; default Saturday and Sunday. */
  readonly weekend?: ReadonlyArray<number>
  /** Public holidays as local dates `YYYY-MM-DD`, listed by hand (the form before `rules`). */
  readonly holidays?: ReadonlyArray<string>
  /** Local time `HH:MM` at which a working-day deadline falls; default `17:00` (`24:00` is the end of the day). */
  readonly endOfDay?: string
  /** Holidays computed each year. */
  readonly rules?: ReadonlyArray<HolidayRule>
  /**
   * `next-working-day`: a rule's holiday that falls on a weekly day off gives
   * the next working day off (nghỉ bù, Bộ luật Lao động 2019, Điều 111 khoản 3).
   * Default `none`.
   */
  readonly compensation?: "none" | "next-working-day"
  /** The yearly decisions, by year (`"2025"`). A year without one is counted on the rules alone, and flagged. */
  readonly years?: Readonly<Record<string, YearDecision>>
}

/**
 * The calendar used when a workflow names none: Vietnam, Saturday and Sunday
 * off, no holidays, deadlines at 17:00.
 *
 * @example
 * const calendar: Calendar = { ...defaultCalendar, holidays: ["2025-04-30", "2025-05-01"] }
 */
export const defaultCalendar: Required<Pick<Calendar, "timeZone" | "weekend" | "holidays" | "endOfDay">> = {
  timeZone: "Asia/Ho_Chi_Minh",
  weekend: [0, 6],
  holidays: [],
  endOfDay: "17:00",
}

/**
 * Vietnam's public holidays by rule, as Bộ luật Lao động 2019, Điều 112
 * khoản 1 gives them: 1/1; Tết, five days (here the usual eve and four days,
 * which the Prime Minister fixes each year, khoản 3); the Hùng Kings'
 * commemoration, 10/3 lunar; 30/4; 1/5; and 2/9 with one adjacent day (here
 * the day before; the yearly decision may choose the day after). Pair them with
 * `compensation: "next-working-day"` (Điều 111 khoản 3) and each year's decision.
 *
 * @example
 * const calendar: Calendar = { ...defaultCalendar, rules: vietnamPublicHolidays, compensation: "next-working-day" }
 */
export const vietnamPublicHolidays: ReadonlyArray<HolidayRule> = [
  { solar: "01-01", labels: { vi: "Tết Dương lịch", en: "New Year's Day" } },
  { lunar: "01-01", offset: -1, days: 5, labels: { vi: "Tết Âm lịch", en: "Lunar New Year (Tết)" } },
  { lunar: "03-10", labels: { vi: "Giỗ Tổ Hùng Vương", en: "Hùng Kings' Commemoration Day" } },
  { solar: "04-30", labels: { vi: "Ngày Chiến thắng", en: "Victory Day" } },
  { solar: "05-01", labels: { vi: "Ngày Quốc tế lao động", en: "International Labour Day" } },
  { solar: "09-02", offset: -1, days: 2, labels: { vi: "Quốc khánh", en: "National Day" } },
]

/** A day on a calendar, without time or zone. */
export interface LocalDate {
  readonly year: number
  readonly month: number
  readonly day: number
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/**
 * The local date of `YYYY-MM-DD`, or undefined when the text is no real date (2025-02-30).
 *
 * @example
 * parseLocalDate("2025-04-15") // { year: 2025, month: 4, day: 15 }
 */
export function parseLocalDate(text: string): LocalDate | undefined {
  const m = DATE.exec(text)
  if (!m) return undefined
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const t = new Date(Date.UTC(year, month - 1, day))
  if (t.getUTCFullYear() !== year || t.getUTCMonth() !== month - 1 || t.getUTCDate() !== day) return undefined
  return { year, month, day }
}

const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** The offset of `timeZone` from UTC at `at`, in milliseconds. */
function zoneOffset(at: Date, timeZone: string): number {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(at).map((p) => [p.type, p.value]))
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  )
  return asUtc - Math.floor(at.getTime() / 1000) * 1000
}

/**
 * The local date of instant `at` in `timeZone`.
 *
 * @example
 * localDateOf(new Date("2025-03-06T18:00:00Z"), "Asia/Ho_Chi_Minh") // { year: 2025, month: 3, day: 7 }: already Friday in Hà Nội
 */
export function localDateOf(at: Date, timeZone: string): LocalDate {
  const shifted = new Date(at.getTime() + zoneOffset(at, timeZone))
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() }
}

/**
 * The instant at local wall time `hh:mm` (`24:00` allowed) on `date` in
 * `timeZone`, with a cached formatter per zone: workflows use it for due
 * dates given as local dates ("15 April, 17:00"), whatever the server's zone.
 *
 * @example
 * instantAt(parseLocalDate("2025-04-15")!, "17:00", "Asia/Ho_Chi_Minh").toISOString() // "2025-04-15T10:00:00.000Z"
 */
export function instantAt(date: LocalDate, hhmm: string, timeZone: string): Date {
  const [hh, mm] = hhmm.split(":").map(Number)
  const guess = Date.UTC(date.year, date.month - 1, date.day, hh ?? 0, mm ?? 0)
  // Two passes settle the offset even on a day whose offset changes.
  let at = guess - zoneOffset(new Date(guess), timeZone)
  at = guess - zoneOffset(new Date(at), timeZone)
  return new Date(at)
}

/** The day after `d`. */
export function nextDay(d: LocalDate): LocalDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + 1))
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() }
}

/** `YYYY-MM-DD`. */
export function formatLocalDate(d: LocalDate): string {
  return `${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`
}
