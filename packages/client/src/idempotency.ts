import { idempotentWrites } from "./generated/idempotent-writes.js"

const templates = idempotentWrites.map(([path, method]) => ({
  method,
  // `{id}` matches one path segment.
  pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}$`),
}))

/**
 * True when the server's route for this write takes an `idempotencyKey` in
 * its JSON body (read from the OpenAPI document when the client was generated).
 *
 * @example
 * takesIdempotencyKey("POST", "/v1/cases/0b6c/events") // true
 */
export function takesIdempotencyKey(method: string, pathname: string): boolean {
  return templates.some((t) => t.method === method && t.pattern.test(pathname))
}

/**
 * The body to send for every attempt of one logical write: the caller's, with
 * a fresh `idempotencyKey` when the route takes one and the caller gave none.
 * Generated once, so every retry carries the same key and the server applies
 * the write once.
 *
 * @example
 * withIdempotencyKey('{"workflow":"plan"}') // '{"workflow":"plan","idempotencyKey":"3f0c…"}'
 */
export function withIdempotencyKey(body: string): { readonly body: string; readonly key: string | undefined } {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return { body, key: undefined }
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return { body, key: undefined }
  const given = Object.prototype.hasOwnProperty.call(parsed, "idempotencyKey") ? (parsed as { idempotencyKey?: unknown }).idempotencyKey : undefined
  if (typeof given === "string") return { body, key: given }
  const key = globalThis.crypto.randomUUID()
  return { body: JSON.stringify({ ...parsed, idempotencyKey: key }), key }
}
