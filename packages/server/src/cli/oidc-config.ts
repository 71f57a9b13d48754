import { type OidcSignIn, oidcSignIn } from "../auth/oidc/oidc-sign-in.js"
import { UsageError } from "./open-engine.js"

/** The `civicase serve` flags of the sign-in through OpenID Connect. */
export interface OidcFlags {
  readonly "oidc-issuer"?: string
  readonly "oidc-client-id"?: string
  readonly "oidc-redirect-uri"?: string
  readonly "oidc-scope"?: string
  readonly "oidc-agency-claim"?: string
  readonly "oidc-roles-claim"?: string
  readonly "oidc-province-claim"?: string
}

/** The parser options of {@link OidcFlags}. */
export const oidcOptions = {
  "oidc-issuer": { type: "string" },
  "oidc-client-id": { type: "string" },
  "oidc-redirect-uri": { type: "string" },
  "oidc-scope": { type: "string" },
  "oidc-agency-claim": { type: "string" },
  "oidc-roles-claim": { type: "string" },
  "oidc-province-claim": { type: "string" },
} as const

/**
 * The OpenID Connect sign-in `civicase serve` configures, or undefined without
 * `--oidc-issuer`. The client secret comes from `CIVICASE_OIDC_CLIENT_SECRET`
 * (never a flag: flags show in process lists).
 *
 * @example
 * readOidc({ "oidc-issuer": "https://sso.vinhphuc.gov.vn", "oidc-client-id": "civicase", "oidc-redirect-uri": "https://civicase.vinhphuc.gov.vn/auth/oidc/callback" }, "vinh-phuc", process.env)
 */
export function readOidc(flags: OidcFlags, province: string, env: NodeJS.ProcessEnv): OidcSignIn | undefined {
  const issuer = flags["oidc-issuer"]
  if (issuer === undefined) {
    const others = [flags["oidc-client-id"], flags["oidc-redirect-uri"], flags["oidc-scope"], flags["oidc-agency-claim"], flags["oidc-roles-claim"], flags["oidc-province-claim"]]
    if (others.some((v) => v !== undefined)) throw new UsageError("the --oidc-… options need --oidc-issuer")
    return undefined
  }
  const clientId = flags["oidc-client-id"]
  const redirectUri = flags["oidc-redirect-uri"]
  if (!clientId) throw new UsageError("--oidc-client-id is required with --oidc-issuer")
  if (!redirectUri) throw new UsageError("--oidc-redirect-uri is required with --oidc-issuer (this server's /auth/oidc/callback as the provider knows it)")
  for (const [flag, value] of [["--oidc-issuer", issuer], ["--oidc-redirect-uri", redirectUri]] as const) {
    if (!URL.canParse(value)) throw new UsageError(`${flag} must be a URL, got "${value}"`)
  }
  if (!issuer.startsWith("https:")) throw new UsageError(`--oidc-issuer must be https, got "${issuer}"`)
  const secret = env.CIVICASE_OIDC_CLIENT_SECRET
  return oidcSignIn({
    issuer,
    clientId,
    ...(secret ? { clientSecret: secret } : {}),
    redirectUri,
    province,
    ...(flags["oidc-scope"] ? { scope: flags["oidc-scope"] } : {}),
    claims: {
      ...(flags["oidc-agency-claim"] ? { agency: flags["oidc-agency-claim"] } : {}),
      ...(flags["oidc-roles-claim"] ? { roles: flags["oidc-roles-claim"] } : {}),
      ...(flags["oidc-province-claim"] ? { province: flags["oidc-province-claim"] } : {}),
    },
  })
}
