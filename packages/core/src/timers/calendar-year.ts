import { type Calendar, defaultCalendar, formatLocalDate, type HolidayRule, type LocalDate, parseLocalDate } from "./calendar.js"
import { ownValue } from "../input/own-value.js"
import { fromJulianDay, julianDay, lunarYears, solarDateOfLunar } from "./lunar.js"

/**
 * What a calendar knows of one year:
 * - `decided`: the year's decision is in the calendar (or, for a calendar of
 *   listed holidays only, it lists days in that year);
 * - `rules-only`: counted from the rules, no yearly decision yet (nghỉ bù and
 *   swapped days may still move);
 * - `unknown`: the calendar knows nothing of the year (its listed holidays
 *   end before it, or its lunar rules are outside the checked years);
 * - `unclaimed`: the calendar gives no holidays at all (a test calendar), so
 *   it claims nothing to be unsure of.
 */
export type YearKnowledge = "decided" | "rules-only" | "unknown" | "unclaimed"

/**
 * A year whose days off a deadline was counted over without the calendar
 * knowing them for sure, so the deadline is provisional (tạm tính):
 * `no-yearly-decision` when only the rules were known, `beyond-calendar` when
 * not even those.
 *
 * @example
 * const gap: CalendarGap = { year: 2027, reason: "no-yearly-decision" }
 */
export interface CalendarGap {
  readonly year: number
  readonly reason: "no-yearly-decision" | "beyond-calendar"
}

/** The days off of one year beyond the weekly ones, and the weekly days off worked. */
export interface CalendarYear {
  readonly year: number
  readonly knowledge: YearKnowledge
  /** Public holidays, compensatory and swapped days off (not the weekly days off), `YYYY-MM-DD`, in order. */
  readonly daysOff: ReadonlyArray<string>
  /** Weekly days off that are worked this year (ngày làm bù), in order. */
  readonly workingWeekendDays: ReadonlyArray<string>
}

interface Compiled {
  /** One flag per day of the year, by Julian day minus the first day's: 1 = a day off. */
  readonly off: Uint8Array
  readonly first: number
  readonly info: CalendarYear
}

const cache = new WeakMap<Calendar, Map<number, Compiled>>()

const dayOfWeek = (jd: number) => (jd + 1) % 7

function ruleDates(rule: HolidayRule, anchorYear: number): number[] {
  const [mm, dd] = String(rule.solar ?? rule.lunar).split("-").map(Number) as [number, number]
  let start: LocalDate | undefined
  if (rule.solar !== undefined) {
    start = parseLocalDate(`${anchorYear}-${rule.solar}`) // 02-29 exists only in leap years
  } else {
    start = solarDateOfLunar({ year: anchorYear, month: mm, day: dd, leap: false })
    // Day 30 of a 29-day month: the rule means the month's last day (the eve of Tết is 29 or 30).
    if (!start && dd === 30) {
      const d29 = solarDateOfLunar({ year: anchorYear, month: mm, day: 29, leap: false })
      start = d29
    }
  }
  if (!start) return []
  const first = julianDay(start) + (rule.offset ?? 0)
  return Array.from({ length: rule.days ?? 1 }, (_, i) => first + i)
}

function compile(calendar: Calendar, year: number): Compiled {
  const weekend = new Set(calendar.weekend ?? defaultCalendar.weekend)
  const first = julianDay({ year, month: 1, day: 1 })
  const last = julianDay({ year, month: 12, day: 31 })
  const rules = calendar.rules ?? []
  const listed = (calendar.holidays ?? []).map((h) => parseLocalDate(h)).filter((d): d is LocalDate => d !== undefined)
  const decision = ownValue(calendar.years, String(year))

  // Rule days of this year and its neighbours: an offset or a compensation can cross New Year.
  const ruled = new Set<number>()
  for (const rule of rules) for (const anchor of [year - 1, year, year + 1]) for (const jd of ruleDates(rule, anchor)) ruled.add(jd)
  const listedDays = new Set(listed.map(julianDay))
  const isOffBase = (jd: number) => weekend.has(dayOfWeek(jd)) || ruled.has(jd) || listedDays.has(jd)
  const compensations = new Set<number>()
  if (calendar.compensation === "next-working-day") {
    for (const jd of [...ruled].sort((a, b) => a - b)) {
      if (jd > last || !weekend.has(dayOfWeek(jd))) continue
      let next = jd + 1
      while (isOffBase(next) || compensations.has(next)) next++
      compensations.add(next)
    }
  }
  const off = new Uint8Array(last - first + 1)
  for (let jd = first; jd <= last; jd++) off[jd - first] = isOffBase(jd) || compensations.has(jd) ? 1 : 0
  for (const d of decision?.daysOff ?? []) {
    const p = parseLocalDate(d)
    if (p?.year === year) off[julianDay(p) - first] = 1
  }
  for (const d of decision?.workingDays ?? []) {
    const p = parseLocalDate(d)
    if (p?.year === year) off[julianDay(p) - first] = 0
  }

  const daysOff: string[] = []
  const workingWeekendDays: string[] = []
  for (let jd = first; jd <= last; jd++) {
    const weekly = weekend.has(dayOfWeek(jd))
    if (off[jd - first] && !weekly) daysOff.push(formatLocalDate(fromJulianDay(jd)))
    else if (!off[jd - first] && weekly) workingWeekendDays.push(formatLocalDate(fromJulianDay(jd)))
  }
  return { off, first, info: { year, knowledge: knowledgeOf(calendar, year, decision !== undefined, listed), daysOff, workingWeekendDays } }
}

