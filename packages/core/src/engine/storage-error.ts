import { StorageError, isCivicaseError } from "../errors/errors.js"
import { classifyDatabaseError } from "../storage/driver.js"

/**
 * A database failure as callers see it: civicase errors pass through, anything
 * else becomes a `StorageError` with its classified kind.
 *
 * @example
 * await caseStore.insert(db, write).catch((e) => { throw storageError(e) })
 */
export function storageError(e: unknown): Error {
  if (isCivicaseError(e)) return e as unknown as Error
  return new StorageError(classifyDatabaseError(e).kind, e)
}

/**
 * Runs one engine operation so that a lost or refused database connection
 * reaches the caller as `StorageError` (kind `connection`, HTTP 503) from
 * whichever query it escaped, not as the driver's own error. Other errors
 * pass unchanged: a bug stays a bug.
 *
 * @example
 * listCases: (filter, actor) => guardOutage(() => listCases(db, access, filter, actor, now, toView))
 */
export async function guardOutage<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation()
  } catch (e) {
    if (!isCivicaseError(e) && classifyDatabaseError(e).kind === "connection") throw new StorageError("connection", e)
    throw e
  }
}
