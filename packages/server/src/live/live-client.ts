import type { AccessPolicy, Actor, Engine } from "@civicase/core"
import type { WebSocket } from "ws"
import { CatchUp } from "./catch-up.js"
import { type ClientMessage, misuseOf, readClientMessage } from "./client-messages.js"
import { type LiveLimits, MessageRate } from "./client-limits.js"
import { ClientQueue } from "./client-queue.js"
import { ClientSocket } from "./client-socket.js"
import { CLOSE } from "./close-codes.js"
import type { CommitNotice, NoticeSink } from "./live-hub.js"
import { liveErrorMessage, sendFailure } from "./live-errors.js"
import type { LiveNotification } from "./live-protocol.js"
import { SentRevs } from "./sent-revs.js"
import { type Filter, Subscriptions, filterOf } from "./subscriptions.js"

/** Re-exported for the package entry, which names this file. */
export type { LiveLimits } from "./client-limits.js"

interface ClientLogger {
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

/**
 * One websocket client of the live feed. Everything it does runs in one
 * queue: a subscription's first answer, then each catch-up, so the client
 * sees every case's transitions once and in rev order. When this process
 * committed exactly the revs the client expects next, they are sent from the
 * commit itself, authorized by the engine's own rule (`AccessPolicy.canSee`
 * on the case's agencies at that rev): no query. Any gap (a NOTIFY from
 * another process, a lost or out-of-order notice, a resume with `sinceRev`)
 * is filled from history, which the engine authorizes, so a missed or
 * repeated notice cannot make a client miss or repeat a transition.
 *
 * @example
 * const client = new LiveClient(socket, request.actor, engine, engine.access, limits, log, metrics.liveDropped)
 * socket.on("message", (data, isBinary) => client.receive(data, isBinary))
 * hub.add(client)
 */
export class LiveClient implements NoticeSink {
  private readonly subs = new Subscriptions()
  private readonly sent: SentRevs
  private readonly out: ClientSocket
  private readonly catchUp: CatchUp
  private readonly queue: ClientQueue
  private readonly rate: MessageRate
  /** Set by a pong; the heartbeat drops a client that stays silent. */
  alive = true

  constructor(
    socket: WebSocket,
    private readonly actor: Actor,
    private readonly engine: Engine,
    private readonly access: AccessPolicy,
    private readonly limits: LiveLimits,
    private readonly log: ClientLogger,
    onDrop: (reason: string) => void,
  ) {
    this.sent = new SentRevs(limits.maxTrackedCases, this.subs.cases)
    this.out = new ClientSocket(socket, limits.maxBufferedBytes, log, onDrop, () => this.dispose())
    this.catchUp = new CatchUp(engine, actor, access, this.sent, this.out, log)
    // Logged by the queue already; the client hears only what kind of failure it was.
    this.queue = new ClientQueue(log, (e) => this.out.send(liveErrorMessage(e)))
    this.rate = new MessageRate(limits.maxMessages, limits.messageWindowMs)
  }

  /** Handles one raw message from the client; anything malformed closes this client only. */
  receive(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    if (this.out.closed) return
    if (!this.rate.allow(Date.now())) {
      return this.reject(CLOSE.policy, `more than ${this.limits.maxMessages} messages in ${this.limits.messageWindowMs} ms`)
    }
    const m = readClientMessage(data, isBinary)
    if ("closeCode" in m) return this.reject(m.closeCode, m.detail)
    if (m.op === "ping") return this.out.send({ type: "pong" })
    const misuse = misuseOf(m)
    if (misuse) return this.out.send({ type: "error", code: "CIVICASE_E_BAD_REQUEST", detail: misuse })
    if (this.queue.requests >= this.limits.maxQueued) {
      return this.reject(CLOSE.policy, `more than ${this.limits.maxQueued} requests waiting; wait for their answers`)
    }
    // Unsubscribe waits its turn too, so "subscribe X; unsubscribe X" leaves X unsubscribed.
    this.queue.request(() => {
      if (m.op === "unsubscribe") return this.unsubscribe(m)
      if (m.caseId !== undefined) return this.subscribeCase(m.caseId, m.sinceRev)
      return this.subscribeFilter({ workflow: m.workflow, agency: m.agency })
    })
  }

  notice(n: CommitNotice): void {
    if (this.out.closed || n.province !== this.actor.province) return
    if (!this.subs.wants(n)) return
    // A commit of a case this actor may not see (after it) costs no read: a broad
    // filter held by an agency officer must not read every commit of the province.
    if (!this.access.canSee(this.actor, n.province, n.agencies)) return
    if (this.catchUp.note(n)) this.queue.run(() => this.catchUp.drain())
  }

