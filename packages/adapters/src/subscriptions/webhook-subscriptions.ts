import { randomUUID } from "node:crypto"
import type { Kysely } from "kysely"
import {
  type AccessPolicy,
  type Actor,
  type CivicaseDatabase,
  type Clock,
  type CommittedTransition,
  ForbiddenError,
  type Logger,
  type Plugin,
  SubscriptionNotFoundError,
  ValidationError,
  compileSchema,
  definePlugin,
} from "@civicase/core"
import { postJson } from "../http/post-json.js"
import { type TargetPolicyOptions, targetPolicy } from "../http/target-policy.js"
import { generateWebhookSecret, signedHeaders, webhookSecretKey } from "../notifiers/webhook-signature.js"
import type { CreatedSubscription, SubscriptionApi, SubscriptionInput } from "./subscription.js"
import { SubscriptionMatcher } from "./subscription-matcher.js"
import { SUBSCRIPTIONS_CHANNEL, subscriptionStore, subscriptionView } from "./subscription-store.js"

/** The outbox topic of one delivery to one subscription. */
export const SUBSCRIPTION_TOPIC = "webhook.subscription"

/**
 * The JSON body every subscription delivery carries (Standard Webhooks'
 * `type` / `timestamp` / `data` envelope). It says what happened to which
 * case, never the case's content: a subscriber reads the case through the API
 * with its own credentials.
 *
 * @example
 * { type: "case.transitioned", timestamp: "2025-03-03T02:00:00.000Z",
 *   data: { subscriptionId: "5c1e…", caseId: "6f1c…", province: "vinh-phuc", workflow: "press-response", version: 1, rev: 3,
 *           event: "TRIAGE", from: "reported", to: "fact_finding", status: "active", agencies: ["so-tttt", "so-y-te"] } }
 */
export interface SubscriptionEnvelope {
  /** `case.created`, `case.transitioned`, or the activity's own type (`case.link_updated`). */
  readonly type: string
  /** When the commit happened (ISO 8601). */
  readonly timestamp: string
  readonly data: { readonly subscriptionId: string } & Pick<
    CommittedTransition,
    "caseId" | "province" | "workflow" | "version" | "rev" | "event" | "from" | "to" | "status" | "agencies"
  >
}

/**
 * Options of {@link webhookSubscriptions}.
 *
 * @example
 * webhookSubscriptions({ allow: ["10.20.0.0/16"], timeoutMs: 5000 })
 */
export interface WebhookSubscriptionsOptions {
  /** Roles that manage subscriptions (province-wide coordinator roles); default coordinator, coordinator_head. */
  readonly managerRoles?: ReadonlyArray<string>
  /** Private or loopback addresses and ranges subscribers may use all the same. */
  readonly allow?: ReadonlyArray<string>
  /** The host-name resolver (tests); default the system's. */
  readonly resolve?: TargetPolicyOptions["resolve"]
  /** One delivery attempt's limit, in milliseconds; default 10000. */
  readonly timeoutMs?: number
  /** Subscriptions per province at most; default 50. */
  readonly maxPerProvince?: number
  /** How often filters are reloaded even without a NOTIFY, in milliseconds; default 60000. */
  readonly refreshMs?: number
  /** Seconds since the epoch for `webhook-timestamp`; default the wall clock. */
  readonly now?: () => number
}

/** The subscriptions plugin: give it to `createEngine({ plugins })` and its API to the server. */
export type WebhookSubscriptions = Plugin & SubscriptionApi

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const names = { type: "array", maxItems: 50, uniqueItems: true, items: { type: "string", minLength: 1, maxLength: 100 } } as const
const checkInput = compileSchema({
  type: "object",
  required: ["url"],
  properties: {
    url: { type: "string", minLength: 1, maxLength: 2000 },
    workflows: names,
    agencies: names,
    eventTypes: names,
    secret: { type: "string", maxLength: 200 },
    description: { type: "string", minLength: 1, maxLength: 500 },
  },
  additionalProperties: false,
})

function envelopeOf(subscriptionId: string, t: CommittedTransition): SubscriptionEnvelope {
  const type = t.event.startsWith("case.") ? t.event : "case.transitioned"
  return {
    type,
    timestamp: t.at,
    data: {
      subscriptionId,
      caseId: t.caseId,
      province: t.province,
      workflow: t.workflow,
      version: t.version,
      rev: t.rev,
      event: t.event,
      from: t.from,
      to: t.to,
      status: t.status,
      agencies: [...t.agencies],
    },
  }
}

/**
 * Webhook subscriptions over the API (đăng ký nhận thông báo webhook): a
 * plugin that keeps every subscription's filters in memory (reloaded on each
 * change here, on `NOTIFY civicase_subscriptions` from other processes, and
 * every `refreshMs`), writes one `webhook.subscription` outbox row per
 * matching subscription in each commit's own statement (`beforeWrite`), and
 * delivers them signed in the Standard Webhooks format with the
 * subscription's secret. Targets are checked when a subscription is created
 * and again on the address each delivery connects to (private, loopback,
 * link-local and metadata addresses are refused unless allowed). A
 * subscription deleted before its delivery is dropped silently.
 *
 * @example
 * const subscriptions = webhookSubscriptions({ allow: ["10.20.0.0/16"] })
 * const engine = createEngine({ store, ...provinceEngineOptions(province, { plugins: [subscriptions] }) })
 * const created = await subscriptions.create({ url: "https://portal.example.gov.vn/hooks" }, coordinator)
 */
