import { randomBytes } from "node:crypto"
import { sql } from "kysely"
import {
  type Engine,
  type InboundResult,
  InvalidConfigError,
  type LinkForward,
  LinkRefusedError,
  type LinkStatus,
  type Plugin,
  ValidationError,
  type ValidationIssue,
  definePlugin,
} from "@civicase/core"
import { postJson } from "../http/post-json.js"
import { type TargetPolicyOptions, targetPolicy } from "../http/target-policy.js"
import { type WebhookHeaders, verifyWebhook } from "../notifiers/verify-webhook.js"
import { signedHeaders, webhookSecretKey } from "../notifiers/webhook-signature.js"

/**
 * A deployment this one exchanges links with: its province, its base URL
 * (its `/v1/links/inbound` receives our requests) and the `whsec_…` secret
 * the two share, or two during a rotation (both sign; either verifies).
 *
 * @example
 * { province: "da-nang", url: "https://civicase.danang.gov.vn", secret: process.env.LINK_SECRET_DA_NANG! }
 */
export interface LinkPeer {
  readonly province: string
  readonly url: string
  readonly secret: string | ReadonlyArray<string>
}

/**
 * Options of {@link linkTransport}.
 *
 * @example
 * linkTransport({ province: "vinh-phuc", peers: [{ province: "da-nang", url, secret }], allow: ["10.20.0.0/16"] })
 */
export interface LinkTransportOptions {
  /** This deployment's province: requests addressed elsewhere are refused. */
  readonly province: string
  readonly peers: ReadonlyArray<LinkPeer>
  /** Private addresses peers may use all the same (a provincial network, 127.0.0.1 in tests). */
  readonly allow?: ReadonlyArray<string>
  readonly resolve?: TargetPolicyOptions["resolve"]
  /** How far a request's timestamp may be from now, in seconds; default 300. Nonces are kept twice as long. */
  readonly toleranceSeconds?: number
  /** One delivery attempt's limit, in milliseconds; default 10000. */
  readonly timeoutMs?: number
  /** Seconds since the epoch (signing, tolerance and the nonce window); default the wall clock. */
  readonly now?: () => number
}

/**
 * The JSON body of every request between linked deployments, signed in the
 * Standard Webhooks format (`webhook-id` is the sender's outbox row id, the
 * same on every retry; the `nonce` is new on every attempt).
 *
 * @example
 * { type: "link.forward", timestamp: "2025-03-03T02:00:00.000Z", nonce: "q0Zb…", from: "vinh-phuc", to: "da-nang", data: { linkId: "0b0e…", … } }
 */
export interface LinkEnvelope {
  readonly type: "link.forward" | "link.status"
  readonly timestamp: string
  readonly nonce: string
  readonly from: string
  readonly to: string
  readonly data: LinkForward | LinkStatus
}

/** What a verified request did: a forwarded case received (or found again), or a status recorded. */
export type LinkReceipt =
  | ({ readonly type: "link.forward" } & InboundResult)
  | { readonly type: "link.status"; readonly rev: number; readonly replayed: boolean }

/** The link transport: a plugin whose notifier sends link requests, and the receiving side. */
export type LinkTransport = Plugin & {
  /**
   * Verifies a request (peer, signature, timestamp, nonce) and hands it to
   * `engine.links`. Refusals are `LinkRefusedError` with a registered code.
   *
   * @example
   * const receipt = await transport.receive(engine, { headers: req.headers, body: rawBody })
   */
  receive(engine: Engine, request: { readonly headers: WebhookHeaders; readonly body: string }): Promise<LinkReceipt>
}

const NONCE = /^[A-Za-z0-9_-]{16,100}$/

function peerIssues(options: LinkTransportOptions): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  if (typeof options?.province !== "string" || options.province.length === 0) issues.push({ path: "/province", message: "must be this deployment's province id" })
  for (const [i, p] of (Array.isArray(options?.peers) ? options.peers : []).entries()) {
    if (typeof p?.province !== "string" || p.province.length === 0) issues.push({ path: `/peers/${i}/province`, message: "must be a province id" })
    try {
      const u = new URL(p?.url)
      if (u.protocol !== "http:" && u.protocol !== "https:") issues.push({ path: `/peers/${i}/url`, message: "must be http or https" })
    } catch {
      issues.push({ path: `/peers/${i}/url`, message: "must be the peer's base URL" })
    }
    const secrets = typeof p?.secret === "string" ? [p.secret] : Array.isArray(p?.secret) ? p.secret : []
    if (secrets.length === 0) issues.push({ path: `/peers/${i}/secret`, message: "must be a whsec_ secret (or two during a rotation)" })
    for (const s of secrets) {
      try {
        webhookSecretKey(s)
      } catch (e) {
        issues.push({ path: `/peers/${i}/secret`, message: (e as Error).message })
      }
    }
  }
  if (!Array.isArray(options?.peers)) issues.push({ path: "/peers", message: "must be a list of peers" })
  return issues
}

/**
 * Links between two civicase deployments over HTTP (liên kết giữa hai
 * tỉnh). Outgoing: its notifier takes the `link.forward` and `link.status`
 * outbox rows `engine.links` writes and POSTs each to the peer's
 * `/v1/links/inbound`, signed with the shared secret (Standard Webhooks
 * headers, a fresh nonce per attempt); the outbox retries failures with
 * backoff. Incoming: `receive` refuses an unknown peer, a bad signature, a
 * timestamp outside the tolerance and a nonce seen before (kept in
 * `civicase_link_nonces` for twice the tolerance), then lets `engine.links`
 * act, idempotently by link id (a forward) or by link id and rev (a status).
 *
 * @example
 * const transport = linkTransport({ province: "vinh-phuc", peers: [{ province: "da-nang", url: "https://civicase.danang.gov.vn", secret }] })
 * const engine = createEngine({ store, ...provinceEngineOptions(province, { plugins: [transport] }),
 *   links: { province: "vinh-phuc", agency: "so-tttt", peers: ["da-nang"] } })
 */
