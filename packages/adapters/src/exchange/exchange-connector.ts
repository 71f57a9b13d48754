import { type Actor, type Engine, InvalidConfigError, type Logger, type Plugin, definePlugin, silentLogger } from "@civicase/core"
import type { Kysely } from "kysely"
import type { EdxmlLimits } from "../edxml/limits.js"
import type { EdxmlSigner, EdxmlVerifier } from "../edxml/signature.js"
import { type ExchangeDirectory, directoryIndex } from "./directory.js"
import { type DirectorySync, syncDirectory } from "./directory-sync.js"
import { type ExchangeRules, checkExchangeRules } from "./exchange-rules.js"
import { exchangeStore } from "./exchange-store.js"
import { type ReceiptOutcome, actingOn, receiveOne } from "./incoming.js"
import { type PackageOrder, packageOrders, sendPackage } from "./outgoing.js"
import type { ExchangePlatform } from "./platform.js"
import { type StatusOrder, sendStatus, statusOrder } from "./status-feedback.js"

/**
 * Options of {@link exchangeConnector}: the platform, this province and its
 * directory (agencies with codes, role holders), the rules (the integration
 * file's `exchange` section), and optionally the signer of outgoing packages
 * and the verifier of incoming ones.
 *
 * @example
 * exchangeConnector({ platform: httpExchangePlatform({ url, token }), province: "vinh-phuc", directory: province, rules: file.exchange,
 *   signer: xmlDsigSigner({ privateKey }), verifier: xmlDsigVerifier({ publicKeys }) })
 */
export interface ExchangeConnectorOptions {
  readonly platform: ExchangePlatform
  readonly province: string
  readonly directory: ExchangeDirectory
  readonly rules: ExchangeRules
  readonly signer?: EdxmlSigner
  readonly verifier?: EdxmlVerifier
  /** Refuse unsigned incoming packages; default: when a verifier is given. */
  readonly requireSignature?: boolean
  readonly limits?: Partial<EdxmlLimits>
}

/** What one poll did, per package. */
export interface PollResult {
  readonly outcomes: ReadonlyArray<ReceiptOutcome>
  /** Inboxes that could not be read this time (the platform failing), with why. */
  readonly errors: ReadonlyArray<{ readonly agency: string; readonly reason: string }>
}

/**
 * The exchange connector: a plugin (give it to `createEngine({ plugins })`)
 * whose hooks turn chosen case events into outgoing packages and report the
 * progress of cases started by a package, through the outbox; and the
 * receiving side, a poller the host starts once the engine runs.
 */
export type ExchangeConnector = Plugin & {
  /** The actor incoming packages act as: `exchange:platform`, of `rules.agency`, role `integration`. */
  readonly actor: Actor
  /** Reads every inbox once and acts on each message; see {@link PollResult}. */
  poll(engine: Engine): Promise<PollResult>
  /** Polls every `rules.pollSeconds` (default 30) until the returned function is called. */
  startPolling(engine: Engine, options?: { readonly intervalMs?: number }): () => Promise<void>
  /** Compares the province's agencies with the platform's directory, by code. */
  syncDirectory(): Promise<DirectorySync>
}

/** The id of the actor packages from the platform act as. */
export const EXCHANGE_ACTOR_ID = "exchange:platform"

/**
 * Connects the engine to a document-exchange platform (kết nối trục liên
 * thông văn bản). Sending: a commit that matches a send rule writes an
 * `exchange.package` outbox row in its own statement; the outbox delivers it
 * (retries, backoff) as an edXML package whose `DocumentId` comes from the
 * case id and rev, so a retry sends the same document. Receiving: `poll`
 * reads the inboxes, starts cases or sends events as the exchange actor,
 * once per document id, acknowledges each message, and answers refusals
 * with `fail`. Status feedback: every commit of a case a package started
 * writes an `exchange.status` outbox row to the package's sender.
 *
 * @example
 * const exchange = exchangeConnector({ platform, province: "vinh-phuc", directory: province, rules })
 * const engine = createEngine({ store, ...provinceEngineOptions(province, { plugins: [exchange] }) })
 * const stop = exchange.startPolling(engine)
 */
