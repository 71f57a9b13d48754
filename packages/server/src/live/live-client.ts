import type { AccessPolicy, Actor, Engine } from "@civicase/core"
import { isCivicaseError } from "@civicase/core"
import type { WebSocket } from "ws"
import type { CommitNotice, NoticeDetail, NoticeSink } from "./live-hub.js"
import { type ClientMessage, type ServerMessage, checkClientMessage } from "./live-protocol.js"

/** Bounds of one live client. */
export interface LiveLimits {
  /** Largest client message in bytes; larger ones close the socket (1009). */
  readonly maxPayload: number
  /** Bytes waiting to be written past which a slow client is dropped. */
  readonly maxBufferedBytes: number
  /** Cases one socket may subscribe to by id. */
  readonly maxCases: number
  /** Filters one socket may hold. */
  readonly maxFilters: number
  /** Current cases sent when a filter subscription starts. */
  readonly maxInitialCases: number
  /** Client requests (subscribe, unsubscribe) waiting to run; one more closes the socket (1008). */
  readonly maxQueued: number
  /** Messages a client may send per `messageWindowMs`; one more closes the socket (1008). */
  readonly maxMessages: number
  /** The window of `maxMessages`, in milliseconds. */
  readonly messageWindowMs: number
  /** Revs remembered for cases seen only through filters; the oldest are forgotten past this. */
  readonly maxTrackedCases: number
}

interface Filter {
  readonly workflow?: string
  readonly agency?: string
}

