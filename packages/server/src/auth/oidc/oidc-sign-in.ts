import { randomBytes } from "node:crypto"
import type { AccessPolicy, Actor } from "@civicase/core"
import type { FastifyInstance } from "fastify"
import { SignJWT } from "jose"
import * as client from "openid-client"
import { HttpProblem } from "../../http/problem.js"
import { faultResponses, problemResponse } from "../../http/schemas.js"
import { type Authenticator, jwtAuth } from "../jwt-auth.js"
import { type OidcClaimNames, actorFromOidcClaims } from "./oidc-claims.js"

/** Issuer of the session tokens the server mints after an OpenID Connect sign-in. */
export const OIDC_SESSION_ISSUER = "civicase-oidc"

/** Options of {@link oidcSignIn}. */
export interface OidcSignInOptions {
  /** The provider's issuer URL; its `/.well-known/openid-configuration` is read on the first sign-in. */
  readonly issuer: string
  readonly clientId: string
  /** Sent with HTTP Basic to the token endpoint; leave out for a public client (PKCE alone). */
  readonly clientSecret?: string
  /** This server's `/auth/oidc/callback` as the provider knows it (`https://civicase.example.gov.vn/auth/oidc/callback`). */
  readonly redirectUri: string
  /** The province this server serves. */
  readonly province: string
  /** Which claims carry agency, roles and province (default `agency`, `roles`, `province`). */
  readonly claims?: OidcClaimNames
  /** Scopes asked for (default `openid profile`); add the one that releases the agency and roles claims. */
  readonly scope?: string
  /** Lifetime of the session token (default 8 hours). */
  readonly sessionSeconds?: number
  /** Allow an `http:` issuer: for a provider on loopback in tests only. */
  readonly allowInsecureIssuer?: boolean
  readonly now?: () => Date
}

/** What {@link oidcSignIn} gives {@link buildServer}: the routes, and the authenticator of the tokens they mint. */
export interface OidcSignIn {
  /** Verifies the session tokens minted after a sign-in. */
  readonly auth: Authenticator
  /** `GET /auth/oidc/login` and `GET /auth/oidc/callback`. */
  routes(app: FastifyInstance, options: { access: AccessPolicy }): Promise<void>
}

interface Pending {
  readonly verifier: string
  readonly nonce: string
  readonly expires: number
}

const PENDING_MS = 10 * 60_000
const MAX_PENDING = 10_000

/**
 * Sign-in through the province's identity provider with OpenID Connect
 * (đăng nhập qua cổng định danh): authorization code with PKCE
 * (`openid-client`). The callback maps the ID token's claims to an actor,
 * has the engine admit it, mints a session token (HS256, a secret held by
 * this process) and hands it to the workspace in the URL's fragment, which
 * the browser never sends to a server.
 *
 * @example
 * const oidc = oidcSignIn({ issuer: "https://sso.vinhphuc.gov.vn", clientId: "civicase", clientSecret, redirectUri: "https://civicase.vinhphuc.gov.vn/auth/oidc/callback", province: "vinh-phuc", claims: { agency: "ma_co_quan", roles: "vai_tro" }, scope: "openid profile civicase" })
 * await buildServer({ engine, auth: jwtAuth({ ... }), province: "vinh-phuc", oidc })
 */
