import { readFileSync } from "node:fs"
import { type Authenticator, jwtAuth } from "../auth/jwt-auth.js"
import { devTokens } from "../auth/dev-tokens.js"
import { type OidcFlags, oidcOptions, readOidc } from "./oidc-config.js"
import { buildServer } from "../build-server.js"
import { defaultProvinceWideRoles, ownValue } from "@civicase/core"
import { type Province, provinceConfiguration, provinceEngineOptions } from "@civicase/workflows"
import { readExchange } from "./exchange-config.js"
import { readIntegration } from "./integration-config.js"
import { notificationsFile, readNotifications } from "./notifications-config.js"
import { type StoreFlags, UsageError, openEngine, openProvince, storeOptions } from "./open-engine.js"
import { guardLostConnections } from "./lost-connection-guard.js"
import { startEngine } from "./start-engine.js"
import { processLogger } from "../observe/process-logger.js"

interface ServeFlags extends StoreFlags, OidcFlags {
  readonly province?: string
  readonly port?: string
  readonly host?: string
  readonly dev?: boolean
  readonly "jwks-url"?: string
  readonly "jwt-public-key"?: string
  readonly "jwt-algorithms"?: string
  readonly "jwt-issuer"?: string
  readonly "jwt-audience"?: string
  readonly "jwt-max-age"?: string
  readonly "cors-origin"?: string[]
  readonly "log-level"?: string
  readonly integration?: string
  readonly "allow-private-target"?: string[]
  readonly notifications?: string
}

/** The options `civicase serve` takes (also used by its help). */
export const serveOptions = {
  province: { type: "string" },
  ...storeOptions,
  port: { type: "string" },
  host: { type: "string" },
  dev: { type: "boolean" },
  "jwks-url": { type: "string" },
  "jwt-public-key": { type: "string" },
  "jwt-algorithms": { type: "string" },
  "jwt-issuer": { type: "string" },
  "jwt-audience": { type: "string" },
  "jwt-max-age": { type: "string" },
  "cors-origin": { type: "string", multiple: true },
  "log-level": { type: "string" },
  integration: { type: "string" },
  "allow-private-target": { type: "string", multiple: true },
  notifications: { type: "string" },
  ...oidcOptions,
  help: { type: "boolean", short: "h" },
} as const

/** Default `--jwt-max-age`: a token issued (`iat`) longer ago than this is refused, whatever its `exp`. */
const DEFAULT_MAX_TOKEN_AGE_SECONDS = 24 * 3600

function maxAge(text: string | undefined): number {
  if (text === undefined) return DEFAULT_MAX_TOKEN_AGE_SECONDS
  const n = Number(text)
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--jwt-max-age must be a positive number of seconds, got "${text}"`)
  return n
}

function productionAuth(flags: ServeFlags, env: NodeJS.ProcessEnv): Authenticator {
  const common = {
    issuer: flags["jwt-issuer"],
    audience: flags["jwt-audience"] ?? "civicase",
    maxTokenAge: maxAge(flags["jwt-max-age"]),
  }
  const algorithms = (alg: string) => (flags["jwt-algorithms"] ?? alg).split(",").map((a) => a.trim()).filter(Boolean)
  const sources = [flags["jwks-url"], flags["jwt-public-key"], env.CIVICASE_JWT_SECRET].filter(Boolean).length
  if (sources === 0) {
    throw new UsageError("no way to verify tokens: give --jwks-url, --jwt-public-key or CIVICASE_JWT_SECRET (or --dev for a local demo)")
  }
  if (sources > 1) throw new UsageError("give only one of --jwks-url, --jwt-public-key and CIVICASE_JWT_SECRET")
  // Without an issuer, a token from any issuer whose key is in the JWKS would be accepted.
  if (!flags["jwt-issuer"]) throw new UsageError("--jwt-issuer is required without --dev (the \"iss\" claim every token must carry)")
  if (flags["jwks-url"]) return jwtAuth({ jwksUrl: flags["jwks-url"], algorithms: algorithms("RS256"), ...common })
  if (flags["jwt-public-key"]) return jwtAuth({ publicKey: readFileSync(flags["jwt-public-key"], "utf8"), algorithms: algorithms("RS256"), ...common })
  return jwtAuth({ secret: env.CIVICASE_JWT_SECRET!, algorithms: algorithms("HS256"), ...common })
}

function port(text: string | undefined): number {
  if (text === undefined) return 3000
  const n = Number(text)
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, got "${text}"`)
  return n
}

/**
 * An actor the served province really has, for the `--dev` token recipe: a
 * province-wide role (a coordinator where there is one) and an active agency
 * the province gives it, so the token sees the whole province.
 *
 * @example
 * devTokenExample(loadProvince(provinceFiles.daNang)) // { agency: "so-vhttdl", roles: ["coordinator"] }
 */
