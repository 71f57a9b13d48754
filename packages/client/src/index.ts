/**
 * @civicase/client: a typed client of the civicase HTTP API and its live feed,
 * generated from the server's OpenAPI document (máy khách có kiểu cho API civicase).
 *
 * @example
 * import { createClient, CivicaseProblemError } from "@civicase/client"
 * import WebSocket from "ws"
 * const client = createClient({ baseUrl: "http://127.0.0.1:3000", token, live: { WebSocket } })
 * const c = await client.createCase({ workflow: "plan", input: { year: 2026 } })
 * client.live.subscribe(c.id, (e) => console.log(e))
 *
 * @packageDocumentation
 */
export { type CivicaseClient, type ClientOptions, type RequestOptions, createClient } from "./create-client.js"
export type { TokenSource } from "./auth.js"
export type { RetryOptions } from "./retry-policy.js"
export { CivicaseProblemError, CivicaseResponseError, type ErrorCode, type ProblemDocument, type ProblemIssue, isCivicaseProblem, isErrorCode } from "./problem-error.js"
export type { LiveFeed, LiveOptions } from "./live/live-feed.js"
export type { LiveEvent, LiveStatus, LiveTarget, LiveTransition } from "./live/live-messages.js"
export type { LiveSubscription } from "./live/live-subscription.js"
export type { WebSocketConstructor, WebSocketLike } from "./live/websocket.js"
export type { Case, CasePage, CreateCaseBody, EventPayload, EventSchemaName, HistoryEntry, ListCasesQuery, SendEventBody, components, paths } from "./types.js"
