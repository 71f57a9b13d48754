import type { LocalDate } from "./calendar.js"

/**
 * The Vietnamese lunisolar calendar (âm lịch), computed astronomically for
 * the meridian of UTC+7. A lunar month starts on the local day of a new moon;
 * month 11 is the one holding the winter solstice; in a year of 13 months the
 * first month without a major solar term (trung khí) is the leap month. The
 * rules are China's, but the day a new moon or a solar term falls on depends
 * on the meridian, so Vietnam's calendar differs from China's (UTC+8) in some
 * years: Tết 1985 was 21 January in Vietnam and 20 February in China.
 *
 * New moons and the sun's longitude use the low-precision series of Meeus'
 * astronomical formulae (errors of minutes between 1800 and 2200), which is
 * how Vietnamese printed calendars have been computed since 1968.
 */

/** A date of the lunar calendar: lunar year, month 1–12, day 1–30, and whether the month is a leap month (tháng nhuận). */
export interface LunarDate {
  readonly year: number
  readonly month: number
  readonly day: number
  readonly leap: boolean
}

/** The years this implementation is checked for; outside them a calendar built on it is not trusted. */
export const lunarYears = { from: 1900, to: 2199 } as const

/** Vietnam's offset from UTC in hours since 1968 (the calendar before 1968 used UTC+8 in the North). */
const VIETNAM_OFFSET_HOURS = 7
const SYNODIC_MONTH = 29.530588853
const RAD = Math.PI / 180

/** Julian day number of a Gregorian date. */
export function julianDay(d: LocalDate): number {
  const a = Math.floor((14 - d.month) / 12)
  const y = d.year + 4800 - a
  const m = d.month + 12 * a - 3
  return d.day + Math.floor((153 * m + 2) / 5) + 365 * y + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) - 32045
}

/** The Gregorian date of a Julian day number. */
export function fromJulianDay(jd: number): LocalDate {
  const a = jd + 32044
  const b = Math.floor((4 * a + 3) / 146097)
  const c = a - Math.floor((146097 * b) / 4)
  const d = Math.floor((4 * c + 3) / 1461)
  const e = c - Math.floor((1461 * d) / 4)
  const m = Math.floor((5 * e + 2) / 153)
  return { day: e - Math.floor((153 * m + 2) / 5) + 1, month: m + 3 - 12 * Math.floor(m / 10), year: 100 * b + d - 4800 + Math.floor(m / 10) }
}

/** Julian ephemeris day of the k-th new moon after 1 January 1900 (Meeus, phases of the moon). */
function newMoon(k: number): number {
  const t = k / 1236.85
  const t2 = t * t
  const t3 = t2 * t
  let jd = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
  jd += 0.00033 * Math.sin((166.56 + 132.87 * t - 0.009173 * t2) * RAD)
  const m = (359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3) * RAD // the sun's mean anomaly
  const mp = (306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3) * RAD // the moon's mean anomaly
  const f = (21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3) * RAD // the moon's argument of latitude
  let c = (0.1734 - 0.000393 * t) * Math.sin(m) + 0.0021 * Math.sin(2 * m)
  c += -0.4068 * Math.sin(mp) + 0.0161 * Math.sin(2 * mp) - 0.0004 * Math.sin(3 * mp)
  c += 0.0104 * Math.sin(2 * f) - 0.0051 * Math.sin(m + mp) - 0.0074 * Math.sin(m - mp)
  c += 0.0004 * Math.sin(2 * f + m) - 0.0004 * Math.sin(2 * f - m) - 0.0006 * Math.sin(2 * f + mp)
  c += 0.001 * Math.sin(2 * f - mp) + 0.0005 * Math.sin(m + 2 * mp)
  // ΔT (ephemeris minus universal time), in days.
  const deltaT = t < -11 ? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3 : -0.000278 + 0.000265 * t + 0.000262 * t2
  return jd + c - deltaT
}

/** The local Julian day number on which the k-th new moon falls at UTC+`offset`. */
function newMoonDay(k: number, offset: number): number {
  return Math.floor(newMoon(k) + 0.5 + offset / 24)
}

/** The sun's apparent longitude at local midnight starting Julian day `jdn`, as the index 0–11 of its 30° sector. */
function sunSector(jdn: number, offset: number): number {
  const t = (jdn - 2451545.5 - offset / 24) / 36525
  const t2 = t * t
  const m = (357.5291 + 35999.0503 * t - 0.0001559 * t2 - 0.00000048 * t * t2) * RAD
  const l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
  const dl = (1.9146 - 0.004817 * t - 0.000014 * t2) * Math.sin(m) + (0.019993 - 0.000101 * t) * Math.sin(2 * m) + 0.00029 * Math.sin(3 * m)
  let l = (l0 + dl) * RAD
  l -= 2 * Math.PI * Math.floor(l / (2 * Math.PI))
  return Math.floor((l / Math.PI) * 6)
}

