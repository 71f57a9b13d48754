import { EdxmlError } from "./errors.js"

/**
 * A calendar date, `YYYY-MM-DD` (ngày ban hành, hạn xử lý). edXML dates carry
 * no time and no zone: they are dates as read in Vietnam.
 *
 * @example
 * const promulgated: EdxmlDate = "2024-06-18"
 */
export type EdxmlDate = string

// Vietnam keeps UTC+7 all year (no daylight saving since 1975), so a fixed offset is exact.
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const EDXML_DATE = /^(\d{4})\/(\d{2})\/(\d{2})$/
const EDXML_TIMESTAMP = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})$/

function isCalendarDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d))
  return y >= 1900 && y <= 9999 && t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0")

/**
 * The calendar date in Vietnam at an instant: what to put in
 * `PromulgationDate` for a decision signed "now".
 *
 * @example
 * vietnamDate(new Date("2024-06-18T18:30:00Z")) // "2024-06-19" (01:30 in Hà Nội)
 */
export function vietnamDate(instant: Date): EdxmlDate {
  const t = new Date(instant.getTime() + VIETNAM_OFFSET_MS)
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`
}

/** `2024-06-18` → `2024/06/18`, refusing anything that is not a real calendar date. */
export function writeEdxmlDate(value: unknown, path: string): string {
  const m = typeof value === "string" ? ISO_DATE.exec(value) : null
  if (!m || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw new EdxmlError("CIVICASE_E_EDXML_INVALID_VALUE", path, `must be a calendar date YYYY-MM-DD, got ${JSON.stringify(value)}`)
  }
  return `${m[1]}/${m[2]}/${m[3]}`
}

/** `2024/06/18` → `2024-06-18`, the standard's date form (yyyy/MM/dd) and no other. */
export function readEdxmlDate(text: string, path: string): EdxmlDate {
  const m = EDXML_DATE.exec(text.trim())
  if (!m || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw new EdxmlError("CIVICASE_E_EDXML_INVALID_VALUE", path, `must be a date yyyy/MM/dd, got ${JSON.stringify(text)}`)
  }
  return `${m[1]}-${m[2]}-${m[3]}`
}

/** An instant as the standard writes it: `yyyy/MM/dd HH:mm:ss`, Vietnam local time (milliseconds are dropped). */
export function writeEdxmlTimestamp(value: unknown, path: string): string {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new EdxmlError("CIVICASE_E_EDXML_INVALID_VALUE", path, "must be a valid Date")
  }
  const t = new Date(value.getTime() + VIETNAM_OFFSET_MS)
  if (t.getUTCFullYear() < 1900 || t.getUTCFullYear() > 9999) {
    throw new EdxmlError("CIVICASE_E_EDXML_INVALID_VALUE", path, "must be between the years 1900 and 9999")
  }
  return `${pad(t.getUTCFullYear(), 4)}/${pad(t.getUTCMonth() + 1)}/${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`
}

/** `2024/06/18 09:30:00` (Vietnam local time) → the instant. */
export function readEdxmlTimestamp(text: string, path: string): Date {
  const m = EDXML_TIMESTAMP.exec(text.trim())
  const [y, mo, d, h, mi, s] = m ? m.slice(1).map(Number) : []
  if (!m || !isCalendarDate(y!, mo!, d!) || h! > 23 || mi! > 59 || s! > 59) {
    throw new EdxmlError("CIVICASE_E_EDXML_INVALID_VALUE", path, `must be a time yyyy/MM/dd HH:mm:ss (Vietnam time), got ${JSON.stringify(text)}`)
  }
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) - VIETNAM_OFFSET_MS)
}