interface ClientLogger {
  info(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

/** Details kept per case while a drain is pending; past this the client reads history instead. */
const MAX_DETAILS_PER_CASE = 1000

/** An in-process transition waiting to be sent: what it says, and who may see it. */
interface KnownTransition extends NoticeDetail {
  readonly province: string
  readonly agencies: ReadonlyArray<string>
}

/** Close codes the server uses. */
export const CLOSE = {
  goingAway: 1001,
  unsupported: 1003,
  invalidData: 1007,
  /** A malformed message, too many messages, or too many requests waiting. */
  policy: 1008,
  tryAgainLater: 1013,
  /** The token expired: reconnect with a fresh one. */
  tokenExpired: 4001,
  /** The server lost transitions it cannot replay for a filter: resubscribe (with `sinceRev` for cases). */
  resync: 4002,
} as const

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
 */
export class LiveClient implements NoticeSink {
  /** The highest rev sent per case. */
  private readonly lastRev = new Map<string, number>()
  private readonly cases = new Set<string>()
  private readonly filters: Filter[] = []
  /** Cases with news to catch up on, with the rev last announced. */
  private readonly pending = new Map<string, number>()
  /** Transitions committed in this process and not yet sent, by case and rev. */
  private readonly known = new Map<string, Map<number, KnownTransition>>()
  private queue: Promise<void> = Promise.resolve()
  /** Client requests in `queue`, counted against `maxQueued`. */
  private queued = 0
  private windowStart = 0
  private windowCount = 0
  private draining = false
  private closed = false
  /** Set by a pong; the heartbeat drops a client that stays silent. */
  alive = true

  constructor(
    private readonly socket: WebSocket,
    private readonly actor: Actor,
    private readonly engine: Engine,
    private readonly access: AccessPolicy,
    private readonly limits: LiveLimits,
    private readonly log: ClientLogger,
    private readonly onDrop: (reason: string) => void,
  ) {}

  /** Handles one raw message from the client; anything malformed closes this client only. */
  receive(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    if (this.closed) return
    const now = Date.now()
    if (now - this.windowStart >= this.limits.messageWindowMs) {
      this.windowStart = now
      this.windowCount = 0
    }
    if (++this.windowCount > this.limits.maxMessages) {
      return this.reject(CLOSE.policy, `more than ${this.limits.maxMessages} messages in ${this.limits.messageWindowMs} ms`)
    }
    if (isBinary) return this.reject(CLOSE.unsupported, "binary messages are not accepted")
    const text = Array.isArray(data) ? Buffer.concat(data).toString("utf8") : Buffer.from(data as ArrayBuffer).toString("utf8")
    let message: unknown
    try {
      message = JSON.parse(text)
    } catch {
      return this.reject(CLOSE.invalidData, "messages must be JSON")
    }
    const issues = checkClientMessage(message)
    if (issues.length) return this.reject(CLOSE.policy, `invalid message: ${issues.map((i) => `${i.path} ${i.message}`).join("; ")}`)
    const m = message as ClientMessage
    if (m.op === "ping") return this.send({ type: "pong" })
    if (m.caseId !== undefined && (m.workflow !== undefined || m.agency !== undefined)) {
      return this.send({ type: "error", code: "CIVICASE_E_BAD_REQUEST", detail: "subscribe to a caseId or to a filter (workflow, agency), not both" })
    }
    if (m.sinceRev !== undefined && m.caseId === undefined) {
      return this.send({ type: "error", code: "CIVICASE_E_BAD_REQUEST", detail: "sinceRev resumes one case: give caseId with it" })
    }
    if (this.queued >= this.limits.maxQueued) {
      return this.reject(CLOSE.policy, `more than ${this.limits.maxQueued} requests waiting; wait for their answers`)
    }
    this.queued++
    // Unsubscribe waits its turn too, so "subscribe X; unsubscribe X" leaves X unsubscribed.
    this.enqueue(async () => {
      try {
        if (m.op === "unsubscribe") return this.unsubscribe(m)
        if (m.caseId !== undefined) return await this.subscribeCase(m.caseId, m.sinceRev)
        return await this.subscribeFilter({ workflow: m.workflow, agency: m.agency })
      } finally {
        this.queued--
      }
    })
  }

  notice(n: CommitNotice): void {
    if (this.closed || n.province !== this.actor.province) return
    const wanted = this.cases.has(n.caseId) || this.filters.some((f) => matches(f, n))
    if (!wanted) return
    this.pending.set(n.caseId, Math.max(n.rev, this.pending.get(n.caseId) ?? 0))
    if (n.detail) {
      const details = this.known.get(n.caseId) ?? new Map<number, KnownTransition>()
      if (details.size < MAX_DETAILS_PER_CASE) details.set(n.rev, { ...n.detail, province: n.province, agencies: n.agencies })
      this.known.set(n.caseId, details)
    }
    if (!this.draining) {
      this.draining = true
      this.enqueue(() => this.drain())
    }
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
    if (this.closed) return
    if (this.filters.length > 0) {
      this.log.info({ closeCode: CLOSE.resync }, "closing a live client with filters after a lost LISTEN connection")
      this.onDrop("resync")
      this.dispose()
      this.socket.close(CLOSE.resync, "transitions may have been missed; resubscribe (with sinceRev for cases)")
      return
    }
    this.enqueue(async () => {
      for (const caseId of [...this.cases]) {
        const last = this.lastRev.get(caseId)
        if (last === undefined || this.closed) continue
        try {
          const view = await this.engine.getCase(caseId, this.actor)
          if (view.rev > last) this.sendRows(caseId, await this.engine.history(caseId, this.actor))
        } catch (e) {
          if (!isCivicaseError(e) || e.code !== "CIVICASE_E_CASE_NOT_FOUND") throw e
        }
      }
    })
  }

  /** Closes this client because its token expired (4001); it reconnects with a fresh token. */
  expire(): void {
    if (this.closed) return
    this.log.info({ closeCode: CLOSE.tokenExpired }, "closing a live client: its token expired")
    this.send({ type: "error", code: "CIVICASE_E_UNAUTHENTICATED", detail: "the token has expired; reconnect with a fresh one" })
    this.onDrop("expired")
    this.dispose()
    this.socket.close(CLOSE.tokenExpired, "token expired")
  }

  /** Stops all work for this client (the socket closed). */
  dispose(): void {
    this.closed = true
    this.pending.clear()
    this.known.clear()
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((e: unknown) => {
      this.log.error({ err: e }, "live client task failed")
      this.send({ type: "error", code: "CIVICASE_E_INTERNAL", detail: "the server failed to read a case; resubscribe with sinceRev" })
    })
  }

  private async subscribeCase(caseId: string, sinceRev: number | undefined): Promise<void> {
    const last = this.lastRev.get(caseId)
    if (this.cases.has(caseId) && last !== undefined) {
      // Already subscribed and up to date through the queue: nothing to read.
      return this.send({ type: "subscribed", caseId, rev: last })
    }
    if (!this.cases.has(caseId) && this.cases.size >= this.limits.maxCases) {
      return this.send({ type: "error", code: "CIVICASE_E_BAD_REQUEST", detail: `at most ${this.limits.maxCases} case subscriptions per connection`, caseId })
    }
    const isNew = !this.cases.has(caseId)
    // Interest is registered before the first read, so a commit landing meanwhile is queued, not lost.
    this.cases.add(caseId)
    try {
      if (sinceRev !== undefined) {
        const rows = await this.engine.history(caseId, this.actor)
        this.remember(caseId, Math.min(sinceRev, rows.length))
        this.sendRows(caseId, rows)
      } else {
        const view = await this.engine.getCase(caseId, this.actor)
        this.send({ type: "case", case: view })
        this.remember(caseId, view.rev)
      }
    } catch (e) {
      if (isNew) this.cases.delete(caseId)
      if (isCivicaseError(e)) return this.send({ type: "error", code: e.code, detail: e.message, caseId })
      throw e
    }
    this.send({ type: "subscribed", caseId, rev: this.lastRev.get(caseId)! })
  }

  private async subscribeFilter(filter: Filter): Promise<void> {
    const f: Filter = { ...(filter.workflow ? { workflow: filter.workflow } : {}), ...(filter.agency ? { agency: filter.agency } : {}) }
    if (!this.filters.some((x) => x.workflow === f.workflow && x.agency === f.agency)) {
      if (this.filters.length >= this.limits.maxFilters) {
        return this.send({ type: "error", code: "CIVICASE_E_BAD_REQUEST", detail: `at most ${this.limits.maxFilters} filter subscriptions per connection` })
      }
      this.filters.push(f)
    }
    let page
    try {
      page = await this.engine.listCases({ ...f, status: "active", limit: this.limits.maxInitialCases }, this.actor)
    } catch (e) {
      this.filters.splice(this.filters.indexOf(f), 1)
      if (isCivicaseError(e)) return this.send({ type: "error", code: e.code, detail: e.message })
      throw e
    }
    for (const view of page.items) {
      if ((this.lastRev.get(view.id) ?? 0) >= view.rev) continue
      this.send({ type: "case", case: view })
      this.remember(view.id, view.rev)
    }
    this.send({ type: "subscribed", ...f, cases: page.items.length, ...(page.nextCursor ? { truncated: true } : {}) })
  }

  private unsubscribe(m: ClientMessage): void {
    if (m.caseId !== undefined) {
      this.cases.delete(m.caseId)
      // Nothing more about it, unless a filter still matches (its next notice then sends the case afresh).
      this.forget(m.caseId)
      return this.send({ type: "unsubscribed", caseId: m.caseId })
    }
    const i = this.filters.findIndex((x) => x.workflow === m.workflow && x.agency === m.agency)
    if (i >= 0) this.filters.splice(i, 1)
    if (this.filters.length === 0) {
      for (const caseId of [...this.lastRev.keys()]) if (!this.cases.has(caseId)) this.forget(caseId)
    }
    this.send({ type: "unsubscribed", ...(m.workflow ? { workflow: m.workflow } : {}), ...(m.agency ? { agency: m.agency } : {}) })
  }

  /**
   * Records the rev sent for a case. A case followed only through a filter is
   * forgotten once `maxTrackedCases` newer ones were seen (long-lived filters
   * would otherwise keep every case ever seen); its next notice then sends
   * its current state as a `case` message instead of the missing transitions.
   */
  private remember(caseId: string, rev: number): void {
    this.lastRev.delete(caseId)
    this.lastRev.set(caseId, rev)
    if (this.lastRev.size <= this.limits.maxTrackedCases + this.cases.size) return
    for (const oldest of this.lastRev.keys()) {
      if (this.cases.has(oldest)) continue
      this.lastRev.delete(oldest)
      break
    }
  }

  private forget(caseId: string): void {
    this.lastRev.delete(caseId)
    this.pending.delete(caseId)
    this.known.delete(caseId)
  }

  private async drain(): Promise<void> {
    try {
      await this.drainPending()
    } finally {
      this.draining = false
    }
  }

  private async drainPending(): Promise<void> {
    while (this.pending.size > 0 && !this.closed) {
      const [caseId, announced] = this.pending.entries().next().value as [string, number]
      this.pending.delete(caseId)
      const details = this.known.get(caseId)
      this.known.delete(caseId)
      const last = this.lastRev.get(caseId)
      if (last !== undefined && last >= announced) continue
      if (details && this.sendKnown(caseId, last ?? 0, announced, details)) continue
      try {
        if (last === undefined && announced > 1) {
          // A case entering a filter mid-life: its current state, not its whole past.
          const view = await this.engine.getCase(caseId, this.actor)
          this.send({ type: "case", case: view })
          this.remember(caseId, view.rev)
          continue
        }
        this.sendRows(caseId, await this.engine.history(caseId, this.actor))
      } catch (e) {
        // Not visible to this actor (or not any more): nothing to send.
        if (!isCivicaseError(e) || e.code !== "CIVICASE_E_CASE_NOT_FOUND") throw e
      }
    }
  }

  /**
   * Sends revs `last + 1 … announced` from this process's commits when all of
   * them are known and visible. A case this actor may not see at `announced`
   * is skipped: the engine would refuse to read it too, and a later commit
   * that shows it again comes with its own notice. Answers false when the
   * engine must decide (a gap, or visibility changing within the run) and
   * history is read instead.
   */
  private sendKnown(caseId: string, last: number, announced: number, details: ReadonlyMap<number, KnownTransition>): boolean {
    const latest = details.get(announced)
    if (latest && !this.access.canSee(this.actor, latest.province, latest.agencies)) return true
    const run: Array<KnownTransition & { rev: number }> = []
    for (let rev = last + 1; rev <= announced; rev++) {
      const t = details.get(rev)
      if (!t) return false
      run.push({ ...t, rev })
    }
    if (!run.every((t) => this.access.canSee(this.actor, t.province, t.agencies))) return false
    for (const t of run) {
      this.send({ type: "transition", caseId, rev: t.rev, from: t.from, to: t.to, event: t.event, at: t.at })
      this.remember(caseId, t.rev)
    }
    return true
  }

  private sendRows(caseId: string, rows: ReadonlyArray<{ rev: number; type: string; from: string | null; to: string; at: string }>): void {
    const last = this.lastRev.get(caseId) ?? 0
    for (const row of rows) {
      if (row.rev <= last) continue
      this.send({ type: "transition", caseId, rev: row.rev, from: row.from, to: row.to, event: row.type, at: row.at })
      this.remember(caseId, row.rev)
    }
  }

  private send(message: ServerMessage): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return
    this.socket.send(JSON.stringify(message))
    if (this.socket.bufferedAmount > this.limits.maxBufferedBytes) {
      // A client that does not read must not hold memory or slow the others: nothing more is queued for it.
      // The close frame follows what is already queued, so a client that is merely slow reads 1013 and
      // resumes with sinceRev; one that never reads is cut off by ws's close timeout (30 s).
      this.log.info({ bufferedAmount: this.socket.bufferedAmount }, "dropping a slow live client")
      this.onDrop("slow")
      this.dispose()
      this.socket.close(CLOSE.tryAgainLater, "reading too slowly; resubscribe with sinceRev")
    }
  }

  private reject(code: number, detail: string): void {
    this.log.info({ closeCode: code }, `closing a live client: ${detail}`)
    this.send({ type: "error", code: "CIVICASE_E_BAD_REQUEST", detail })
    this.onDrop(code === CLOSE.unsupported ? "binary" : "invalid")
    this.dispose()
    this.socket.close(code, truncate(detail, 120))
  }
}

function matches(f: Filter, n: CommitNotice): boolean {
  return (f.workflow === undefined || f.workflow === n.workflow) && (f.agency === undefined || n.agencies.includes(f.agency))
}

function truncate(text: string, bytes: number): string {
  const buf = Buffer.from(text, "utf8")
  return buf.length <= bytes ? text : buf.subarray(0, bytes).toString("utf8").replace(/\uFFFD$/, "")
}
