/**
 * @civicase/server: the HTTP API, the live websocket feed and the `civicase`
 * command, a thin Fastify layer over the engine.
 *
 * @example
 * import { buildServer, jwtAuth } from "@civicase/server"
 * const app = await buildServer({ engine, province: "vinh-phuc", auth: jwtAuth({ secret, algorithms: ["HS256"] }) })
 * await app.listen({ port: 3000, host: "127.0.0.1" })
 *
 * @packageDocumentation
 */
export { type ServerOptions, buildServer } from "./build-server.js"
export { type Authenticator, type JwtAuthOptions, type JwtKeySource, actorFromClaims, jwtAuth } from "./auth/jwt-auth.js"
export { DEV_AUDIENCE, DEV_ISSUER, type DevTokens, devTokens } from "./auth/dev-tokens.js"
export { OIDC_SESSION_ISSUER, type OidcSignIn, type OidcSignInOptions, anyAuthenticator, oidcSignIn } from "./auth/oidc/oidc-sign-in.js"
export { type OidcClaimNames, actorFromOidcClaims } from "./auth/oidc/oidc-claims.js"
export { HttpProblem, PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE, type Problem, toProblem } from "./http/problem.js"
export { type LiveOptions, defaultLiveLimits } from "./live/live-routes.js"
export type { LiveLimits } from "./live/live-client.js"
export type { ClientMessage, LiveNotification, ServerMessage } from "./live/live-protocol.js"
export { type PersonFeed, personFeed } from "./live/person-feed.js"
export { type ProcessLoggerOptions, REDACTED_LOG_PATHS, processLogger } from "./observe/process-logger.js"
export { type EventDescription, type StateDescription, type WorkflowDetail, type WorkflowSummary, describeWorkflow, summarizeWorkflow } from "./workflow/describe-workflow.js"
