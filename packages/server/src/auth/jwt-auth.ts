import type { Actor } from "@civicase/core"
import {
  type CryptoKey,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  type KeyObject,
  createLocalJWKSet,
  createRemoteJWKSet,
  errors as joseErrors,
  importSPKI,
  jwtVerify,
} from "jose"
import { HttpProblem } from "../http/problem.js"

/** Where the keys that verify tokens come from: exactly one of these. */
export type JwtKeySource =
  /** A shared secret for HS256/384/512 (at least 32 bytes). */
  | { readonly secret: string | Uint8Array }
  /** A public key: PEM (SPKI) text, or a key object. */
  | { readonly publicKey: string | CryptoKey | KeyObject }
  /** A JSON Web Key Set held locally. */
  | { readonly jwks: JSONWebKeySet }
  /** A JSON Web Key Set fetched (and cached) from the identity provider. */
  | { readonly jwksUrl: string | URL }

/** Options of {@link jwtAuth}. */
export type JwtAuthOptions = JwtKeySource & {
  /** Accepted signature algorithms; a token signed otherwise is refused (no `none`, no algorithm confusion). */
  readonly algorithms: ReadonlyArray<string>
  /** Required `iss` claim. */
  readonly issuer?: string | ReadonlyArray<string>
  /** Required `aud` claim. */
  readonly audience?: string | ReadonlyArray<string>
  /** Oldest accepted token, by its `iat` claim (seconds, or a jose span such as `"12h"`); tokens without `iat` are then refused. */
  readonly maxTokenAge?: number | string
  /** Tolerated clock skew, in seconds (default 30). */
  readonly clockToleranceSeconds?: number
  /** The time tokens are checked against (default now); tests pass their test clock. */
  readonly now?: () => Date
}

/** What a verified token says: the actor it speaks for, and until when. */
export interface Authenticated {
  readonly actor: Actor
  /** The token's `exp`; the live feed closes a socket (4001) when it passes. */
  readonly expiresAt?: Date
}

/**
 * Turns a bearer token into the actor it speaks for, or refuses it with
 * `CIVICASE_E_UNAUTHENTICATED`. The server checks the province after this.
 *
 * @example
 * const auth: Authenticator = { async authenticate(token) { return { actor: await lookUp(token), expiresAt: new Date(Date.now() + 60_000) } } }
 */
export interface Authenticator {
  authenticate(token: string): Promise<Authenticated>
}

const MIN_SECRET_BYTES = 32

function keyResolver(source: JwtKeySource, algorithms: ReadonlyArray<string>): () => Promise<Uint8Array | CryptoKey | KeyObject | JWTVerifyGetKey> {
  if ("secret" in source) {
    const bytes = typeof source.secret === "string" ? new TextEncoder().encode(source.secret) : source.secret
    if (bytes.length < MIN_SECRET_BYTES) throw new TypeError(`jwtAuth: secret must be at least ${MIN_SECRET_BYTES} bytes`)
    return async () => bytes
  }
  if ("publicKey" in source) {
    if (typeof source.publicKey !== "string") {
      const key = source.publicKey
      return async () => key
    }
    const alg = algorithms[0]
    if (!alg) throw new TypeError("jwtAuth: algorithms must name at least one algorithm")
    const pem = source.publicKey
    let imported: Promise<CryptoKey> | undefined
    return () => (imported ??= importSPKI(pem, alg))
  }
  if ("jwks" in source) {
    const set = createLocalJWKSet(source.jwks)
    return async () => set
  }
  if ("jwksUrl" in source) {
    const set = createRemoteJWKSet(new URL(source.jwksUrl))
    return async () => set
  }
  throw new TypeError("jwtAuth: give one of secret, publicKey, jwks or jwksUrl")
}

function stringClaim(payload: JWTPayload, name: "sub" | "province" | "agency"): string {
  const value = payload[name]
  if (typeof value !== "string" || value.length === 0 || value.length > 200) {
    throw new HttpProblem("CIVICASE_E_UNAUTHENTICATED", `the token's "${name}" claim must be a non-empty string`)
  }
  return value
}

/** The actor a verified token speaks for: `sub`, `province`, `agency`, `roles`. */
export function actorFromClaims(payload: JWTPayload): Actor {
  const roles = payload.roles
  if (!Array.isArray(roles) || roles.length > 50 || !roles.every((r) => typeof r === "string" && r.length > 0 && r.length <= 100)) {
    throw new HttpProblem("CIVICASE_E_UNAUTHENTICATED", 'the token\'s "roles" claim must be an array of role names')
  }
  if (roles.includes("system")) {
    // The system role is the engine's own (deadlines); no token may claim it.
    throw new HttpProblem("CIVICASE_E_UNAUTHENTICATED", 'the role "system" cannot be held by a token')
  }
  return { id: stringClaim(payload, "sub"), province: stringClaim(payload, "province"), agency: stringClaim(payload, "agency"), roles: [...roles] }
}

function reason(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return "the token has expired"
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `the token's "${error.claim}" claim is not accepted (${error.reason})`
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return "the token is signed with an algorithm this server does not accept"
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return "the token's signature does not verify"
  if (error instanceof joseErrors.JWKSNoMatchingKey) return "no configured key matches the token"
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) return "the token is malformed"
  return "the token cannot be verified"
}

/**
 * Verifies bearer JWTs against a configured secret, public key or JWKS, with
 * the algorithms, issuer, audience and expiry checked, and reads the actor
 * from the claims `sub`, `province`, `agency` and `roles`.
 *
 * @example
 * const auth = jwtAuth({ jwksUrl: "https://id.example.gov.vn/.well-known/jwks.json", algorithms: ["RS256"],
 *   issuer: "https://id.example.gov.vn", audience: "civicase" })
 * const { actor, expiresAt } = await auth.authenticate(token) // actor: { id, province, agency, roles }
 */
export function jwtAuth(options: JwtAuthOptions): Authenticator {
  if (!Array.isArray(options.algorithms) || options.algorithms.length === 0) throw new TypeError("jwtAuth: algorithms must name at least one algorithm")
  if (options.algorithms.some((a) => a.toLowerCase() === "none")) throw new TypeError('jwtAuth: the algorithm "none" is never accepted')
  const key = keyResolver(options, options.algorithms)
  return {
    async authenticate(token) {
      let payload: JWTPayload
      try {
        const k = await key()
        const verifyOptions = {
          algorithms: [...options.algorithms],
          ...(options.issuer === undefined ? {} : { issuer: options.issuer as string | string[] }),
          ...(options.audience === undefined ? {} : { audience: options.audience as string | string[] }),
          clockTolerance: options.clockToleranceSeconds ?? 30,
          ...(options.maxTokenAge === undefined ? {} : { maxTokenAge: options.maxTokenAge }),
          requiredClaims: ["exp", "sub"],
          ...(options.now ? { currentDate: options.now() } : {}),
        }
        payload = typeof k === "function" ? (await jwtVerify(token, k, verifyOptions)).payload : (await jwtVerify(token, k, verifyOptions)).payload
      } catch (e) {
        throw new HttpProblem("CIVICASE_E_UNAUTHENTICATED", reason(e))
      }
      return { actor: actorFromClaims(payload), ...(typeof payload.exp === "number" ? { expiresAt: new Date(payload.exp * 1000) } : {}) }
    },
  }
}