export function linkTransport(options: LinkTransportOptions): LinkTransport {
  const issues = peerIssues(options)
  if (issues.length) throw new InvalidConfigError("link transport options", issues)
  const peers = new Map(options.peers.map((p) => [p.province, { url: new URL(p.url), secrets: typeof p.secret === "string" ? [p.secret] : [...p.secret] }]))
  const policy = targetPolicy({ ...(options.allow ? { allow: options.allow } : {}), ...(options.resolve ? { resolve: options.resolve } : {}) })
  const tolerance = options.toleranceSeconds ?? 300
  const timeoutMs = options.timeoutMs ?? 10_000
  const now = options.now ?? (() => Math.floor(Date.now() / 1000))
  let lastPrune = 0

  const plugin = definePlugin({
    name: "civicase.link-transport",
    notifiers: [
      {
        name: "links",
        topics: ["link.forward", "link.status"],
        async deliver(message) {
          const data = message.payload as LinkForward | LinkStatus
          const to = data.to
          const peer = peers.get(to)
          if (!peer) throw new Error(`no peer ${to} is configured for links`)
          const from = typeof data.from === "string" ? data.from : data.from.province
          const at = now()
          const envelope: LinkEnvelope = {
            type: message.topic as LinkEnvelope["type"],
            timestamp: new Date(at * 1000).toISOString(),
            nonce: randomBytes(18).toString("base64url"),
            from,
            to,
            data,
          }
          const body = JSON.stringify(envelope)
          const target = new URL("v1/links/inbound", peer.url.href.endsWith("/") ? peer.url : `${peer.url.href}/`)
          const answer = await postJson(target, body, { headers: signedHeaders(peer.secrets, message.id, at, body), timeoutMs, policy }).catch((e: Error) => {
            throw new Error(`link ${message.topic} to ${to}: ${e.message}`)
          })
          if (answer.status < 200 || answer.status > 299) {
            const code = /"code"\s*:\s*"(CIVICASE_E_[A-Z_]+)"/.exec(answer.body)?.[1]
            throw new Error(`link ${message.topic} to ${to}: answered ${answer.status}${code ? ` ${code}` : ""}`)
          }
        },
      },
    ],
  })

  return Object.assign(plugin, {
    async receive(engine: Engine, request: { readonly headers: WebhookHeaders; readonly body: string }): Promise<LinkReceipt> {
      let claimed: Partial<LinkEnvelope>
      try {
        claimed = JSON.parse(request.body)
      } catch {
        throw new ValidationError([{ path: "/", message: "must be a JSON link envelope" }], "link request")
      }
      const from = typeof claimed?.from === "string" ? claimed.from : ""
      const peer = peers.get(from)
      if (!peer) throw new LinkRefusedError("CIVICASE_E_LINK_UNKNOWN_PEER", `${JSON.stringify(from).slice(0, 80)} is not a configured peer`)
      const verified = verifyWebhook({ secret: peer.secrets, headers: request.headers, body: request.body, toleranceSeconds: tolerance, now })
      if (!verified.ok) throw new LinkRefusedError(verified.kind === "stale" ? "CIVICASE_E_LINK_STALE" : "CIVICASE_E_LINK_SIGNATURE", verified.reason)
      const envelope = verified.message as LinkEnvelope
      if (envelope.to !== options.province) throw new LinkRefusedError("CIVICASE_E_LINK_UNKNOWN_PEER", `the request is addressed to ${String(envelope.to).slice(0, 80)}, not ${options.province}`)
      if (envelope.type !== "link.forward" && envelope.type !== "link.status") throw new ValidationError([{ path: "/type", message: "must be link.forward or link.status" }], "link request")
      if (typeof envelope.nonce !== "string" || !NONCE.test(envelope.nonce)) throw new ValidationError([{ path: "/nonce", message: "must be 16 to 100 base64url characters" }], "link request")
      const seenAt = new Date(verified.timestamp * 1000).toISOString()
      const fresh = await sql<{ nonce: string }>`insert into civicase_link_nonces (province, peer, nonce, seen_at) values (${options.province}, ${from}, ${envelope.nonce}, ${seenAt}::timestamptz)
        on conflict do nothing returning nonce`.execute(engine.db)
      if (fresh.rows.length === 0) throw new LinkRefusedError("CIVICASE_E_LINK_REPLAYED", `nonce ${envelope.nonce} from ${from} was already used`)
      const at = now()
      if (at - lastPrune > tolerance) {
        lastPrune = at
        // A nonce older than twice the tolerance cannot come back: its timestamp would be refused first.
        await sql`delete from civicase_link_nonces where seen_at < ${new Date((at - 2 * tolerance) * 1000).toISOString()}::timestamptz`.execute(engine.db)
      }
      if (envelope.type === "link.forward") return { type: "link.forward", ...(await engine.links.receive(from, envelope.data as LinkForward)) }
      return { type: "link.status", ...(await engine.links.update(from, envelope.data as LinkStatus)) }
    },
  })
}
