import type { AccessPolicy, Actor } from "@civicase/core"
import type { FastifyInstance, FastifyRequest } from "fastify"
import fp from "fastify-plugin"
import { HttpProblem } from "../http/problem.js"
import type { Authenticator } from "./jwt-auth.js"

declare module "fastify" {
  interface FastifyRequest {
    /** The authenticated actor; set on every route that is not public. */
    actor: Actor
    /** When the request's token expires, when it says. */
    tokenExpiresAt: Date | undefined
    /** Why the token was refused; raised by the `requireActor` hook after rate limiting. */
    authFailure: unknown
  }
  interface FastifyContextConfig {
    /** True for routes that need no token (health, docs, dashboard, dev token). */
    public?: boolean
    /** True where a `token` query parameter may stand in for the header (the websocket, for browsers). */
    tokenInQuery?: boolean
  }
}

/** Options of {@link authPlugin}. */
export interface AuthPluginOptions {
  readonly auth: Authenticator
  /** The province this server serves; tokens of any other province are refused. */
  readonly province: string
  /** The engine's policy (`engine.access`): it admits the token's actor, so the edge and the engine refuse alike. */
  readonly access: AccessPolicy
}

const BEARER = /^Bearer ([A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]+\.?[A-Za-z0-9\-_.+/=]*)$/

function tokenOf(request: FastifyRequest): string {
  const header = request.headers.authorization
  if (typeof header === "string" && header.length > 0) {
    const m = BEARER.exec(header)
    if (!m) throw new HttpProblem("CIVICASE_E_UNAUTHENTICATED", "the Authorization header must be `Bearer <JWT>`")
    return m[1]!
  }
  if (request.routeOptions.config.tokenInQuery) {
    const q = (request.query as Record<string, unknown> | undefined)?.token
    if (typeof q === "string" && q.length > 0) return q
  }
  throw new HttpProblem("CIVICASE_E_UNAUTHENTICATED", "a bearer token is required (Authorization: Bearer <JWT>)")
}

/**
 * Authenticates every non-public route before anything else runs (for the
 * websocket, before the upgrade): the token is verified, its actor read from
 * the claims, a token of another province than this server's refused with
 * 401 (its credentials mean nothing here), and the actor admitted by the
 * engine's own policy (`engine.access.admit`: an unknown or retired agency is
 * `CIVICASE_E_UNKNOWN_ACTOR`, 401; a role the province does not give the
 * agency is `CIVICASE_E_ROLE_NOT_HELD`, 403). Authorization of each call is
 * the engine's, on every call.
 *
 * The refusal itself waits for {@link requireActor}, after the rate
 * limiter: a request whose token failed is then counted against its
 * address, one that verified against its actor, so a flood of made-up
 * tokens cannot give itself a fresh bucket per token.
 */
export const authPlugin = fp(
  async (app: FastifyInstance, options: AuthPluginOptions) => {
    app.decorateRequest("actor", undefined as unknown as Actor)
    app.decorateRequest("tokenExpiresAt", undefined)
    app.decorateRequest("authFailure", undefined)
    app.addHook("onRequest", async (request) => {
      if (request.routeOptions.config.public || !request.routeOptions.url) return
      try {
        const { actor, expiresAt } = await options.auth.authenticate(tokenOf(request))
        if (actor.province !== options.province) {
          throw new HttpProblem("CIVICASE_E_UNAUTHENTICATED", `the token is for province "${actor.province}"; this server serves "${options.province}"`)
        }
        options.access.admit(actor)
        request.actor = actor
        request.tokenExpiresAt = expiresAt
      } catch (e) {
        request.authFailure = e
      }
    })
  },
  { name: "civicase-auth" },
)

/**
 * Refuses a non-public request whose token {@link authPlugin} could not
 * verify. It runs at `preParsing`, after every `onRequest` hook: the rate
 * limiter's is per route, so it would otherwise run after a refusal, and a
 * refused request would never be counted. The body is not read either way.
 */
export const requireActor = fp(
  async (app: FastifyInstance) => {
    app.addHook("preParsing", async (request) => {
      if (request.authFailure !== undefined) throw request.authFailure
    })
  },
  { name: "civicase-require-actor", dependencies: ["civicase-auth"] },
)
