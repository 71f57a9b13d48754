import { randomBytes } from "node:crypto"
import type { Actor } from "@civicase/core"
import { SignJWT } from "jose"
import { type Authenticator, jwtAuth } from "./jwt-auth.js"

/** Issuer and audience of development tokens. */
export const DEV_ISSUER = "civicase-dev"
export const DEV_AUDIENCE = "civicase"

/**
 * Mints and verifies tokens for a local demo (`civicase serve --dev`): HS256
 * with a random secret that lives only in this process, so a token never
 * outlives the server that minted it.
 *
 * @example
 * const dev = devTokens()
 * const token = await dev.mint({ id: "u1", province: "vinh-phuc", agency: "so-tttt", roles: ["coordinator"] })
 * buildServer({ engine, auth: dev.auth, province: "vinh-phuc", devTokens: dev })
 */
export interface DevTokens {
  readonly auth: Authenticator
  /** A token for `actor`, valid for `ttlSeconds` (default 8 hours). */
  mint(actor: Actor, ttlSeconds?: number): Promise<string>
}

/** Creates a development token issuer with a fresh random secret. */
export function devTokens(options: { now?: () => Date } = {}): DevTokens {
  const secret = randomBytes(32)
  const now = options.now ?? (() => new Date())
  return {
    auth: jwtAuth({ secret, algorithms: ["HS256"], issuer: DEV_ISSUER, audience: DEV_AUDIENCE, now }),
    async mint(actor, ttlSeconds = 8 * 3600) {
      const iat = Math.floor(now().getTime() / 1000)
      return new SignJWT({ province: actor.province, agency: actor.agency, roles: [...actor.roles] })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setSubject(actor.id)
        .setIssuer(DEV_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttlSeconds)
        .sign(secret)
    },
  }
}
