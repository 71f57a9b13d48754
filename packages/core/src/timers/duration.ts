/**
 * A deadline's length: an ISO 8601 duration (`"PT1H"`, `"P3D"`, `"P1DT12H"`) in
 * elapsed time, or a count of working days (ngày làm việc) on the province calendar.
 *
 * @example
 * const triage: Duration = "PT1H"
 * const review: Duration = { workingDays: 5 }
 */
export type Duration = string | { readonly workingDays: number }

/**
 * The working-day calendar of a province: its time zone, weekly days off and
 * dated public holidays (Tết, 30/4, 1/5, 2/9, …).
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
  /** Local time at which a working-day deadline falls; default `17:00`. */
  readonly endOfDay?: string
}

/** The calendar used when a workflow names none: Vietnam, weekends off, no holidays. */
export const defaultCalendar: Required<Calendar> = {
  timeZone: "Asia/Ho_Chi_Minh",
  weekend: [0, 6],
  holidays: [],
  endOfDay: "17:00",
}

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
  return `a duration is an ISO 8601 string or { workingDays: n }, got ${JSON.stringify(duration)}`
}

interface LocalDate {
  readonly year: number
  readonly month: number
  readonly day: number
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

function localDate(at: Date, timeZone: string): LocalDate {
  const shifted = new Date(at.getTime() + zoneOffset(at, timeZone))
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() }
}

/** The instant at local wall time `hh:mm` on `date` in `timeZone`. */
function instantAt(date: LocalDate, hhmm: string, timeZone: string): Date {
  const [hh, mm] = hhmm.split(":").map(Number)
  const guess = Date.UTC(date.year, date.month - 1, date.day, hh ?? 0, mm ?? 0)
  // Two passes settle the offset even on a day whose offset changes.
  let at = guess - zoneOffset(new Date(guess), timeZone)
  at = guess - zoneOffset(new Date(at), timeZone)
  return new Date(at)
}

function nextDay(d: LocalDate): LocalDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + 1))
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() }
}

function iso(d: LocalDate): string {
  return `${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`
}

/** True when `date` (local `YYYY-MM-DD`) is a working day on `calendar`. */
export function isWorkingDay(date: string, calendar: Calendar = defaultCalendar): boolean {
  const weekend = calendar.weekend ?? defaultCalendar.weekend
  const [y, m, d] = date.split("-").map(Number)
  const dow = new Date(Date.UTC(y!, m! - 1, d!)).getUTCDay()
  return !weekend.includes(dow) && !(calendar.holidays ?? []).includes(date)
}

/**
 * When a deadline of `duration` started at `from` falls. Elapsed durations add
 * time; `{ workingDays: n }` falls at the calendar's end of day on the n-th
 * working day after the local day of `from` (0 means the end of today's working
 * day, or of the next working day when today is off).
 *
 * @example
 * // Friday 10:00 in Hà Nội, 1 working day → Monday 17:00 local
 * dueAt({ workingDays: 1 }, new Date("2025-03-07T03:00:00Z"), defaultCalendar)
 */
export function dueAt(duration: Duration, from: Date, calendar: Calendar = defaultCalendar): Date {
  if (typeof duration === "string") return new Date(from.getTime() + parseIsoDuration(duration))
  const problem = durationProblem(duration)
  if (problem) throw new RangeError(problem)
  const timeZone = calendar.timeZone ?? defaultCalendar.timeZone
  let day = localDate(from, timeZone)
  let remaining = duration.workingDays
  if (remaining === 0) {
    while (!isWorkingDay(iso(day), calendar)) day = nextDay(day)
  }
  let guard = 0
  while (remaining > 0) {
    day = nextDay(day)
    if (isWorkingDay(iso(day), calendar)) remaining--
    if (++guard > 3660) throw new RangeError("the calendar has no working day within ten years")
  }
  return instantAt(day, calendar.endOfDay ?? defaultCalendar.endOfDay, timeZone)
}
