import createFetchClient, { type Client } from "openapi-fetch"
import { type TokenSource, tokenGetter } from "./auth.js"
import { civicaseFetch } from "./civicase-fetch.js"
import type { paths } from "./generated/openapi.js"
import { type LiveFeed, type LiveOptions, liveFeed } from "./live/live-feed.js"
import type { LiveTransition } from "./live/live-messages.js"
import { type RetryOptions, retryPolicy } from "./retry-policy.js"
import type { Case, CasePage, CreateCaseBody, HistoryEntry, ListCasesQuery, SendEventBody } from "./types.js"

/** Options of {@link createClient}. */
export type ClientOptions = TokenSource & {
  /** The server's root, such as `https://civicase.example.gov.vn` (the API is under `/v1`). */
  readonly baseUrl: string
  /** The `fetch` to send with (default the global one); tests and proxies pass their own. */
  readonly fetch?: (request: Request) => Promise<Response>
  /** Retries on 429, 503 and lost connections: a count (default 3) or {@link RetryOptions}. */
  readonly retries?: number | RetryOptions
  /** The live feed's socket and reconnect options. */
  readonly live?: LiveOptions
}

/** The client {@link createClient} returns. */
export interface CivicaseClient {
  /**
   * Every route of the server, typed from its OpenAPI document (`openapi-fetch`):
   * `api.GET("/v1/cases/{id}", { params: { path: { id } } })`. Error answers
   * are thrown as `CivicaseProblemError`, so `data` is set whenever it returns.
   */
  readonly api: Client<paths>
  /** Starts a case of a workflow (newest version): `POST /v1/cases`. */
  createCase(body: CreateCaseBody, init?: RequestOptions): Promise<Case>
  /** Sends an event; answers the case after the transition: `POST /v1/cases/{id}/events`. */
  sendEvent(caseId: string, body: SendEventBody, init?: RequestOptions): Promise<Case>
  /** One case: `GET /v1/cases/{id}`. */
  getCase(caseId: string, init?: RequestOptions): Promise<Case>
  /** One page of the cases the actor may see: `GET /v1/cases`. */
  listCases(query?: ListCasesQuery, init?: RequestOptions): Promise<CasePage>
  /** Every event of a case, in rev order: `GET /v1/cases/{id}/history`. */
  history(caseId: string, init?: RequestOptions): Promise<ReadonlyArray<HistoryEntry>>
  /** The live feed (`/v1/live`): subscriptions that reconnect and resume with `sinceRev`. */
  readonly live: LiveFeed
}

/** Per-call options: a signal to cancel the call and its retries. */
export interface RequestOptions {
  readonly signal?: AbortSignal
}

/** openapi-fetch answers `{ data, error }`; errors were already thrown by civicaseFetch, so `data` is there. */
function dataOf<T>(result: { data?: T; response: Response }): T {
  if (result.data === undefined) throw new TypeError(`civicase: ${result.response.url} answered ${result.response.status} without a body`)
  return result.data
}

/**
 * A typed client of a civicase server (máy khách có kiểu): typed routes, the
 * bearer token on every request, retries with one idempotency key per write,
 * problems thrown as `CivicaseProblemError`, and the live feed.
 *
 * @example
 * import { createClient, CivicaseProblemError } from "@civicase/client"
 * const client = createClient({ baseUrl: "http://127.0.0.1:3000", getToken: () => session.token() })
 * const plan = await client.createCase({ workflow: "plan", input: { year: 2026, title: "Kế hoạch TTĐN 2026" } })
 * const after = await client.sendEvent(plan.id, { type: "SUBMIT", expectedRev: plan.rev })
 */
export function createClient(options: ClientOptions): CivicaseClient {
  if (typeof options?.baseUrl !== "string" || !/^https?:\/\//.test(options.baseUrl)) {
    throw new TypeError(`createClient: baseUrl must be an http(s) URL, got ${JSON.stringify(options?.baseUrl)}`)
  }
  const base = new URL(options.baseUrl)
  const getToken = tokenGetter(options as Partial<{ token: string; getToken: () => string | Promise<string> }>)
  const send = options.fetch ?? ((request: Request) => globalThis.fetch(request))
  const api = createFetchClient<paths>({
    baseUrl: base.href.replace(/\/+$/, ""),
    fetch: civicaseFetch({ fetch: send, getToken, policy: retryPolicy(options.retries), basePath: base.pathname }),
  })
  const path = (id: string) => ({ path: { id } })
  const history = async (caseId: string, init?: RequestOptions) => dataOf(await api.GET("/v1/cases/{id}/history", { params: path(caseId), ...init })).items
  const transitionsAfter = async (caseId: string, afterRev: number): Promise<ReadonlyArray<LiveTransition>> =>
    (await history(caseId))
      .filter((e) => e.rev > afterRev)
      .map((e) => ({ type: "transition", caseId, rev: e.rev, from: e.from, to: e.to, event: e.type, at: e.at }))
  return {
    api,
    createCase: async (body, init) => dataOf(await api.POST("/v1/cases", { body, ...init })),
    sendEvent: async (caseId, body, init) => dataOf(await api.POST("/v1/cases/{id}/events", { params: path(caseId), body, ...init })),
    getCase: async (caseId, init) => dataOf(await api.GET("/v1/cases/{id}", { params: path(caseId), ...init })),
    listCases: async (query = {}, init) => dataOf(await api.GET("/v1/cases", { params: { query }, ...init })),
    history,
    live: liveFeed({ baseUrl: base, getToken, transitionsAfter, ...(options.live ? { options: options.live } : {}) }),
  }
}
