import { type Engine, isCivicaseError } from "@civicase/core"

/** The first pause before trying the database again, doubled after each failure up to {@link MAX_RETRY_MS}. */
const FIRST_RETRY_MS = 1_000
const MAX_RETRY_MS = 30_000

/** True for a database that cannot be reached (refused, lost), as opposed to one that answers with an error. */
function unreachable(e: unknown): boolean {
  return isCivicaseError(e) && e.code === "CIVICASE_E_STORAGE" && (e as { kind?: unknown }).kind === "connection"
}

function reason(e: unknown): string {
  const cause = (e as { cause?: unknown }).cause
  return cause instanceof Error ? cause.message : (e as Error).message
}

/**
 * Starts the engine for `civicase serve`. When the database cannot be
 * reached, the server comes up anyway and answers 503 until it can: the
 * start is tried again in the background with backoff (1 s doubling to
 * 30 s), each attempt logged, and any request also starts the engine once
 * the database answers. A database that answers the first attempt with an
 * error (bad credentials, a failing migration) is thrown: the command exits 1.
 * Returns a function that stops retrying (on shutdown).
 *
 * @example
 * const stopRetrying = await startEngine(engine, "postgres://…@db:5432/civicase", console.log)
 */
export async function startEngine(engine: Engine, where: string, log: (line: string) => void): Promise<() => void> {
  try {
    await engine.start()
    return () => undefined
  } catch (e) {
    if (!unreachable(e)) throw e
    log(`civicase: the database ${where} cannot be reached (${reason(e)}); serving 503 until it can, retrying in ${FIRST_RETRY_MS / 1000} s`)
  }
  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = false
  const retry = (delayMs: number) => {
    timer = setTimeout(async () => {
      try {
        await engine.start()
        log(`civicase: the database ${where} answers; started`)
      } catch (e) {
        if (stopped) return
        const next = Math.min(delayMs * 2, MAX_RETRY_MS)
        log(`civicase: the database ${where} still cannot be used (${reason(e)}); retrying in ${next / 1000} s`)
        retry(next)
      }
    }, delayMs)
  }
  retry(FIRST_RETRY_MS)
  return () => {
    stopped = true
    clearTimeout(timer)
  }
}