  /**
   * Catches up after the server's LISTEN connection was lost and restored,
   * when other processes' commits may have gone unheard. Each case
   * subscribed by id is compared with its head rev and any gap is filled from
   * history, in order, on the socket. A filter cannot be replayed (cases may
   * have entered, moved and left it unheard), so a client holding one is
   * closed with 4002 and resubscribes.
   */
  resync(): void {
    if (this.out.closed) return
    if (this.subs.filters.length > 0) {
      this.log.info({ closeCode: CLOSE.resync }, "closing a live client with filters after a lost LISTEN connection")
      return this.out.close(CLOSE.resync, "transitions may have been missed; resubscribe (with sinceRev for cases)", "resync")
    }
    this.queue.run(() => this.catchUp.resync([...this.subs.cases]))
  }

  /** Pushes a notification for this client's person (see `personFeed`). */
  notification(n: LiveNotification): void {
    if (!this.out.closed) this.out.send({ type: "notification", notification: n })
  }

  /** Closes this client because its token expired (4001); it reconnects with a fresh token. */
  expire(): void {
    if (this.out.closed) return
    this.log.info({ closeCode: CLOSE.tokenExpired }, "closing a live client: its token expired")
    this.out.send({ type: "error", code: "CIVICASE_E_UNAUTHENTICATED", detail: "the token has expired; reconnect with a fresh one" })
    this.out.close(CLOSE.tokenExpired, "token expired", "expired")
  }

  /** Stops all work for this client (the socket closed). */
  dispose(): void {
    this.out.closed = true
    this.catchUp.clear()
  }

  private async subscribeCase(caseId: string, sinceRev: number | undefined): Promise<void> {
    const last = this.sent.get(caseId)
    if (this.subs.cases.has(caseId) && last !== undefined) {
      // Already subscribed and up to date through the queue: nothing to read.
      return this.out.send({ type: "subscribed", caseId, rev: last })
    }
    if (!this.subs.cases.has(caseId) && this.subs.cases.size >= this.limits.maxCases) {
      return this.out.send({ type: "error", code: "CIVICASE_E_BAD_REQUEST", detail: `at most ${this.limits.maxCases} case subscriptions per connection`, caseId })
    }
    const isNew = !this.subs.cases.has(caseId)
    // Interest is registered before the first read, so a commit landing meanwhile is queued, not lost.
    this.subs.cases.add(caseId)
    try {
      if (sinceRev !== undefined) {
        const rows = await this.engine.history(caseId, this.actor)
        this.sent.remember(caseId, Math.min(sinceRev, rows.length))
        this.catchUp.sendRows(caseId, rows)
      } else {
        this.catchUp.sendCase(await this.engine.getCase(caseId, this.actor))
      }
    } catch (e) {
      if (isNew) this.subs.cases.delete(caseId)
      return sendFailure(this.out, this.log, e, caseId)
    }
    this.out.send({ type: "subscribed", caseId, rev: this.sent.get(caseId)! })
  }

  private async subscribeFilter(filter: Filter): Promise<void> {
    const f = filterOf(filter)
    const added = !this.subs.hasFilter(f)
    if (added) {
      if (this.subs.filters.length >= this.limits.maxFilters) {
        return this.out.send({ type: "error", code: "CIVICASE_E_BAD_REQUEST", detail: `at most ${this.limits.maxFilters} filter subscriptions per connection` })
      }
      this.subs.filters.push(f)
    }
    let page
    try {
      page = await this.engine.listCases({ ...f, status: "active", limit: this.limits.maxInitialCases }, this.actor)
    } catch (e) {
      // Only a filter this call added is taken back; a repeat leaves the one already held.
      if (added) this.subs.removeFilter(f)
      return sendFailure(this.out, this.log, e)
    }
    for (const view of page.items) {
      if ((this.sent.get(view.id) ?? 0) >= view.rev) continue
      this.catchUp.sendCase(view)
    }
    this.out.send({ type: "subscribed", ...f, cases: page.items.length, ...(page.nextCursor ? { truncated: true } : {}) })
  }

  private unsubscribe(m: ClientMessage): void {
    if (m.caseId !== undefined) {
      this.subs.cases.delete(m.caseId)
      // Nothing more about it, unless a filter still matches (its next notice then sends the case afresh).
      this.forget(m.caseId)
      return this.out.send({ type: "unsubscribed", caseId: m.caseId })
    }
    this.subs.removeFilter(m)
    if (this.subs.filters.length === 0) {
      for (const caseId of this.sent.caseIds()) if (!this.subs.cases.has(caseId)) this.forget(caseId)
    }
    this.out.send({ type: "unsubscribed", ...filterOf(m) })
  }

  private forget(caseId: string): void {
    this.sent.delete(caseId)
    this.catchUp.forget(caseId)
  }

  /** Tells the client why, then closes with `code` (counted as "binary" or "invalid"). */
  private reject(code: number, detail: string): void {
    this.log.info({ closeCode: code }, `closing a live client: ${detail}`)
    this.out.send({ type: "error", code: "CIVICASE_E_BAD_REQUEST", detail })
    this.out.close(code, detail, code === CLOSE.unsupported ? "binary" : "invalid")
  }
}
