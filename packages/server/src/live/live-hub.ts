import { type Engine, TRANSITIONS_CHANNEL } from "@civicase/core"

/** The transition itself, which only this process's own commits carry (a NOTIFY is too small for it). */
export interface NoticeDetail {
  readonly from: string | null
  readonly to: string
  readonly event: string
  readonly at: string
}

/**
 * That a case moved to `rev`: what the in-process listener and PostgreSQL
 * `NOTIFY civicase_transitions` both say. A client sends the `detail` of the
 * rev it expects next as it is; on any gap (a notice without detail, one lost
 * or out of order) it reads history instead, so a notice can be lost or
 * repeated without a client missing or repeating anything.
 */
export interface CommitNotice {
  readonly caseId: string
  readonly rev: number
  readonly province: string
  readonly workflow: string
  readonly agencies: ReadonlyArray<string>
  readonly detail?: NoticeDetail
}

/** What receives notices (one per websocket client). */
export interface NoticeSink {
  notice(n: CommitNotice): void
  /** Notices may have been lost (the LISTEN connection dropped and came back): catch up. */
  resync?(): void
}

interface HubLogger {
  warn(obj: object, msg: string): void
}

const SEEN_LIMIT = 10_000

function parseNotice(payload: string): CommitNotice | undefined {
  try {
    const n = JSON.parse(payload) as Partial<CommitNotice>
    if (typeof n.caseId === "string" && Number.isInteger(n.rev) && typeof n.province === "string" && typeof n.workflow === "string" && Array.isArray(n.agencies)) {
      // Only the announcement: a notification's content is never sent to clients as a transition.
      return { caseId: n.caseId, rev: n.rev as number, province: n.province, workflow: n.workflow, agencies: n.agencies }
    }
  } catch {
    // a foreign or malformed notification: ignored below
  }
  return undefined
}

/**
 * Fans committed transitions out to the live clients of this process. It
 * hears this process's commits from `engine.subscribe` and, when the driver
 * can (`capabilities.listenNotify`), every process's commits through
 * `LISTEN civicase_transitions`; a commit heard both ways is passed on once.
 *
 * @example
 * const hub = new LiveHub(engine, app.log)
 * await hub.start()
 * hub.add({ notice: (n) => console.log(n.caseId, n.rev) })
 */
export class LiveHub {
  private readonly sinks = new Set<NoticeSink>()
  /** Commits passed on, and whether with their detail. */
  private readonly seen = new Map<string, boolean>()
  private stops: Array<() => unknown> = []

  constructor(
    private readonly engine: Engine,
    private readonly logger: HubLogger,
    private readonly onTransition: (workflow: string) => void = () => {},
  ) {}

  async start(): Promise<void> {
    this.stops.push(
      this.engine.subscribe((t) =>
        this.publish({
          caseId: t.caseId,
          rev: t.rev,
          province: t.province,
          workflow: t.workflow,
          agencies: t.agencies,
          detail: { from: t.from, to: t.to, event: t.event, at: t.at },
        }),
      ),
    )
    const driver = this.engine.driver
    if (driver.capabilities.listenNotify && driver.listen) {
      try {
        const stop = await driver.listen(
          TRANSITIONS_CHANNEL,
          (payload) => {
            const n = parseNotice(payload)
            if (n) this.publish(n)
            else this.logger.warn({ channel: TRANSITIONS_CHANNEL }, "ignored a malformed notification")
          },
          {
            onReconnect: () => this.resync(),
            // The driver keeps retrying with backoff; each failure is worth a line while the database is away.
            onError: (e) => this.logger.warn({ err: e, channel: TRANSITIONS_CHANNEL }, "LISTEN connection failed; retrying"),
          },
        )
        this.stops.push(stop)
      } catch (e) {
        // The driver cannot LISTEN at all (an embedder's pool without a connection string): this process
        // still serves its own commits; say so loudly.
        this.logger.warn({ err: e }, "LISTEN civicase_transitions failed; the live feed shows only this process's commits")
      }
    }
  }

  publish(n: CommitNotice): void {
    const key = `${n.caseId}:${n.rev}`
    const had = this.seen.get(key)
    // Our own commit's NOTIFY may arrive before the in-process listener; the detail still spares clients a read.
    if (had === true || (had === false && !n.detail)) return
    this.seen.set(key, n.detail !== undefined)
    if (this.seen.size > SEEN_LIMIT) this.seen.delete(this.seen.keys().next().value as string)
    if (had === undefined) this.onTransition(n.workflow)
    for (const sink of this.sinks) sink.notice(n)
  }

  /** Tells every sink that notices may have been lost while LISTEN was down. */
  resync(): void {
    this.logger.warn({ channel: TRANSITIONS_CHANNEL, clients: this.sinks.size }, "LISTEN reconnected; live clients catch up from history")
    for (const sink of this.sinks) sink.resync?.()
  }

  add(sink: NoticeSink): () => void {
    this.sinks.add(sink)
    return () => this.sinks.delete(sink)
  }

  get size(): number {
    return this.sinks.size
  }

  async stop(): Promise<void> {
    const stops = this.stops
    this.stops = []
    for (const stop of stops) await stop()
    this.sinks.clear()
  }
}
