import { takesIdempotencyKey, withIdempotencyKey } from "./idempotency.js"
import { errorOf } from "./problem-error.js"
import { retryAfterMs } from "./retry-after.js"
import { type RetryPolicy, backoffMs, sleep } from "./retry-policy.js"

/** What {@link civicaseFetch} needs. */
export interface CivicaseFetchOptions {
  readonly fetch: (request: Request) => Promise<Response>
  readonly getToken: () => Promise<string>
  readonly policy: RetryPolicy
  /** The path the API sits under (`/` or `/civicase`), stripped before matching routes. */
  readonly basePath: string
}

const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"])

/** 429 (rate limited) and 503 (database unavailable, shutting down): the server applied nothing and asks to come back. */
const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 503])

/**
 * The `fetch` the typed client runs on: for each logical request it adds the
 * bearer token (asked afresh for every attempt), gives a write that takes one
 * an `idempotencyKey` (once, reused by every attempt), retries 429 and 503
 * after the `Retry-After` they carry, retries a lost connection when the
 * request is safe to repeat (an idempotent method, or a write with its key),
 * and throws every error answer as `CivicaseProblemError`.
 *
 * @example
 * const f = civicaseFetch({ fetch: globalThis.fetch, getToken: async () => token, policy: retryPolicy(3), basePath: "/" })
 * const res = await f(new Request("http://127.0.0.1:3000/v1/cases"))
 */
export function civicaseFetch(options: CivicaseFetchOptions): (request: Request) => Promise<Response> {
  const prefix = options.basePath.replace(/\/+$/, "")
  return async (request) => {
    const method = request.method.toUpperCase()
    const pathname = new URL(request.url).pathname.slice(prefix.length) || "/"
    const text = method === "GET" || method === "HEAD" ? "" : await request.text()
    let body = text.length > 0 ? text : undefined
    let keyed = false
    if (body !== undefined && takesIdempotencyKey(method, pathname)) {
      const keyedBody = withIdempotencyKey(body)
      body = keyedBody.body
      keyed = keyedBody.key !== undefined
    }
    const repeatable = SAFE_METHODS.has(method) || keyed
    for (let attempt = 0; ; attempt++) {
      const headers = new Headers(request.headers)
      headers.set("authorization", `Bearer ${await options.getToken()}`)
      let response: Response
      try {
        response = await options.fetch(new Request(request.url, { method, headers, signal: request.signal, ...(body === undefined ? {} : { body }) }))
      } catch (e) {
        if (request.signal.aborted || !repeatable || attempt >= options.policy.max) throw e
        await sleep(backoffMs(options.policy, attempt + 1), request.signal)
        continue
      }
      if (response.ok) return response
      if (RETRY_STATUSES.has(response.status) && attempt < options.policy.max) {
        const asked = retryAfterMs(response.headers.get("retry-after"))
        if (asked === undefined || asked <= options.policy.maxDelayMs) {
          await response.body?.cancel()
          await sleep(asked ?? backoffMs(options.policy, attempt + 1), request.signal)
          continue
        }
      }
      throw await errorOf(response)
    }
  }
}
