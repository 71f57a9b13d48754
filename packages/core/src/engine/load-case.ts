import type { Actor } from "../actor.js"
import { CaseNotFoundError } from "../errors/errors.js"
import { type Executor, caseStore } from "../storage/case-store.js"
import type { AccessPolicy } from "./access.js"
import { storageError } from "./storage-error.js"

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Loads a case `actor` may see (with the history rev of `idempotencyKey`, if
 * given). A malformed id, a missing case and a case the actor may not see are
 * the same `CaseNotFoundError`, so ids of other provinces' cases leak nothing.
 *
 * @example
 * const row = await loadVisible(access, db, caseId, actor)
 */
export async function loadVisible(access: AccessPolicy, executor: Executor, caseId: string, actor: Actor, idempotencyKey?: string) {
  if (typeof caseId !== "string" || !UUID.test(caseId)) throw new CaseNotFoundError(String(caseId))
  let row
  try {
    row = await caseStore.load(executor, caseId, idempotencyKey)
  } catch (e) {
    throw storageError(e)
  }
  if (!row || !access.canSee(actor, row.province, row.agencies)) throw new CaseNotFoundError(caseId)
  return row
}
