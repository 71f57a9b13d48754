import { randomUUID } from "node:crypto"
import { type Engine, ownValue } from "@civicase/core"
import type { LinkTransport, SubscriptionApi } from "@civicase/adapters"
import cors from "@fastify/cors"
import helmet from "@fastify/helmet"
import rateLimit from "@fastify/rate-limit"
import swagger from "@fastify/swagger"
import swaggerUi from "@fastify/swagger-ui"
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from "fastify"
import { authPlugin, requireActor } from "./auth/auth-plugin.js"
import type { DevTokens } from "./auth/dev-tokens.js"
import type { Authenticator } from "./auth/jwt-auth.js"
import { earlyErrorHandlers } from "./http/early-errors.js"
import { errorsPlugin } from "./http/errors-plugin.js"
import { jsonBodyPlugin } from "./http/json-body-plugin.js"
import { HttpProblem } from "./http/problem.js"
import { PROBLEM_MEDIA_TYPE, authenticatedResponses, sharedSchemas, unroutedResponses } from "./http/schemas.js"
import { helmetOptions } from "./http/security-headers.js"
import { validationPlugin } from "./http/validation-plugin.js"
import { type LiveOptions, liveRoutes, registerWebsocket } from "./live/live-routes.js"
import { assignmentRoutes } from "./routes/assignment-routes.js"
import { casesRoutes } from "./routes/cases-routes.js"
import { commentsRoutes } from "./routes/comments-routes.js"
import { configRoutes } from "./routes/config-routes.js"
import { documentsRoutes } from "./routes/documents-routes.js"
import { peopleRoutes } from "./routes/people-routes.js"
import { worklistRoutes } from "./routes/worklist-routes.js"
import { dashboardRoutes } from "./routes/dashboard-routes.js"
import { devTokenRoutes } from "./routes/dev-token-routes.js"
import { type OidcSignIn, anyAuthenticator } from "./auth/oidc/oidc-sign-in.js"
import { reportsRoutes } from "./routes/reports-routes.js"
import { healthRoutes } from "./routes/health-routes.js"
import { linkInboundRoutes, linkSchemas, linksRoutes } from "./routes/links-routes.js"
import { subscriptionSchemas, subscriptionsRoutes } from "./routes/subscriptions-routes.js"
import { ServerMetrics } from "./routes/metrics.js"
import { REDACTED_LOG_PATHS, requestSerializer } from "./observe/process-logger.js"
import { workflowsRoutes } from "./routes/workflows-routes.js"

/** Options of {@link buildServer}. */
export interface ServerOptions {
  readonly engine: Engine
  /** Verifies bearer tokens: `jwtAuth({...})`, or `devTokens().auth` for a demo. */
  readonly auth: Authenticator
  /** The province this server serves (mã tỉnh); tokens of another province are refused. */
  readonly province: string
  /** Serves `POST /v1/dev/token` with these; leave out in production (no such route exists then). */
  readonly devTokens?: DevTokens
  /** Sign-in through the province's identity provider (`oidcSignIn({...})`): serves `/auth/oidc/login` and `/auth/oidc/callback` and accepts the session tokens they mint beside `auth`'s. */
  readonly oidc?: OidcSignIn
  /** Largest request body in bytes (default 256 KiB); larger answers 413. */
  readonly bodyLimit?: number
  /** Requests per actor (or per address until a token verifies) per window; `false` turns limiting off. Default 600 per minute. */
  readonly rateLimit?: { readonly max: number; readonly timeWindowMs: number } | false
  /** Origins allowed to call the API from a browser (default: none, same-origin only). */
  readonly corsOrigins?: ReadonlyArray<string>
  /** The live feed's bounds and heartbeat. */
  readonly live?: LiveOptions
  /**
   * Fastify's (pino) logger: `false` (default), options, or a pino logger to share with the engine
   * (`processLogger()`, as `civicase serve` does); `authorization`, tokens and secrets are always redacted.
   */
  readonly logger?: boolean | { readonly level?: string; readonly stream?: NodeJS.WritableStream } | FastifyBaseLogger
  /** Serve the coordinator dashboard at `/` (default true). */
  readonly dashboard?: boolean
  /** The time the live feed checks token expiry against (default the system clock); tests pass their test clock. */
  readonly now?: () => Date
  /** Trust `X-Forwarded-*` from a reverse proxy (default false). */
  readonly trustProxy?: boolean
  /** Serves `/v1/subscriptions` with this API: the `webhookSubscriptions()` plugin the engine was given. */
  readonly subscriptions?: SubscriptionApi
  /** Serves `POST /v1/links/inbound` with this transport: the `linkTransport()` plugin the engine was given (with `links` engine options). */
  readonly linkTransport?: LinkTransport
}

