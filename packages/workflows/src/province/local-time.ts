/**
 * Converts local wall time in a province's time zone to an instant. Report
 * due dates and task due dates are local dates ("15 April"), and a deadline
 * must fall at the same local hour whatever the server's zone.
 */

function offsetAt(at: number, timeZone: string): number {
  const f = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  })
  const p = Object.fromEntries(f.formatToParts(new Date(at)).map((x) => [x.type, x.value]))
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second))
  return asUtc - Math.floor(at / 1000) * 1000
}

/**
 * The instant of local `date` (`YYYY-MM-DD`) at `time` (`HH:MM`, `24:00` allowed) in `timeZone`.
 *
 * @example
 * localInstant("2025-04-15", "17:00", "Asia/Ho_Chi_Minh").toISOString() // "2025-04-15T10:00:00.000Z"
 */
export function localInstant(date: string, time: string, timeZone: string): Date {
  const [y, m, d] = date.split("-").map(Number)
  const [hh, mm] = time.split(":").map(Number)
  const guess = Date.UTC(y!, m! - 1, d!, hh ?? 0, mm ?? 0)
  let at = guess - offsetAt(guess, timeZone)
  at = guess - offsetAt(at, timeZone)
  return new Date(at)
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
