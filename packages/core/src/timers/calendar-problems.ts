import { type Calendar, defaultCalendar, type HolidayRule, parseLocalDate } from "./calendar.js"

const TIME = /^([01]\d|2[0-4]):([0-5]\d)$/
const MONTH_DAY = /^(\d{2})-(\d{2})$/
const YEAR = /^\d{4}$/

function zoneProblem(timeZone: string): string | undefined {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone })
    return undefined
  } catch {
    return `timeZone "${timeZone}" is not an IANA time zone such as Asia/Ho_Chi_Minh`
  }
}

/** A solar `MM-DD` that exists in a leap year (02-29 passes, 02-30 does not). */
function isSolarDay(text: string): boolean {
  return MONTH_DAY.test(text) && parseLocalDate(`2024-${text}`) !== undefined
}

/** A lunar `MM-DD`: month 1–12, day 1–30 (whether day 30 exists depends on the year). */
function isLunarDay(text: string): boolean {
  const m = MONTH_DAY.exec(text)
  return !!m && Number(m[1]) >= 1 && Number(m[1]) <= 12 && Number(m[2]) >= 1 && Number(m[2]) <= 30
}

function ruleProblems(rule: HolidayRule, at: string): string[] {
  const problems: string[] = []
  if (typeof rule !== "object" || rule === null) return [`${at} must be an object`]
  if ((rule.solar === undefined) === (rule.lunar === undefined)) problems.push(`${at} must give exactly one of solar or lunar`)
  if (rule.solar !== undefined && !isSolarDay(String(rule.solar))) problems.push(`${at}.solar ${JSON.stringify(rule.solar)} is not a day MM-DD`)
  if (rule.lunar !== undefined && !isLunarDay(String(rule.lunar))) problems.push(`${at}.lunar ${JSON.stringify(rule.lunar)} is not a lunar day MM-DD (month 01–12, day 01–30)`)
  if (rule.offset !== undefined && (!Number.isInteger(rule.offset) || Math.abs(rule.offset) > 30)) problems.push(`${at}.offset must be a whole number of days from -30 to 30, got ${JSON.stringify(rule.offset)}`)
  if (rule.days !== undefined && (!Number.isInteger(rule.days) || rule.days < 1 || rule.days > 30)) problems.push(`${at}.days must be a whole number from 1 to 30, got ${JSON.stringify(rule.days)}`)
  return problems
}

function yearProblems(calendar: Calendar): string[] {
  const problems: string[] = []
  for (const [year, decision] of Object.entries(calendar.years ?? {})) {
    const at = `years.${year}`
    if (!YEAR.test(year)) {
      problems.push(`${at}: the key must be a year YYYY`)
      continue
    }
    const seen = new Map<string, string>()
    for (const list of ["daysOff", "workingDays"] as const) {
      ;(decision?.[list] ?? []).forEach((d, i) => {
        if (typeof d !== "string" || !parseLocalDate(d)) problems.push(`${at}.${list}[${i}] ${JSON.stringify(d)} is not a date YYYY-MM-DD`)
        else if (!d.startsWith(`${year}-`)) problems.push(`${at}.${list}[${i}] "${d}" is not in ${year}`)
        else if (seen.has(d)) problems.push(`${at}.${list}[${i}] "${d}" is also in ${seen.get(d)}`)
        else seen.set(d, `${at}.${list}`)
      })
    }
  }
  return problems
}

/**
 * Checks a calendar's shape; returns every problem, each naming the bad value
 * (empty when the calendar is sound). Workflow definitions and province
 * configurations call it so a typo fails at start, not when a deadline is set.
 *
 * @example
 * calendarProblems({ holidays: ["2025-02-30"] }) // ['holidays[0] "2025-02-30" is not a date YYYY-MM-DD']
 * calendarProblems({ rules: [{ lunar: "13-01" }] }) // ['rules[0].lunar "13-01" is not a lunar day MM-DD (month 01–12, day 01–30)']
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
  ;(calendar.rules ?? []).forEach((rule, i) => problems.push(...ruleProblems(rule, `rules[${i}]`)))
  if (calendar.compensation !== undefined && calendar.compensation !== "none" && calendar.compensation !== "next-working-day") {
    problems.push(`compensation must be "none" or "next-working-day", got ${JSON.stringify(calendar.compensation)}`)
  }
  problems.push(...yearProblems(calendar))
  return problems
}