/** The local Julian day on which lunar month 11 of `year` starts (the month holding the winter solstice). */
function month11(year: number, offset: number): number {
  const off = julianDay({ year, month: 12, day: 31 }) - 2415021
  const k = Math.floor(off / SYNODIC_MONTH)
  const nm = newMoonDay(k, offset)
  // A new moon past 270° of longitude starts a month after the solstice.
  return sunSector(nm, offset) >= 9 ? newMoonDay(k - 1, offset) : nm
}

/** In a 13-month year starting at month 11 `a11`, how many months after it the leap month comes. */
function leapMonthOffset(a11: number, offset: number): number {
  const k = Math.floor((a11 - 2415021.076998695) / SYNODIC_MONTH + 0.5)
  let i = 1
  let arc = sunSector(newMoonDay(k + i, offset), offset)
  let last: number
  do {
    last = arc
    i++
    arc = sunSector(newMoonDay(k + i, offset), offset)
  } while (arc !== last && i < 14)
  return i - 1
}

/**
 * The Gregorian date of a lunar date, for Vietnam (UTC+7) unless `offsetHours`
 * says otherwise; undefined when the date does not exist (a leap month the year
 * does not have, day 30 of a 29-day month).
 *
 * @example
 * solarDateOfLunar({ year: 2027, month: 1, day: 1, leap: false }) // { year: 2027, month: 2, day: 6 }: Tết Đinh Mùi
 * solarDateOfLunar({ year: 1985, month: 1, day: 1, leap: false }) // { year: 1985, month: 1, day: 21 }; China's was 20 February
 */
export function solarDateOfLunar(date: LunarDate, offsetHours: number = VIETNAM_OFFSET_HOURS): LocalDate | undefined {
  const { year, month, day, leap } = date
  if (!Number.isInteger(month) || month < 1 || month > 12 || !Number.isInteger(day) || day < 1 || day > 30) return undefined
  const [a11, b11] = month < 11 ? [month11(year - 1, offsetHours), month11(year, offsetHours)] : [month11(year, offsetHours), month11(year + 1, offsetHours)]
  const k = Math.floor(0.5 + (a11 - 2415021.076998695) / SYNODIC_MONTH)
  let off = (month - 11 + 12) % 12
  if (b11 - a11 > 365) {
    const leapOff = leapMonthOffset(a11, offsetHours)
    const leapMonth = (leapOff - 2 + 12) % 12
    if (leap && month !== leapMonth) return undefined
    if (leap || off >= leapOff) off += 1
  } else if (leap) {
    return undefined
  }
  const start = newMoonDay(k + off, offsetHours)
  if (start + day - 1 >= newMoonDay(k + off + 1, offsetHours)) return undefined
  return fromJulianDay(start + day - 1)
}

/**
 * The lunar date of a Gregorian date, for Vietnam (UTC+7) unless `offsetHours` says otherwise.
 *
 * @example
 * lunarDateOf({ year: 2025, month: 4, day: 7 }) // { year: 2025, month: 3, day: 10, leap: false }: Giỗ Tổ Hùng Vương
 */
export function lunarDateOf(date: LocalDate, offsetHours: number = VIETNAM_OFFSET_HOURS): LunarDate {
  const jd = julianDay(date)
  const k = Math.floor((jd - 2415021.076998695) / SYNODIC_MONTH)
  let start = newMoonDay(k + 1, offsetHours)
  if (start > jd) start = newMoonDay(k, offsetHours)
  let a11 = month11(date.year, offsetHours)
  let b11 = a11
  let year: number
  if (a11 >= start) {
    year = date.year
    a11 = month11(date.year - 1, offsetHours)
  } else {
    year = date.year + 1
    b11 = month11(date.year + 1, offsetHours)
  }
  const day = jd - start + 1
  const diff = Math.floor((start - a11) / 29)
  let leap = false
  let month = diff + 11
  if (b11 - a11 > 365) {
    const leapDiff = leapMonthOffset(a11, offsetHours)
    if (diff >= leapDiff) {
      month = diff + 10
      if (diff === leapDiff) leap = true
    }
  }
  if (month > 12) month -= 12
  if (month >= 11 && diff < 4) year -= 1
  return { year, month, day, leap }
}
