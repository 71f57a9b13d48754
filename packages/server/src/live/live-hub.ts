import { type Engine, TRANSITIONS_CHANNEL } from "@civicase/core"

/**
 * That a case moved to `rev`: what the in-process listener and PostgreSQL
 * `NOTIFY civicase_transitions` both say. Subscribers read the transition
 * itself from history, so a notice can be lost or repeated without a client
 * missing or repeating anything.
 */
export interface CommitNotice {
  readonly caseId: string
  readonly rev: number
  readonly province: string
  readonly workflow: string
  readonly agencies: ReadonlyArray<string>
}

/** What receives notices (one per websocket client). */
export interface NoticeSink {
  notice(n: CommitNotice): void
}

interface HubLogger {
  warn(obj: object, msg: string): void
}

const SEEN_LIMIT = 10_000

function parseNotice(payload: string): CommitNotice | undefined {
  try {
    const n = JSON.parse(payload) as Partial<CommitNotice>
    if (typeof n.caseId === "string" && Number.isInteger(n.rev) && typeof n.province === "string" && typeof n.workflow === "string" && Array.isArray(n.agencies)) {
      return n as CommitNotice
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
  private readonly seen = new Set<string>()
  private stops: Array<() => unknown> = []

  constructor(
    private readonly engine: Engine,
    private readonly logger: HubLogger,
    private readonly onTransition: (workflow: string) => void = () => {},
  ) {}

  async start(): Promise<void> {
    this.stops.push(this.engine.subscribe((t) => this.publish(t)))
    const driver = this.engine.driver
    if (driver.capabilities.listenNotify && driver.listen) {
      try {
        const stop = await driver.listen(TRANSITIONS_CHANNEL, (payload) => {
          const n = parseNotice(payload)
          if (n) this.publish(n)
          else this.logger.warn({ channel: TRANSITIONS_CHANNEL }, "ignored a malformed notification")
        })
        this.stops.push(stop)
      } catch (e) {
        // Without LISTEN this process still serves its own commits; say so loudly.
        this.logger.warn({ err: e }, "LISTEN civicase_transitions failed; the live feed shows only this process's commits")
      }
    }
  }

  publish(n: CommitNotice): void {
    const key = `${n.caseId}:${n.rev}`
    if (this.seen.has(key)) return
    this.seen.add(key)
    if (this.seen.size > SEEN_LIMIT) this.seen.delete(this.seen.values().next().value as string)
    this.onTransition(n.workflow)
    for (const sink of this.sinks) sink.notice(n)
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