export function exchangeConnector(options: ExchangeConnectorOptions): ExchangeConnector {
  const rules = checkExchangeRules(options.rules, "/exchange")
  const directory = directoryIndex(options.directory)
  const problems = [
    ...(directory.codeOf(rules.agency) ? [] : [{ path: "/exchange/agency", message: `${rules.agency} must be an agency of the province with a national code` }]),
    ...(rules.inboxes ?? []).flatMap((a, i) => (directory.codeOf(a) ? [] : [{ path: `/exchange/inboxes/${i}`, message: `${a} must be an agency of the province with a national code` }])),
  ]
  if (problems.length) throw new InvalidConfigError("exchange options", problems)
  const actor: Actor = { id: EXCHANGE_ACTOR_ID, province: options.province, agency: rules.agency, roles: [rules.integrationRole ?? "integration"] }
  const feedback = rules.statusFeedback !== false
  let db: Kysely<any> | undefined
  let logger: Logger = silentLogger
  const known = new Map<string, Awaited<ReturnType<typeof exchangeStore.receivedById>>>()
  const ready = () => {
    if (!db) throw new Error("exchange: the engine has not started")
    return db
  }
  const sendCtx = () => ({ db: ready(), platform: options.platform, directory, fallbackAgency: rules.agency, place: rules.place, ...(options.signer ? { signer: options.signer } : {}) })

  const plugin = definePlugin({
    name: "civicase.exchange",
    hooks: {
      async onStart(ctx) {
        // The province file must admit the exchange actor, as it admits link actors: refused here, not at the first package.
        ctx.access.admit(actor)
        await exchangeStore.migrate(ctx.db)
        db = ctx.db
        logger = ctx.logger
      },
      beforeCreate() {
        const acting = actingOn.getStore()
        return acting ? { meta: acting.meta } : undefined
      },
      beforeEvent() {
        const acting = actingOn.getStore()
        return acting ? { meta: acting.meta } : undefined
      },
      async beforeWrite(commit) {
        const outbox: { topic: string; payload: unknown }[] = packageOrders(rules.send ?? [], options.province, commit).map((o) => ({ topic: "exchange.package", payload: o }))
        if (feedback && commit.province === options.province && !(commit.actor.id === actor.id && commit.event === "case.document_attached")) {
          const acting = actingOn.getStore()
          let doc = commit.createdBy === actor.id && commit.createKey?.startsWith("exchange:") ? known.get(commit.createKey.slice("exchange:".length)) : undefined
          if (!doc && commit.createdBy === actor.id && commit.createKey?.startsWith("exchange:")) {
            const id = commit.createKey.slice("exchange:".length)
            doc = acting?.doc.documentId === id ? acting.doc : await exchangeStore.receivedById(ready(), options.province, id)
            if (doc) {
              // A bounded cache: the row is one indexed read away when it is dropped.
              if (known.size >= 10_000) known.delete(known.keys().next().value!)
              known.set(id, doc)
            }
          }
          const target = doc ?? acting?.doc
          if (target) outbox.push({ topic: "exchange.status", payload: statusOrder(target, commit, acting?.doc.documentId === target.documentId) })
        }
        return outbox.length ? { outbox } : undefined
      },
    },
    notifiers: [
      {
        name: "exchange",
        topics: ["exchange.package", "exchange.status"],
        async deliver(message) {
          if (message.topic === "exchange.package") await sendPackage(sendCtx(), message.payload as PackageOrder)
          else await sendStatus(sendCtx(), message.payload as StatusOrder)
        },
      },
    ],
  })

  const inboxes = () => (rules.inboxes ?? directory.coded()).map((a) => directory.codeOf(a)!)
  const receiveCtx = () => ({
    db: ready(),
    province: options.province,
    platform: options.platform,
    directory,
    rules: rules.receive ?? [],
    actor,
    logger,
    ...(options.verifier ? { verifier: options.verifier } : {}),
    ...(options.requireSignature === undefined ? {} : { requireSignature: options.requireSignature }),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.signer ? { signer: options.signer } : {}),
  })

  async function poll(engine: Engine): Promise<PollResult> {
    await engine.start()
    const outcomes: ReceiptOutcome[] = []
    const errors: { agency: string; reason: string }[] = []
    for (const code of inboxes()) {
      try {
        for (const entry of await options.platform.inbox(code, rules.pollLimit ?? 20)) {
          outcomes.push(await receiveOne(engine, receiveCtx(), code, entry))
          await options.platform.acknowledge(entry.id, code)
        }
      } catch (e) {
        // Left unacknowledged: the next poll sees the message again, and document ids keep it from acting twice.
        errors.push({ agency: code, reason: (e as Error).message })
        logger.warn({ agency: code, error: (e as Error).message }, "exchange: inbox failed")
      }
    }
    return { outcomes, errors }
  }

  return Object.assign(plugin, {
    actor,
    poll,
    startPolling(engine: Engine, opts: { readonly intervalMs?: number } = {}) {
      const interval = opts.intervalMs ?? (rules.pollSeconds ?? 30) * 1000
      let stopped = false
      let timer: NodeJS.Timeout | undefined
      let running: Promise<unknown> = Promise.resolve()
      const tick = () => {
        running = poll(engine)
          .catch((e) => logger.error({ error: (e as Error).message }, "exchange: poll failed"))
          .finally(() => {
            if (!stopped) timer = setTimeout(tick, interval)
          })
      }
      tick()
      return async () => {
        stopped = true
        if (timer) clearTimeout(timer)
        await running
      }
    },
    syncDirectory: () => syncDirectory(options.platform, options.directory, rules.send ?? []),
  })
}
