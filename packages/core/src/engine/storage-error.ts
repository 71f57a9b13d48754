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
