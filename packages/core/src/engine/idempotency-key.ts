import { ValidationError } from "../errors/errors.js"
import { unstorableText } from "../input/unstorable-text.js"

const MAX_KEY = 200

/**
 * Refuses an idempotency key that is not a string of 1 to 200 characters
 * without NUL; `what` names the call in the error (`case`, `event`).
 *
 * @example
 * checkIdempotencyKey(options.idempotencyKey, "event")
 */
export function checkIdempotencyKey(key: string | undefined, what: string): void {
  if (key !== undefined && (typeof key !== "string" || key.length === 0 || key.length > MAX_KEY)) {
    throw new ValidationError([{ path: "/idempotencyKey", message: `must be a string of 1 to ${MAX_KEY} characters` }], what)
  }
  // PostgreSQL text cannot hold NUL or a lone surrogate: refuse it here rather than fail in storage.
  const problem = key === undefined ? undefined : unstorableText(key)
  if (problem) throw new ValidationError([{ path: "/idempotencyKey", message: problem }], what)
}
