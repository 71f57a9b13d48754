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

/** A lost or refused connection as `StorageError` (kind `connection`); anything else as it is. */
function asOutage(e: unknown): unknown {
  return !isCivicaseError(e) && classifyDatabaseError(e).kind === "connection" ? new StorageError("connection", e) : e
}

/**
 * Wraps, in place, every method of `methods` that returns a promise, so that
 * a lost or refused database connection rejects with `StorageError` (kind
 * `connection`, HTTP 503) from whichever query it escaped (a list, a
 * verification, a plugin's own query), not with the driver's error. Other
 * errors pass unchanged: a bug stays a bug.
 *
 * @example
 * for (const methods of [engine, engine.reports, engine.outbox]) guardOutages(methods)
 */
export function guardOutages(methods: object): void {
  const guarded = Object.entries(methods).flatMap(([key, method]: [string, unknown]) =>
    typeof method === "function"
      ? [
          [
            key,
            (...args: unknown[]) => {
              const result: unknown = method.apply(methods, args)
              return result instanceof Promise
                ? result.catch((e: unknown) => {
                    throw asOutage(e)
                  })
                : result
            },
          ] as const,
        ]
      : [],
  )
  Object.assign(methods, Object.fromEntries(guarded))
}
