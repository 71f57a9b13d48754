import { classifyDatabaseError } from "@civicase/core"

/**
 * The last line of defence of `civicase serve` against a lost database
 * connection: an `'error'` event that a `pg` client emits with no listener
 * (a connection the server ended while it sat between owners) would
 * otherwise end the process. Every client civicase holds has a listener
 * (`postgres-pool.ts`, `postgres-listen.ts`); this catches what a library
 * in between may still let through, logs it, and keeps serving: the pool has
 * already dropped the dead client, and the next query opens a fresh one.
 * Anything that is not a lost connection still ends the process, as Node
 * would.
 *
 * @example
 * const release = guardLostConnections((line) => console.error(line))
 * // … serve …
 * release()
 */
export function guardLostConnections(log: (line: string) => void): () => void {
  const onUncaught = (error: Error) => {
    if (classifyDatabaseError(error).kind === "connection") {
      log(`civicase: a database connection was lost outside any request (${(error as { code?: string }).code ?? error.message}); serving on`)
      return
    }
    log(`civicase: uncaught exception: ${error.stack ?? error.message}`)
    process.exit(1)
  }
  process.on("uncaughtException", onUncaught)
  return () => void process.off("uncaughtException", onUncaught)
}
