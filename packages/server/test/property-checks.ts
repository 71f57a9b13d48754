import { type Engine, errorCodes } from "@civicase/core"
import { sql } from "kysely"

/**
 * Runs of each property: `FUZZ_RUNS` when set (a longer run), else the CI
 * default given.
 *
 * @example
 * fc.assert(property, { numRuns: fuzzRuns(1000) })
 */
export function fuzzRuns(ciDefault: number): number {
  const n = Number(process.env.FUZZ_RUNS)
  return Number.isInteger(n) && n > 0 ? n : ciDefault
}

/**
 * A test timeout for `runs` runs of a property whose run takes up to `msPerRun`
 * on a loaded machine: the runs are what is fixed, not the time.
 *
 * @example
 * it("…", async () => { … }, timeoutFor(fuzzRuns(1500), 100))
 */
export function timeoutFor(runs: number, msPerRun: number): number {
  return 60_000 + runs * msPerRun
}

/** An answer as `app.inject()` gives it. */
export interface Answer {
  readonly statusCode: number
  readonly headers: Record<string, unknown>
  readonly body: string
}

/**
 * What is wrong with one answer, or an empty list: no 5xx but 503; every
 * error a problem document (`application/problem+json`) with a registered
 * code whose status is the one answered, and the request id of the header;
 * every answer with the request id and the security headers.
 *
 * @example
 * expect(answerProblems("GET", res)).toEqual([])
 */
export function answerProblems(method: string, res: Answer): string[] {
  const out: string[] = []
  const status = res.statusCode
  if (status >= 500 && status !== 503) out.push(`a ${status}: ${res.body.slice(0, 300)}`)
  if (typeof res.headers["x-request-id"] !== "string") out.push("no x-request-id")
  if (res.headers["x-content-type-options"] !== "nosniff") out.push("no security headers")
  if (status < 400) return out
  if (!/^application\/problem\+json/.test(String(res.headers["content-type"]))) out.push(`a ${status} as ${String(res.headers["content-type"])}`)
  if (method === "HEAD") return out
  let problem: { code?: string; status?: number; requestId?: string }
  try {
    problem = JSON.parse(res.body)
  } catch {
    return [...out, `a ${status} whose body is not JSON: ${res.body.slice(0, 200)}`]
  }
  const code = problem.code ?? ""
  if (!Object.hasOwn(errorCodes, code)) out.push(`unregistered code ${code}`)
  else if (errorCodes[code as keyof typeof errorCodes].status !== status || problem.status !== status) out.push(`${code} answered as ${status} (problem.status ${problem.status})`)
  if (problem.requestId !== res.headers["x-request-id"]) out.push("problem.requestId differs from x-request-id")
  return out
}

/**
 * What a refused request must leave as it was, summed so that checking it
 * after every request stays cheap: the number of cases and the sum of their
 * revs, the history, timer and outbox rows. Every write the engine makes
 * adds a history row and bumps a rev, so any write shows here.
 *
 * @example
 * const before = await storedState(engine)
 * // … a request answered 4xx …
 * expect(await storedState(engine)).toBe(before)
 */
export async function storedState(engine: Engine): Promise<string> {
  const { rows } = await sql<{ state: string }>`select concat_ws('|',
      (select count(*) from civicase_cases), (select coalesce(sum(rev), 0) from civicase_cases),
      (select count(*) from civicase_history), (select count(*) from civicase_timers), (select count(*) from civicase_outbox)) as state`.execute(engine.db)
  return rows[0]!.state
}