export function webhookSubscriptions(options: WebhookSubscriptionsOptions = {}): WebhookSubscriptions {
  const managers = options.managerRoles ?? ["coordinator", "coordinator_head"]
  const policy = targetPolicy({ ...(options.allow ? { allow: options.allow } : {}), ...(options.resolve ? { resolve: options.resolve } : {}) })
  const timeoutMs = options.timeoutMs ?? 10_000
  const maxPerProvince = options.maxPerProvince ?? 50
  const refreshMs = options.refreshMs ?? 60_000
  const now = options.now ?? (() => Math.floor(Date.now() / 1000))
  const matcher = new SubscriptionMatcher()
  let db: Kysely<CivicaseDatabase> | undefined
  let notify = false
  let logger: Logger | undefined
  let clock: Clock | undefined
  let access: AccessPolicy | undefined
  let stopListening: (() => Promise<void>) | undefined
  let timer: NodeJS.Timeout | undefined

  const started = () => {
    if (!db) throw new Error("webhookSubscriptions: the engine has not started (await engine.start())")
    return db
  }
  const authorize = (actor: Actor) => {
    started()
    access!.admit(actor)
    if (!actor.roles.some((r) => managers.includes(r))) throw new ForbiddenError("manage webhook subscriptions", `requires one of the roles ${managers.join(", ")}`)
  }
  const refresh = async () => matcher.replace(await subscriptionStore.filters(started()))

  const plugin = definePlugin({
    name: "civicase.webhook-subscriptions",
    hooks: {
      async onStart(ctx) {
        db = ctx.db
        logger = ctx.logger
        clock = ctx.clock
        access = ctx.access
        notify = ctx.driver.capabilities.listenNotify
        await refresh()
        if (notify && ctx.driver.listen) {
          stopListening = await ctx.driver.listen(SUBSCRIPTIONS_CHANNEL, () => void refresh().catch((e) => logger?.warn({ error: (e as Error).message }, "subscription reload failed")), {
            onReconnect: () => void refresh().catch(() => undefined),
          })
        }
        timer = setInterval(() => void refresh().catch((e) => logger?.warn({ error: (e as Error).message }, "subscription reload failed")), refreshMs)
        timer.unref()
      },
      async onStop() {
        if (timer) clearInterval(timer)
        await stopListening?.()
      },
      beforeWrite(commit) {
        const ids = matcher.match(commit)
        if (ids.length === 0) return
        return { outbox: ids.map((id) => ({ topic: SUBSCRIPTION_TOPIC, payload: envelopeOf(id, commit) })) }
      },
    },
    notifiers: [
      {
        name: "webhook subscriptions",
        topics: [SUBSCRIPTION_TOPIC],
        async deliver(message) {
          const envelope = message.payload as SubscriptionEnvelope
          const row = await subscriptionStore.get(started(), envelope.data.subscriptionId)
          if (!row) return // Deleted since: nothing to deliver, nothing to retry.
          const body = JSON.stringify(envelope)
          const answer = await postJson(row.url, body, { headers: signedHeaders([row.secret], message.id, now(), body), timeoutMs, policy }).catch((e: Error) => {
            throw new Error(`subscription ${row.id}: ${e.message}`)
          })
          if (answer.status < 200 || answer.status > 299) throw new Error(`subscription ${row.id}: answered ${answer.status}`)
        },
      },
    ],
  })

  return Object.assign(plugin, {
    refresh,
    async create(input: SubscriptionInput, actor: Actor): Promise<CreatedSubscription> {
      authorize(actor)
      const issues = checkInput(input)
      if (issues.length) throw new ValidationError(issues, "subscription")
      if (input.secret !== undefined) {
        try {
          webhookSecretKey(input.secret)
        } catch (e) {
          throw new ValidationError([{ path: "/secret", message: (e as Error).message }], "subscription")
        }
      }
      const url = await policy.check(input.url)
      const database = started()
      if ((await subscriptionStore.count(database, actor.province)) >= maxPerProvince) {
        throw new ValidationError([{ path: "/", message: `province ${actor.province} already has ${maxPerProvince} subscriptions; delete one first` }], "subscription")
      }
      const row = {
        id: randomUUID(),
        province: actor.province,
        url: url.href,
        secret: input.secret ?? generateWebhookSecret(),
        workflows: input.workflows?.length ? [...input.workflows] : null,
        agencies: input.agencies?.length ? [...input.agencies] : null,
        event_types: input.eventTypes?.length ? [...input.eventTypes] : null,
        description: input.description ?? null,
        created_by: actor,
        created_at: clock!.now(),
      }
      await subscriptionStore.insert(database, row, notify)
      await refresh()
      return { ...subscriptionView(row), secret: row.secret }
    },
    async list(actor: Actor) {
      authorize(actor)
      return (await subscriptionStore.byProvince(started(), actor.province)).map(subscriptionView)
    },
    async get(id: string, actor: Actor) {
      authorize(actor)
      const row = typeof id === "string" && UUID.test(id) ? await subscriptionStore.get(started(), id) : undefined
      if (!row || row.province !== actor.province) throw new SubscriptionNotFoundError(String(id).slice(0, 100))
      return subscriptionView(row)
    },
    async remove(id: string, actor: Actor) {
      authorize(actor)
      const gone = typeof id === "string" && UUID.test(id) && (await subscriptionStore.remove(started(), actor.province, id, notify))
      if (!gone) throw new SubscriptionNotFoundError(String(id).slice(0, 100))
      await refresh()
    },
  })
}
