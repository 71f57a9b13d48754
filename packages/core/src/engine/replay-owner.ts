import type { Actor } from "../actor.js"
import { ValidationError } from "../errors/errors.js"
import type { LoadedCase } from "../storage/case-store.js"

/**
 * Refuses a repeated idempotency key that this call cannot replay: the key
 * was first used by another actor, or for another event (or activity) type.
 * The key is unique per case, so nothing of this call was applied
 * (`ValidationError` on `/idempotencyKey`, naming the call as `what`).
 *
 * @example
 * if (row.replay_rev !== null) { checkReplayOwner(row, "APPROVE", actor, "event"); return replayed(row) }
 */
export function checkReplayOwner(row: LoadedCase, type: string, actor: Actor, what: string): void {
  if (row.replay_actor !== actor.id) {
    throw new ValidationError([{ path: "/idempotencyKey", message: "was already used on this case by another actor; use a key of your own" }], what)
  }
  if (row.replay_type !== type) {
    throw new ValidationError([{ path: "/idempotencyKey", message: `was already used on this case for a ${row.replay_type} event, not ${type}` }], what)
  }
}
