import { readFileSync } from "node:fs"
import { type LinkOptions, type Plugin, compileSchema, ownValue } from "@civicase/core"
import { type LinkTransport, type WebhookSubscriptions, linkTransport, webhookSubscriptions } from "@civicase/adapters"
import { UsageError } from "./open-engine.js"

/**
 * What `civicase serve --integration FILE` reads: the allow-list of private
 * targets, webhook subscription settings, and links with peer deployments.
 * Peer secrets are never in the file: each peer names the environment
 * variable that holds its `whsec_…` secret.
 *
 * @example
 * { "allow": ["10.20.0.0/16"],
 *   "links": { "agency": "so-tttt", "peers": [{ "province": "da-nang", "url": "https://civicase.danang.gov.vn", "secretEnv": "CIVICASE_LINK_SECRET_DA_NANG" }],
 *              "inbound": [{ "from": "da-nang", "kind": "press-incident", "workflow": "press-response", "input": { "kind": { "value": "incident" }, "summary": "/subject/summary" } }] } }
 */
export interface IntegrationFile {
  readonly allow?: ReadonlyArray<string>
  readonly subscriptions?: false | { readonly managerRoles?: ReadonlyArray<string>; readonly maxPerProvince?: number; readonly timeoutMs?: number }
  readonly links?: {
    readonly agency: string
    readonly forwardRoles?: ReadonlyArray<string>
    readonly peers: ReadonlyArray<{ readonly province: string; readonly url: string; readonly secretEnv: string }>
    readonly inbound?: LinkOptions["inbound"]
    readonly timeoutMs?: number
  }
}

/** The plugins and engine options an integration file turns into. */
export interface Integration {
  readonly plugins: ReadonlyArray<Plugin>
  readonly subscriptions?: WebhookSubscriptions
  readonly linkTransport?: LinkTransport
  readonly links?: LinkOptions
}

const roles = { type: "array", minItems: 1, items: { type: "string", minLength: 1 } } as const
const check = compileSchema({
  type: "object",
  properties: {
    allow: { type: "array", items: { type: "string" } },
    subscriptions: {
      anyOf: [
        { const: false },
        {
          type: "object",
          properties: { managerRoles: roles, maxPerProvince: { type: "integer", minimum: 1 }, timeoutMs: { type: "integer", minimum: 1 } },
          additionalProperties: false,
        },
      ],
    },
    links: {
      type: "object",
      required: ["agency", "peers"],
      properties: {
        agency: { type: "string", minLength: 1 },
        forwardRoles: roles,
        peers: {
          type: "array",
          items: {
            type: "object",
            required: ["province", "url", "secretEnv"],
            properties: { province: { type: "string" }, url: { type: "string" }, secretEnv: { type: "string", pattern: "^[A-Z_][A-Z0-9_]*$" } },
            additionalProperties: false,
          },
        },
        inbound: { type: "array", items: { type: "object" } },
        timeoutMs: { type: "integer", minimum: 1 },
      },
      additionalProperties: false,
    },
    // Read and checked by readExchange (exchange-config.ts), which needs the province.
    exchange: { type: "object" },
  },
  additionalProperties: false,
})

/**
 * Reads `--integration FILE` (when given) for `province`: subscriptions are
 * on unless the file says `"subscriptions": false`; links only with a
 * `links` section. `allow` adds to `--allow-private-target`. Problems are
 * listed by path.
 *
 * @example
 * const integration = readIntegration("./integration.json", "vinh-phuc", ["127.0.0.1"], process.env)
 */
export function readIntegration(file: string | undefined, province: string, allowFlags: ReadonlyArray<string>, env: NodeJS.ProcessEnv): Integration {
  let config: IntegrationFile = {}
  if (file) {
    let text: string
    try {
      text = readFileSync(file, "utf8")
    } catch (e) {
      throw new UsageError(`--integration ${file}: cannot read the file: ${(e as Error).message}`)
    }
    try {
      config = JSON.parse(text)
    } catch (e) {
      throw new UsageError(`--integration ${file}: not valid JSON: ${(e as Error).message}`)
    }
    const issues = check(config)
    if (issues.length) throw new UsageError(`--integration ${file} is invalid:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join("\n")}`)
  }
  const allow = [...allowFlags, ...(config.allow ?? [])]
  const plugins: Plugin[] = []
  let subscriptions: WebhookSubscriptions | undefined
  if (config.subscriptions !== false) {
    subscriptions = webhookSubscriptions({ ...(config.subscriptions ?? {}), allow })
    plugins.push(subscriptions)
  }
  if (!config.links) return { plugins, ...(subscriptions ? { subscriptions } : {}) }
  const peers = config.links.peers.map((p, i) => {
    const secret = ownValue(env, p.secretEnv)
    if (!secret) throw new UsageError(`--integration ${file}: /links/peers/${i}/secretEnv names ${p.secretEnv}, which is not set in the environment`)
    return { province: p.province, url: p.url, secret: secret.split(/\s+/).filter(Boolean) }
  })
  const transport = linkTransport({ province, peers, allow, ...(config.links.timeoutMs ? { timeoutMs: config.links.timeoutMs } : {}) })
  plugins.push(transport)
  const links: LinkOptions = {
    province,
    agency: config.links.agency,
    peers: peers.map((p) => p.province),
    ...(config.links.forwardRoles ? { forwardRoles: config.links.forwardRoles } : {}),
    ...(config.links.inbound ? { inbound: config.links.inbound } : {}),
  }
  return { plugins, linkTransport: transport, links, ...(subscriptions ? { subscriptions } : {}) }
}