function loggerOptions(logger: ServerOptions["logger"]): Pick<FastifyServerOptions, "logger" | "loggerInstance"> {
  if (!logger) return { logger: false }
  if (typeof logger === "object" && isLoggerInstance(logger)) return { loggerInstance: logger }
  const base = typeof logger === "object" ? logger : {}
  return {
    logger: {
      level: base.level ?? "info",
      ...(base.stream ? { stream: base.stream } : {}),
      redact: { paths: [...REDACTED_LOG_PATHS], censor: "[redacted]" },
      serializers: { req: requestSerializer },
    },
  }
}

const isLoggerInstance = (logger: object): logger is FastifyBaseLogger => typeof (logger as { child?: unknown }).child === "function"

/**
 * A rate-limit key: the actor once its token verified (one bucket however
 * many tokens it holds), the address otherwise, so that made-up tokens share
 * their sender's bucket instead of each getting a fresh one.
 */
function rateKey(request: { actor?: { id: string } | undefined; ip: string }): string {
  return request.actor ? `a:${request.actor.id}` : `ip:${request.ip}`
}

/**
 * Builds the civicase HTTP server: a thin Fastify layer over an engine, with
 * one plugin per concern (errors, auth, workflows, cases, live feed,
 * health/metrics, OpenAPI, dashboard). Test it with `app.inject()`; serve it
 * with `app.listen()`.
 *
 * @example
 * import { createEngine } from "@civicase/core"
 * import { pglite } from "@civicase/adapters"
 * import { buildServer, jwtAuth } from "@civicase/server"
 * const engine = createEngine({ store: pglite({ dataDir: "./data" }), workflows })
 * const app = await buildServer({ engine, province: "vinh-phuc",
 *   auth: jwtAuth({ jwksUrl: "https://id.example.gov.vn/jwks.json", algorithms: ["RS256"], issuer: "https://id.example.gov.vn", audience: "civicase" }) })
 * await app.listen({ port: 3000 })
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  if (!options.engine || !options.auth || typeof options.province !== "string" || options.province.length === 0) {
    throw new TypeError("buildServer needs engine, auth and province")
  }
  const app = Fastify({
    ...loggerOptions(options.logger),
    bodyLimit: options.bodyLimit ?? 256 * 1024,
    onProtoPoisoning: "error",
    onConstructorPoisoning: "error",
    trustProxy: options.trustProxy ?? false,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    return503OnClosing: true,
    ...earlyErrorHandlers(),
  })
  const metrics = new ServerMetrics(options.engine)
  app.addHook("onClose", async () => metrics.close())
  for (const schema of [...sharedSchemas, ...linkSchemas, ...subscriptionSchemas]) app.addSchema(schema)

  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id)
  })
  app.addHook("onResponse", async (request, reply) => {
    metrics.request(request.method, request.routeOptions.url ?? "unmatched", reply.statusCode, reply.elapsedTime / 1000)
  })

  await app.register(errorsPlugin)
  await app.register(jsonBodyPlugin)
  await app.register(validationPlugin, { schemas: sharedSchemas, inputLimits: options.engine.inputLimits })
  await registerWebsocket(app, options.live)
  await app.register(helmet, helmetOptions)
  await app.register(cors, { origin: options.corsOrigins?.length ? [...options.corsOrigins] : false })
  // Verified before the limiter runs (so it can key by actor), refused after it (requireActor; so failures count against the address).
  const auth = options.oidc ? anyAuthenticator([options.oidc.auth, options.auth]) : options.auth
  await app.register(authPlugin, { auth, province: options.province, access: options.engine.access })
  if (options.rateLimit !== false) {
    const rl = options.rateLimit ?? { max: 600, timeWindowMs: 60_000 }
    await app.register(rateLimit, {
      max: rl.max,
      timeWindow: rl.timeWindowMs,
      keyGenerator: rateKey,
      errorResponseBuilder: (_request, context) =>
        new HttpProblem("CIVICASE_E_RATE_LIMITED", `more than ${context.max} requests in ${context.after}; try again later`, {
          headers: { "retry-after": String(Math.ceil(context.ttl / 1000)) },
        }),
    })
  }
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "civicase HTTP API",
        version: "1.0.0",
        description:
          "Cases of provincial workflows: create, act, read, and watch live. Every error is an RFC 9457 problem document " +
          "(application/problem+json) with a registered CIVICASE_E_… code. Answers given before any route, on any path " +
          "(404, 405 with Allow, 414, 431, 408, a malformed URL or request), are listed once in x-unrouted-responses.",
      },
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
          tokenQuery: { type: "apiKey", in: "query", name: "token" },
        },
        schemas: eventPayloadSchemas(options.engine) as any,
      },
    },
    // @fastify/websocket hides websocket routes from the document; describe the feed by hand.
    transformObject: (documents) => {
      const doc = (documents as { openapiObject: { paths?: Record<string, unknown> } }).openapiObject
      return { ...doc, paths: { ...doc.paths, "/v1/live": liveFeedPath }, "x-unrouted-responses": documented(unroutedResponses) } as any
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === "string" ? json.$id : `def-${i}`) },
  })
  app.addHook("onRoute", (route) => {
    // The API viewer's own files carry no case data.
    if (route.url.startsWith("/docs")) route.config = { ...route.config, public: true }
  })
  await app.register(swaggerUi, { routePrefix: "/docs", staticCSP: true, uiConfig: { deepLinking: false } })
  await app.register(requireActor)
  app.get("/openapi.json", { config: { public: true }, schema: { hide: true } }, async () => app.swagger())
  await app.register(workflowsRoutes, { engine: options.engine })
  await app.register(casesRoutes, { engine: options.engine })
  await app.register(assignmentRoutes, { engine: options.engine })
  await app.register(worklistRoutes, { engine: options.engine })
  await app.register(peopleRoutes, { engine: options.engine })
  await app.register(commentsRoutes, { engine: options.engine })
  await app.register(documentsRoutes, { engine: options.engine })
  await app.register(reportsRoutes, { engine: options.engine })
  await app.register(configRoutes, { engine: options.engine })
  await app.register(linksRoutes, { engine: options.engine })
  if (options.linkTransport) await app.register(linkInboundRoutes, { engine: options.engine, transport: options.linkTransport })
  if (options.subscriptions) await app.register(subscriptionsRoutes, { engine: options.engine, subscriptions: options.subscriptions })
  await app.register(healthRoutes, { engine: options.engine, metrics })
  await app.register(liveRoutes, {
    engine: options.engine,
    metrics,
    ...(options.live ? { live: options.live } : {}),
    ...(options.now ? { now: options.now } : {}),
  })
  if (options.oidc) await app.register(options.oidc.routes, { access: options.engine.access })
  if (options.devTokens) await app.register(devTokenRoutes, { devTokens: options.devTokens, province: options.province, access: options.engine.access })
  if (options.dashboard !== false) await app.register(dashboardRoutes)
  return app
}

/** Problem responses as the OpenAPI document writes them (route schemas refer to `Problem#`, which the document names by its $id). */
function documented(responses: Readonly<Record<number, { description: string }>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(responses).map(([status, { description }]) => [status, { description, content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: "#/components/schemas/Problem" } } } }]),
  )
}

const liveFeedPath = {
  get: {
    tags: ["live"],
    summary: "Websocket feed of committed transitions (upgrade; protocol in docs/http-api.md)",
    security: [{ bearer: [] }, { tokenQuery: [] }],
    parameters: [{ name: "token", in: "query", required: false, schema: { type: "string", maxLength: 8192 }, description: "The bearer token, for browsers that cannot set headers on a websocket" }],
    responses: {
      "101": { description: "Switching protocols: send { op: 'subscribe', caseId | workflow/agency, sinceRev? }" },
      ...documented({
        ...authenticatedResponses,
        426: { description: "A plain GET without the websocket upgrade (CIVICASE_E_UPGRADE_REQUIRED); the answer carries Upgrade: websocket" },
      }),
    },
  },
}

/** Every event payload schema, as `components.schemas["<workflow>.<EVENT>"]` of the OpenAPI document. */
function eventPayloadSchemas(engine: Engine): Record<string, unknown> {
  return Object.fromEntries(
    engine.workflows().flatMap((def) =>
      Object.entries(def.events).map(([type, schema]) => [`${def.id}.v${def.version}.${type}`, { ...schema, description: ownValue(def.labels.events, type)?.en ?? type }]),
    ),
  )
}
