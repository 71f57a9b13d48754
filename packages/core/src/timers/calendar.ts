/**
 * The working-day calendar of a province (lịch làm việc): its time zone, weekly
 * days off and dated public holidays (Tết, 30/4, 1/5, 2/9, …, including the
 * weekdays the Government swaps into a holiday block).
 *
 * @example
 * const vn: Calendar = { timeZone: "Asia/Ho_Chi_Minh", weekend: [0, 6], holidays: ["2025-01-29"], endOfDay: "17:00" }
 */
export interface Calendar {
  /** IANA zone; default `Asia/Ho_Chi_Minh`. */
  readonly timeZone?: string
  /** Days off each week, 0 = Sunday … 6 = Saturday; default Saturday and Sunday. */
  readonly weekend?: ReadonlyArray<number>
  /** Public holidays as local dates `YYYY-MM-DD`. */
  readonly holidays?: ReadonlyArray<string>
  /** Local time `HH:MM` at which a working-day deadline falls; default `17:00` (`24:00` is the end of the day). */
  readonly endOfDay?: string
}

/**
 * The calendar used when a workflow names none: Vietnam, Saturday and Sunday
 * off, no holidays, deadlines at 17:00.
 *
 * @example
 * const calendar: Calendar = { ...defaultCalendar, holidays: ["2025-04-30", "2025-05-01"] }
 */
export const defaultCalendar: Required<Calendar> = {
  timeZone: "Asia/Ho_Chi_Minh",
  weekend: [0, 6],
  holidays: [],
  endOfDay: "17:00",
}

/** A day on a calendar, without time or zone. */
export interface LocalDate {
  readonly year: number
  readonly month: number
  readonly day: number
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const TIME = /^([01]\d|2[0-4]):([0-5]\d)$/

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

function zoneProblem(timeZone: string): string | undefined {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone })
    return undefined
  } catch {
    return `timeZone "${timeZone}" is not an IANA time zone such as Asia/Ho_Chi_Minh`
  }
}

/**
 * Checks a calendar's shape; returns every problem, each naming the bad value
 * (empty when the calendar is sound). Workflow definitions and province
 * configurations call it so a typo fails at start, not when a deadline is set.
 *
 * @example
 * calendarProblems({ holidays: ["2025-02-30"] }) // ['holidays[0] "2025-02-30" is not a date YYYY-MM-DD']
 */
export function calendarProblems(calendar: Calendar): string[] {
  const problems: string[] = []
  if (calendar.timeZone !== undefined) {
    const p = zoneProblem(String(calendar.timeZone))
    if (p) problems.push(p)
  }
  const weekend = calendar.weekend ?? defaultCalendar.weekend
  weekend.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 0 || d > 6) problems.push(`weekend[${i}] must be a day 0 (Sunday) to 6 (Saturday), got ${JSON.stringify(d)}`)
  })
  if (new Set(weekend).size >= 7) problems.push("weekend covers all seven days: no day would be a working day")
  ;(calendar.holidays ?? []).forEach((h, i) => {
    if (typeof h !== "string" || !parseLocalDate(h)) problems.push(`holidays[${i}] ${JSON.stringify(h)} is not a date YYYY-MM-DD`)
  })
  if (calendar.endOfDay !== undefined) {
    const m = TIME.exec(String(calendar.endOfDay))
    if (!m || (m[1] === "24" && m[2] !== "00")) problems.push(`endOfDay ${JSON.stringify(calendar.endOfDay)} is not a local time HH:MM (00:00 to 24:00)`)
  }
  return problems
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

/** The local date of instant `at` in `timeZone`. */
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

/**
 * True when `date` (local `YYYY-MM-DD`) is a working day (ngày làm việc) on
 * `calendar`: not a weekly day off and not a listed holiday.
 *
 * @example
 * isWorkingDay("2025-01-29", { holidays: ["2025-01-29"] }) // false: Mùng 1 Tết
 * isWorkingDay("2025-03-08") // false: a Saturday
 */
export function isWorkingDay(date: string, calendar: Calendar = defaultCalendar): boolean {
  const d = parseLocalDate(date)
  if (!d) throw new RangeError(`"${date}" is not a date YYYY-MM-DD`)
  const weekend = calendar.weekend ?? defaultCalendar.weekend
  const dow = new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay()
  return !weekend.includes(dow) && !(calendar.holidays ?? []).includes(date)
}
