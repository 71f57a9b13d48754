import { afterEach, describe, expect, it } from "vitest"
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import { SpanStatusCode } from "@opentelemetry/api"
import { type Engine, createEngine, silentLogger, testClock } from "@civicase/core"
import { SPAN_ATTRIBUTES as S, traceEngine } from "@civicase/core/otel"
import { demoActors as A, demoWorkflow, expectCode } from "@civicase/core/testing"
import { inProcessNotifier, pglite } from "@civicase/adapters"

describe("OpenTelemetry spans from the engine's channels (PGlite)", () => {
  const cleanup: Array<() => Promise<void> | void> = []
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c()
  })

  function traced() {
    const exporter = new InMemorySpanExporter()
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
    const stop = traceEngine({ tracer: provider.getTracer("test") })
    cleanup.push(stop)
    return exporter
  }

  function engine(): Engine {
    const e = createEngine({
      store: pglite(),
      workflows: [demoWorkflow],
      clock: testClock(new Date("2025-03-03T02:00:00.000Z")),
      scheduler: false,
      logger: silentLogger,
      notifiers: [inProcessNotifier(() => undefined)],
      outbox: { enabled: false },
    })
    cleanup.push(() => e.close())
    return e
  }

  const named = (spans: ReadableSpan[], name: string) => spans.filter((s) => s.name === name)

  it("turns creations, events, refusals, timers and outbox deliveries into spans with case id, workflow and rev", async () => {
    const exporter = traced()
    const e = engine()
    const c = await e.createCase("demo", { title: "Kế hoạch" }, A.officer)
    await e.send(c.id, { type: "SUBMIT" }, A.head)
    await expectCode(e.send(c.id, { type: "SUBMIT" }, A.head), "CIVICASE_E_EVENT_NOT_ACCEPTED")
    const fired = await e.testing.advanceTime("PT1H")
    expect(fired).toHaveLength(1)
    await e.send(c.id, { type: "APPROVE" }, A.coordinator)
    const dispatched = await e.outbox.dispatch()
    expect(dispatched.delivered).toBeGreaterThan(0)

    const spans = exporter.getFinishedSpans()
    const transitions = named(spans, "civicase.transition").map((s) => s.attributes)
    expect(transitions).toEqual([
      expect.objectContaining({ [S.caseId]: c.id, [S.workflow]: "demo", [S.version]: 1, [S.rev]: 1, [S.eventType]: "case.created", [S.kind]: "create", [S.outcome]: "committed" }),
      expect.objectContaining({ [S.caseId]: c.id, [S.workflow]: "demo", [S.rev]: 2, [S.eventType]: "SUBMIT", [S.kind]: "event", [S.outcome]: "committed" }),
      expect.objectContaining({ [S.caseId]: c.id, [S.workflow]: "demo", [S.eventType]: "SUBMIT", [S.outcome]: "CIVICASE_E_EVENT_NOT_ACCEPTED" }),
      expect.objectContaining({ [S.caseId]: c.id, [S.workflow]: "demo", [S.rev]: 4, [S.eventType]: "APPROVE", [S.outcome]: "committed" }),
    ])
    const refused = named(spans, "civicase.transition")[2]!
    expect(refused.status.code).toBe(SpanStatusCode.ERROR)
    expect(refused.attributes[S.rev]).toBeUndefined()
    expect(refused.events.map((ev) => ev.name)).toContain("exception")

    const [timer] = named(spans, "civicase.timer")
    expect(timer?.attributes).toEqual(
      expect.objectContaining({ [S.caseId]: c.id, [S.workflow]: "demo", [S.rev]: 3, [S.timerName]: "reminder", [S.outcome]: "committed", [S.timerLagMs]: 0 }),
    )
    const outbox = named(spans, "civicase.outbox")
    expect(outbox.map((s) => s.attributes[S.topic]).sort()).toEqual(["demo.approved", "demo.reminder"])
    for (const s of outbox) expect(s.attributes).toEqual(expect.objectContaining({ [S.caseId]: c.id, [S.outcome]: "delivered", [S.attempt]: 1 }))
  })

  it("stops making spans once stopped, and the engine works without any subscriber", async () => {
    const exporter = new InMemorySpanExporter()
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
    const stop = traceEngine({ tracer: provider.getTracer("test") })
    stop()
    const e = engine()
    const c = await e.createCase("demo", { title: "Không theo dõi" }, A.officer)
    expect((await e.send(c.id, { type: "SUBMIT" }, A.head)).rev).toBe(2)
    expect(exporter.getFinishedSpans()).toEqual([])
  })
})