function knowledgeOf(calendar: Calendar, year: number, decided: boolean, listed: ReadonlyArray<LocalDate>): YearKnowledge {
  const rules = calendar.rules ?? []
  if (rules.length === 0 && listed.length === 0 && Object.keys(calendar.years ?? {}).length === 0) return "unclaimed"
  if (rules.length > 0) {
    const lunar = rules.some((r) => r.lunar !== undefined)
    if (lunar && (year < lunarYears.from || year > lunarYears.to)) return "unknown"
    return decided ? "decided" : "rules-only"
  }
  return decided || listed.some((d) => d.year === year) ? "decided" : "unknown"
}

/** Years are few and calendars long-lived: one compiled year per calendar object and year, kept while the calendar is. */
function compiled(calendar: Calendar, year: number): Compiled {
  let years = cache.get(calendar)
  if (!years) cache.set(calendar, (years = new Map()))
  let c = years.get(year)
  if (!c) {
    // A runaway caller (a date ten thousand years out) must not grow the cache without bound.
    if (years.size > 400) years.clear()
    years.set(year, (c = compile(calendar, year)))
  }
  return c
}

/**
 * True when `date` is a day off on `calendar`: a weekly day off not worked
 * that year, a rule's holiday, a compensatory or swapped day, or a listed holiday.
 *
 * @example
 * isDayOff({ year: 2027, month: 2, day: 8 }, vietnam) // true: mùng 3 Tết Đinh Mùi
 */
export function isDayOff(date: LocalDate, calendar: Calendar): boolean {
  const c = compiled(calendar, date.year)
  return c.off[julianDay(date) - c.first] === 1
}

/**
 * True when `date` (local `YYYY-MM-DD`) is a working day (ngày làm việc) on
 * `calendar`: not a weekly day off (unless the year's decision makes it a
 * working day) and not a holiday.
 *
 * @example
 * isWorkingDay("2025-01-29", { holidays: ["2025-01-29"] }) // false: Mùng 1 Tết
 * isWorkingDay("2025-03-08") // false: a Saturday
 * isWorkingDay("2025-04-26", { years: { "2025": { workingDays: ["2025-04-26"] } } }) // true: a make-up Saturday
 */
export function isWorkingDay(date: string, calendar: Calendar = defaultCalendar): boolean {
  const d = parseLocalDate(date)
  if (!d) throw new RangeError(`"${date}" is not a date YYYY-MM-DD`)
  return !isDayOff(d, calendar)
}

/**
 * The days off of `year` on `calendar` beyond the weekly ones, the weekly
 * days off worked, and how sure the calendar is of them. `civicase
 * check-config` and the documentation read it; deadlines use the same data.
 *
 * @example
 * calendarYear(vietnam, 2027).daysOff // [..., "2027-02-05", …, "2027-02-11", …] (Tết with compensatory days)
 * calendarYear(vietnam, 2027).knowledge // "rules-only" until the 2027 decision is added
 */
export function calendarYear(calendar: Calendar, year: number): CalendarYear {
  return compiled(calendar, year).info
}

/**
 * The years from `from` to `to` (local dates, inclusive) the calendar does not
 * know for sure: a working-day count across them is provisional.
 *
 * @example
 * calendarGaps(vietnam, { year: 2026, month: 12, day: 20 }, { year: 2027, month: 1, day: 12 }) // [{ year: 2027, reason: "no-yearly-decision" }]
 */
export function calendarGaps(calendar: Calendar, from: LocalDate, to: LocalDate): CalendarGap[] {
  const gaps: CalendarGap[] = []
  for (let year = from.year; year <= to.year; year++) {
    const k = calendarYear(calendar, year).knowledge
    if (k === "rules-only") gaps.push({ year, reason: "no-yearly-decision" })
    else if (k === "unknown") gaps.push({ year, reason: "beyond-calendar" })
  }
  return gaps
}
