/**
 * OpenTelemetry spans from civicase's tracing channels (`@civicase/core/otel`).
 * Needs `@opentelemetry/api` (an optional peer dependency) and an SDK the
 * application sets up; civicase itself never loads OpenTelemetry otherwise.
 *
 * @module
 */
import { type Attributes, type Exception, type Span, SpanKind, SpanStatusCode, type Tracer, context, trace } from "@opentelemetry/api"
import type { TracingChannel } from "node:diagnostics_channel"
import { type OutboxTrace, type TimerTrace, type TransitionTrace, engineChannels } from "../channels.js"

/** Options of {@link traceEngine}. */
export interface EngineTracingOptions {
  /** The tracer spans are started with; default `trace.getTracer("@civicase/core")` of the global provider. */
  readonly tracer?: Tracer
}

/** Span attribute names, one place (`civicase.*`). */
export const SPAN_ATTRIBUTES = {
  caseId: "civicase.case_id",
  workflow: "civicase.workflow",
  version: "civicase.workflow_version",
  rev: "civicase.rev",
  eventType: "civicase.event_type",
  kind: "civicase.transition_kind",
  outcome: "civicase.outcome",
  timerName: "civicase.timer.name",
  timerLagMs: "civicase.timer.lag_ms",
  outboxId: "civicase.outbox.id",
  topic: "civicase.outbox.topic",
  attempt: "civicase.outbox.attempt",
} as const

const A = SPAN_ATTRIBUTES

/** Attributes with the undefined ones left out. */
function defined(entries: ReadonlyArray<readonly [string, string | number | undefined]>): Attributes {
  const out: Attributes = {}
  for (const [k, v] of entries) if (v !== undefined) Object.defineProperty(out, k, { value: v, enumerable: true })
  return out
}

const transitionAttributes = (t: TransitionTrace) =>
  defined([
    [A.caseId, t.caseId],
    [A.workflow, t.workflow],
    [A.version, t.version],
    [A.rev, t.rev],
    [A.eventType, t.eventType],
    [A.kind, t.kind],
    [A.outcome, t.outcome],
  ])

const timerAttributes = (t: TimerTrace) =>
  defined([
    [A.caseId, t.caseId],
    [A.workflow, t.workflow],
    [A.version, t.version],
    [A.rev, t.rev],
    [A.eventType, t.eventType],
    [A.timerName, t.timerName],
    [A.timerLagMs, t.firedAt.getTime() - t.dueAt.getTime()],
    [A.outcome, t.outcome],
  ])

const outboxAttributes = (t: OutboxTrace) =>
  defined([
    [A.caseId, t.caseId],
    [A.rev, t.rev],
    [A.outboxId, t.outboxId],
    [A.topic, t.topic],
    [A.attempt, t.attempt],
    [A.outcome, t.outcome],
  ])

/** Subscribes one channel: a span per trace, started with what is known, ended with the rest. */
function spansOf<T extends object & { error?: unknown }>(
  channel: TracingChannel<unknown, T>,
  tracer: Tracer,
  name: string,
  kind: SpanKind,
  attributes: (t: T) => Attributes,
): () => void {
  const spans = new WeakMap<T, Span>()
  const handlers = {
    start(t: T) {
      spans.set(t, tracer.startSpan(name, { kind, attributes: attributes(t) }, context.active()))
    },
    end() {},
    asyncStart() {},
    error(t: T) {
      const span = spans.get(t)
      if (!span) return
      const e = t.error
      span.recordException(e instanceof Error ? (e as Exception) : String(e))
      span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.message : String(e) })
    },
    asyncEnd(t: T) {
      const span = spans.get(t)
      if (!span) return
      spans.delete(t)
      span.setAttributes(attributes(t))
      span.end()
    },
  }
  channel.subscribe(handlers)
  return () => void channel.unsubscribe(handlers)
}

/**
 * Turns the engine's `civicase:transition`, `civicase:timer` and
 * `civicase:outbox` channels into spans (`civicase.transition`,
 * `civicase.timer`, `civicase.outbox`) carrying the case id, workflow, version,
 * rev, event type and outcome ({@link SPAN_ATTRIBUTES}); a failure sets the
 * span's status to error. A transition made inside a traced HTTP request
 * becomes a child of the request's span. Returns a function that stops.
 *
 * @example
 * import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node"
 * import { traceEngine } from "@civicase/core/otel"
 * new NodeTracerProvider({ spanProcessors: [processor] }).register()
 * const stop = traceEngine()
 */
export function traceEngine(options: EngineTracingOptions = {}): () => void {
  const tracer = options.tracer ?? trace.getTracer("@civicase/core")
  const stops = [
    spansOf(engineChannels.transition, tracer, "civicase.transition", SpanKind.INTERNAL, transitionAttributes),
    spansOf(engineChannels.timer, tracer, "civicase.timer", SpanKind.INTERNAL, timerAttributes),
    spansOf(engineChannels.outbox, tracer, "civicase.outbox", SpanKind.PRODUCER, outboxAttributes),
  ]
  return () => {
    for (const stop of stops) stop()
  }
}
