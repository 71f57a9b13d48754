import { ValidationError } from "../errors/errors.js"

/**
 * An opaque page cursor: the sort key of a page's last row as base64url JSON.
 * Clients pass it back untouched; the reader checks its shape, because a
 * cursor is client input like any other.
 *
 * @example
 * const text = encodeCursor({ k: "2025-03-03T02:00:00.000Z", id })
 * decodeCursor(text, isCaseCursor, "filter") // { k, id }, or ValidationError on /cursor
 */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url")
}

/** Reads a cursor made by {@link encodeCursor}; anything else is a `ValidationError` on `/cursor` naming `what`. */
export function decodeCursor<T>(text: string, isValid: (value: unknown) => value is T, what: string): T {
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(text, "base64url").toString("utf8"))
  } catch {
    value = undefined
  }
  if (isValid(value)) return value
  throw new ValidationError([{ path: "/cursor", message: "is not a cursor returned by a previous page" }], what)
}