export function devTokenExample(province: Province): { agency: string; roles: string[] } {
  const active = province.agencies.filter((a) => !a.retired).map((a) => a.id)
  const wide = province.provinceWideRoles ?? defaultProvinceWideRoles
  const held = Object.keys(province.roles)
  const role = wide.find((r) => held.includes(r)) ?? held[0]!
  const holders = ownValue(province.roles, role) ?? []
  const agency = holders.includes("*") ? active[0]! : holders.find((a) => active.includes(a)) ?? active[0]!
  return { agency, roles: [role] }
}

/**
 * `civicase serve`: opens the engine, builds the server and listens until
 * SIGTERM or SIGINT, then stops accepting, lets in-flight requests (and so
 * their transitions) finish, closes websockets, closes the engine and exits 0.
 * A database that cannot be reached does not stop it: it serves 503 and
 * keeps trying (see `startEngine`).
 */
export async function serve(flags: ServeFlags, out: { log: (line: string) => void } = console): Promise<void> {
  const listenPort = port(flags.port)
  const host = flags.host ?? "127.0.0.1"
  const province = openProvince(flags.province)
  const dev = flags.dev ? devTokens() : undefined
  const oidc = readOidc(flags, province.id, process.env)
  // With sign-in through the identity provider and no JWT key, the session tokens it mints are the only ones accepted.
  const jwtKey = flags["jwks-url"] || flags["jwt-public-key"] || process.env.CIVICASE_JWT_SECRET
  const auth = dev ? dev.auth : oidc && !jwtKey ? oidc.auth : productionAuth(flags, process.env)
  const integration = readIntegration(flags.integration, province.id, flags["allow-private-target"] ?? [], process.env)
  // One logger for the engine and Fastify: one JSON format on stdout.
  const log = processLogger({ level: flags["log-level"] ?? "info" })
  const notifications = readNotifications(notificationsFile(flags.notifications, flags.province), province, process.env)
  const exchange = readExchange(flags.integration, province, process.env)
  const { engine, where } = openEngine(province, flags, {
    logger: log,
    plugins: provinceEngineOptions(province, { plugins: [...integration.plugins, ...(exchange ? [exchange] : []), notifications.plugin] }).plugins,
    notifiers: notifications.notifiers,
    // Versions applied with `civicase config apply` or POST /v1/config replace this file at run time, in every server.
    configuration: provinceConfiguration(province),
    ...(integration.links ? { links: integration.links } : {}),
  })
  guardLostConnections(out.log)
  const stopRetrying = await startEngine(engine, where, out.log)
  const stopExchange = exchange?.startPolling(engine)
  const app = await buildServer({
    engine,
    auth,
    province: province.id,
    ...(dev ? { devTokens: dev } : {}),
    ...(oidc ? { oidc } : {}),
    ...(flags["cors-origin"] ? { corsOrigins: flags["cors-origin"] } : {}),
    logger: log,
    ...(notifications.feed ? { live: { personFeed: notifications.feed } } : {}),
    ...(integration.subscriptions ? { subscriptions: integration.subscriptions } : {}),
    ...(integration.linkTransport ? { linkTransport: integration.linkTransport } : {}),
  })
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) {
      out.log(`civicase: ${signal} again, exiting at once`)
      process.exit(1)
    }
    stopping = true
    stopRetrying()
    out.log(`civicase: ${signal} received, shutting down`)
    try {
      await stopExchange?.()
      await app.close()
      await engine.close()
      notifications.close()
      process.exit(0)
    } catch (e) {
      out.log(`civicase: shutdown failed: ${(e as Error).message}`)
      process.exit(1)
    }
  }
  process.on("SIGTERM", () => void stop("SIGTERM"))
  process.on("SIGINT", () => void stop("SIGINT"))
  const address = await app.listen({ port: listenPort, host })
  out.log(`civicase ${province.names.en} (${province.id}) listening on ${address}`)
  out.log(`  database: ${where}`)
  out.log(`  notifications: ${notifications.summary}`)
  out.log(`  dashboard: ${address}/   API docs: ${address}/docs   health: ${address}/healthz`)
  if (exchange) out.log(`  document exchange: polling the platform as ${exchange.actor.id} (${exchange.actor.agency})`)
  if (integration.links) out.log(`  links with: ${integration.links.peers.join(", ")} (inbound at ${address}/v1/links/inbound)`)
  if (dev) {
    out.log("")
    out.log("  --dev: mint a token for any actor of the province (never enabled without --dev):")
    out.log(`    curl -s -X POST ${address}/v1/dev/token -H 'content-type: application/json' \\`)
    out.log(`      -d '${JSON.stringify(devTokenExample(province))}'`)
    out.log("  then call the API with  -H \"authorization: Bearer $TOKEN\"  (walkthrough: docs/http-api.md)")
  }
}
