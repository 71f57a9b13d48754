/**
 * The wait a `Retry-After` header asks for, in milliseconds: delta-seconds or
 * an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable.
 *
 * @example
 * retryAfterMs("3") // 3000
 */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null) return undefined
  const text = header.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  // An HTTP date names its day and month; without letters it is neither form (Date.parse would read "-1" as a year).
  if (!/[a-z]/i.test(text)) return undefined
  const at = Date.parse(text)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}
