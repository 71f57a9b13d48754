import type { TracingChannel } from "node:diagnostics_channel"
import { isCivicaseError } from "../errors/errors.js"

/** True when anyone listens to any event of the channel (`TracingChannel.hasSubscribers` is newer than Node 20.13). */
function listened(channel: TracingChannel<unknown, object>): boolean {
  return channel.start.hasSubscribers || channel.end.hasSubscribers || channel.asyncStart.hasSubscribers || channel.asyncEnd.hasSubscribers || channel.error.hasSubscribers
}

/** The outcome a failure is recorded with: its civicase code, else `error`. */
export function failureOutcome(e: unknown): string {
  return isCivicaseError(e) ? e.code : "error"
}

/**
 * Runs `body` inside the channel's trace of `trace`: `body` fills in what it
 * learns (workflow, rev, outcome) on the same object, and a failure without
 * an outcome gets its error code. Costs one property check when nobody listens.
 *
 * @example
 * return traced(engineChannels.transition, { kind: "event", eventType, caseId }, (t) => applyEvent(…, t))
 */
export function traced<T extends { outcome?: string }, R>(channel: TracingChannel<unknown, T>, trace: T, body: (trace: T) => Promise<R>): Promise<R> {
  if (!listened(channel as TracingChannel<unknown, object>)) return body(trace)
  return channel.tracePromise(async () => {
    try {
      return await body(trace)
    } catch (e) {
      trace.outcome ??= failureOutcome(e)
      throw e
    }
  }, trace)
}
