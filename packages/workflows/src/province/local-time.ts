/**
 * Converts local wall time in a province's time zone to an instant. Report
 * due dates and task due dates are local dates ("15 April"), and a deadline
 * must fall at the same local hour whatever the server's zone. The zone
 * arithmetic is core's (`instantAt`, one cached formatter per zone).
 */

import { instantAt } from "@civicase/core"

/**
 * The instant of local `date` (`YYYY-MM-DD`) at `time` (`HH:MM`, `24:00` allowed) in `timeZone`.
 *
 * @example
 * localInstant("2025-04-15", "17:00", "Asia/Ho_Chi_Minh").toISOString() // "2025-04-15T10:00:00.000Z"
 */
export function localInstant(date: string, time: string, timeZone: string): Date {
  const [y, m, d] = date.split("-").map(Number)
  // Normalised rather than refused: a report period due "02-29" falls on 1 March in a common year.
  const day = new Date(Date.UTC(y!, m! - 1, d!))
  if (Number.isNaN(day.getTime())) throw new RangeError(`"${date}" is not a date YYYY-MM-DD`)
  return instantAt({ year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() }, time, timeZone)
}

/**
 * The ISO 8601 duration from `now` until `instant` (zero when it has passed),
 * for deadlines that fall on a fixed date.
 *
 * @example
 * durationUntil("2025-01-06T03:00:00Z", new Date("2025-01-06T02:00:00Z")) // "PT3600S"
 */
export function durationUntil(instant: string, now: Date): string {
  const ms = new Date(instant).getTime() - now.getTime()
  return `PT${Math.max(0, Math.ceil(ms / 1000))}S`
}
