import { channel, tracingChannel } from "node:diagnostics_channel"

/**
 * One transition of a case, as the `civicase:transition` tracing channel
 * carries it. The fields known when it starts are set then (`kind`,
 * `eventType`, `caseId` except for a creation); the engine fills in the rest
 * before the `asyncEnd` event: `workflow` and `version` as soon as the case is
 * read, `rev` and `outcome` when it ends.
 */
export interface TransitionTrace {
  /** `create` (a new case) or `event` (`engine.send`); a deadline's transition is traced on `civicase:timer` ({@link TimerTrace}). */
  readonly kind: "create" | "event"
  readonly eventType: string
  caseId?: string
  workflow?: string
  version?: number
  /** The rev the transition wrote (or, when replayed, the rev the case is at). */
  rev?: number
  /** `committed`, `replayed`, `stale` (a timer the case had left behind), or the `CIVICASE_E_…` code (or `error`) it failed with. */
  outcome?: string
  /** Set by the channel on failure. */
  error?: unknown
}

/** One timer delivery (a deadline firing), on `civicase:timer`. */
export interface TimerTrace {
  readonly caseId: string
  readonly timerId: string
  /** The deadline's name in the workflow. */
  readonly timerName: string
  readonly eventType: string
  readonly dueAt: Date
  /** The engine clock when it fired: `firedAt - dueAt` is the timer lag. */
  readonly firedAt: Date
  workflow?: string
  version?: number
  rev?: number
  /** `committed`, `stale` (dropped: the case moved on), or the `CIVICASE_E_…` code (or `error`) of a delivery held back. */
  outcome?: string
  error?: unknown
}

/** One outbox row delivered to the notifiers, on `civicase:outbox`. */
export interface OutboxTrace {
  readonly outboxId: string
  readonly caseId: string
  readonly rev: number
  readonly topic: string
  /** 1 for the first try. */
  readonly attempt: number
  /** When the transition wrote the row. */
  readonly createdAt: Date
  /** The engine clock when the attempt ended: `finishedAt - createdAt` is the delivery latency. */
  finishedAt?: Date
  /** `delivered`, `unrouted` (no notifier or channel took it), `retried` (failed, will try again), `failed` (given up), or the `CIVICASE_E_…` code (or `error`) of a dispatcher failure. */
  outcome?: string
  error?: unknown
}

/** The result of one hash-chain check, on the plain channel `civicase:verify`. */
export interface VerifyReport {
  /** `case`: `engine.verify` of one case; `all`: `engine.verifyAll`. */
  readonly scope: "case" | "all"
  readonly ok: boolean
  /** Cases checked (1 for `case`). */
  readonly cases: number
  /** History rows read. */
  readonly checked: number
  /** Cases whose chain is broken. */
  readonly broken: number
}

/** The names of the channels, for `diagnostics_channel.tracingChannel(name)` (and `channel("civicase:verify")`) subscribers. */
export const CHANNEL_NAMES = {
  transition: "civicase:transition",
  timer: "civicase:timer",
  outbox: "civicase:outbox",
  verify: "civicase:verify",
} as const

/**
 * `civicase:verify` (a plain channel, published after each check): alert on
 * `broken > 0`.
 *
 * @example
 * verifyChannel.subscribe((r) => { if (!(r as VerifyReport).ok) page("history altered") })
 */
export const verifyChannel = channel(CHANNEL_NAMES.verify)

/**
 * The engine's tracing channels (`node:diagnostics_channel`). Each publishes
 * `start`, `end`, `asyncStart`, `asyncEnd` and, on failure, `error`, with the
 * trace object as message; a subscriber may keep its own state per trace in a
 * WeakMap. Nothing is published when nobody subscribes. The server's metrics
 * and `@civicase/core/otel` are two such subscribers.
 *
 * @example
 * import { engineChannels } from "@civicase/core"
 * engineChannels.transition.subscribe({
 *   start() {}, end() {}, asyncStart() {}, error() {},
 *   asyncEnd: (t) => console.log(t.workflow, t.eventType, t.outcome),
 * })
 */
export const engineChannels = {
  transition: tracingChannel<unknown, TransitionTrace>(CHANNEL_NAMES.transition),
  timer: tracingChannel<unknown, TimerTrace>(CHANNEL_NAMES.timer),
  outbox: tracingChannel<unknown, OutboxTrace>(CHANNEL_NAMES.outbox),
} as const