export function oidcSignIn(options: OidcSignInOptions): OidcSignIn {
  const secret = randomBytes(32)
  const now = options.now ?? (() => new Date())
  const ttl = options.sessionSeconds ?? 8 * 3600
  const pending = new Map<string, Pending>()
  let config: Promise<client.Configuration> | undefined

  const discover = () => {
    config ??= client
      .discovery(new URL(options.issuer), options.clientId, options.clientSecret, options.clientSecret ? client.ClientSecretBasic(options.clientSecret) : client.None(), options.allowInsecureIssuer ? { execute: [client.allowInsecureRequests] } : undefined)
      .catch((e: unknown) => {
        config = undefined // try again on the next sign-in
        throw e
      })
    return config
  }

  const mint = (actor: Actor) => {
    const iat = Math.floor(now().getTime() / 1000)
    return new SignJWT({ province: actor.province, agency: actor.agency, roles: [...actor.roles] })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(actor.id)
      .setIssuer(OIDC_SESSION_ISSUER)
      .setAudience("civicase")
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttl)
      .sign(secret)
  }

  const unavailable = () => new HttpProblem("CIVICASE_E_UNAUTHENTICATED", "đăng nhập không thành công / the sign-in with the identity provider failed; start again")

  return {
    auth: jwtAuth({ secret, algorithms: ["HS256"], issuer: OIDC_SESSION_ISSUER, audience: "civicase", now }),
    async routes(app, { access }) {
      app.get(
        "/auth/oidc/login",
        {
          config: { public: true },
          schema: {
            tags: ["sign-in"],
            summary: "Start a sign-in with the province's identity provider (OpenID Connect, code with PKCE)",
            response: { 302: { description: "To the identity provider's authorization endpoint" }, 401: problemResponse("The identity provider cannot be reached (CIVICASE_E_UNAUTHENTICATED)"), ...faultResponses },
          },
        },
        async (request, reply) => {
          let configuration: client.Configuration
          try {
            configuration = await discover()
          } catch (e) {
            request.log.warn({ err: e }, "OpenID Connect discovery failed")
            throw unavailable()
          }
          const verifier = client.randomPKCECodeVerifier()
          const state = client.randomState()
          const nonce = client.randomNonce()
          const at = now().getTime()
          for (const [key, p] of pending) if (p.expires < at || pending.size >= MAX_PENDING) pending.delete(key)
          pending.set(state, { verifier, nonce, expires: at + PENDING_MS })
          const url = client.buildAuthorizationUrl(configuration, {
            redirect_uri: options.redirectUri,
            scope: options.scope ?? "openid profile",
            code_challenge: await client.calculatePKCECodeChallenge(verifier),
            code_challenge_method: "S256",
            state,
            nonce,
          })
          return reply.redirect(url.href, 302)
        },
      )
      app.get<{ Querystring: Record<string, string> }>(
        "/auth/oidc/callback",
        {
          config: { public: true },
          schema: {
            tags: ["sign-in"],
            summary: "The identity provider's answer: maps the claims to an actor and hands the workspace a session token",
            querystring: { type: "object", properties: { state: { type: "string", maxLength: 200 }, code: { type: "string", maxLength: 2000 }, error: { type: "string", maxLength: 200 } }, additionalProperties: { type: "string", maxLength: 2000 } },
            response: {
              302: { description: "To the workspace, the session token in the URL's fragment (`/#token=…`)" },
              400: problemResponse("A query parameter over its limit (CIVICASE_E_VALIDATION)"),
              401: problemResponse("A sign-in not started here or expired, refused by the provider, or claims without agency or roles (CIVICASE_E_UNAUTHENTICATED); an agency the province does not have (CIVICASE_E_UNKNOWN_ACTOR)"),
              403: problemResponse("A role the province does not give the agency (CIVICASE_E_ROLE_NOT_HELD)"),
              ...faultResponses,
            },
          },
        },
        async (request, reply) => {
          const state = request.query.state
          const started = typeof state === "string" ? pending.get(state) : undefined
          if (state !== undefined) pending.delete(state)
          if (!started || started.expires < now().getTime()) throw new HttpProblem("CIVICASE_E_UNAUTHENTICATED", "this sign-in was not started here or has expired; start again")
          let claims: Record<string, unknown>
          try {
            const configuration = await discover()
            const current = new URL(request.url, options.redirectUri)
            const tokens = await client.authorizationCodeGrant(configuration, current, { pkceCodeVerifier: started.verifier, expectedState: state, expectedNonce: started.nonce })
            claims = { ...(tokens.claims() ?? {}) }
          } catch (e) {
            // The cause (a provider's error, a bad signature) goes to the log, not to the browser.
            request.log.warn({ err: e }, "OpenID Connect callback refused")
            throw unavailable()
          }
          const actor = actorFromOidcClaims(claims, options.claims ?? {}, options.province)
          access.admit(actor)
          return reply.redirect(`/#token=${encodeURIComponent(await mint(actor))}`, 302)
        },
      )
    },
  }
}

/**
 * Tries each authenticator in turn and answers the first that accepts the
 * token (the province's JWTs and the OIDC session tokens side by side);
 * when none does, the last refusal.
 *
 * @example
 * anyAuthenticator([jwtAuth({ jwksUrl, issuer }), oidc.auth])
 */
export function anyAuthenticator(authenticators: ReadonlyArray<Authenticator>): Authenticator {
  return {
    async authenticate(token) {
      let refusal: unknown = new HttpProblem("CIVICASE_E_UNAUTHENTICATED", "no authenticator configured")
      for (const a of authenticators) {
        try {
          return await a.authenticate(token)
        } catch (e) {
          refusal = e
        }
      }
      throw refusal
    },
  }
}
