import { type Engine, type OutboxTrace, type TimerTrace, type TransitionTrace, type VerifyReport, engineChannels, verifyChannel } from "@civicase/core"
import type { TracingChannel } from "node:diagnostics_channel"
import { Counter, Gauge, Histogram, type Registry } from "prom-client"

/** Seconds: from a millisecond to a week, for timer lag and outbox latency (both may be long after an outage). */
const LONG_BUCKETS = [0.001, 0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 86_400, 7 * 86_400]
/** Seconds of work inside the engine: a transition is one statement. */
const WORK_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

/** Subscribes all five events of a tracing channel; returns the unsubscribe. */
function subscribe<T extends object>(channel: TracingChannel<unknown, T>, on: { start?: (t: T) => void; asyncEnd: (t: T) => void }): () => void {
  const handlers = { start: on.start ?? (() => undefined), end() {}, asyncStart() {}, error() {}, asyncEnd: on.asyncEnd }
  channel.subscribe(handlers)
  return () => void channel.unsubscribe(handlers)
}

/**
 * Records the engine's own measurements from its tracing channels
 * (`civicase:transition`, `civicase:timer`, `civicase:outbox`) and the outbox
 * and pool gauges read at scrape time. The `workflow` label takes only the
 * engine's workflow ids (anything else is `unknown`), so callers cannot grow
 * the label set. Returns the function that unsubscribes.
 *
 * @example
 * const stop = recordEngineMetrics(registry, engine)
 * app.addHook("onClose", async () => stop())
 */
export function recordEngineMetrics(registry: Registry, engine: Engine): () => void {
  const known = new Set(engine.workflows().map((w) => w.id))
  const workflow = (id: string | undefined) => (id !== undefined && known.has(id) ? id : "unknown")
  const registers = [registry]

  const transitions = new Counter({
    name: "civicase_engine_transitions_total",
    help: "Creations and events this process applied, by workflow, kind (create, event) and outcome (committed, replayed, or the CIVICASE_E_ code).",
    labelNames: ["workflow", "kind", "outcome"],
    registers,
  })
  const transitionSeconds = new Histogram({
    name: "civicase_engine_transition_duration_seconds",
    help: "Time engine.send and engine.createCase took, refusals included.",
    labelNames: ["workflow", "kind", "outcome"],
    buckets: WORK_BUCKETS,
    registers,
  })
  const timerLag = new Histogram({
    name: "civicase_timer_lag_seconds",
    help: "How late a deadline fired: the engine clock when it fired minus its due time.",
    labelNames: ["workflow"],
    buckets: LONG_BUCKETS,
    registers,
  })
  const timersFired = new Counter({
    name: "civicase_timers_fired_total",
    help: "Timer deliveries, by workflow and outcome (committed; stale: dropped; a CIVICASE_E_ code or error: held back to retry).",
    labelNames: ["workflow", "outcome"],
    registers,
  })
  const deliveries = new Counter({
    name: "civicase_outbox_deliveries_total",
    help: "Outbox delivery attempts, by outcome (delivered, unrouted: nobody took it, retried, failed for good).",
    labelNames: ["outcome"],
    registers,
  })
  const deliveryLatency = new Histogram({
    name: "civicase_outbox_delivery_latency_seconds",
    help: "From the commit that wrote an outbox row to its successful delivery (engine clock), retries included.",
    buckets: LONG_BUCKETS,
    registers,
  })

  const started = new WeakMap<object, number>()
  const stops = [
    subscribe<TransitionTrace>(engineChannels.transition, {
      start: (t) => void started.set(t, performance.now()),
      asyncEnd: (t) => {
        const labels = { workflow: workflow(t.workflow), kind: t.kind, outcome: t.outcome ?? "error" }
        transitions.inc(labels)
        const from = started.get(t)
        if (from !== undefined) transitionSeconds.observe(labels, (performance.now() - from) / 1000)
      },
    }),
    subscribe<TimerTrace>(engineChannels.timer, {
      asyncEnd: (t) => {
        timersFired.inc({ workflow: workflow(t.workflow), outcome: t.outcome ?? "error" })
        if (t.outcome === "committed") timerLag.observe({ workflow: workflow(t.workflow) }, Math.max(0, t.firedAt.getTime() - t.dueAt.getTime()) / 1000)
      },
    }),
    subscribe<OutboxTrace>(engineChannels.outbox, {
      asyncEnd: (t) => {
        deliveries.inc({ outcome: t.outcome ?? "error" })
        if (t.outcome === "delivered" && t.finishedAt) deliveryLatency.observe(Math.max(0, t.finishedAt.getTime() - t.createdAt.getTime()) / 1000)
      },
    }),
  ]

  const verifications = new Counter({
    name: "civicase_verify_runs_total",
    help: "Hash-chain checks made in this process, by scope (case, all) and result (ok, broken).",
    labelNames: ["scope", "result"],
    registers,
  })
  const brokenCases = new Gauge({
    name: "civicase_verify_broken_cases",
    help: "Cases whose chain the last whole-database check (engine.verifyAll) in this process found broken.",
    registers,
  })
  const onVerify = (message: unknown) => {
    const r = message as VerifyReport
    verifications.inc({ scope: r.scope, result: r.ok ? "ok" : "broken" })
    if (r.scope === "all") brokenCases.set(r.broken)
  }
  verifyChannel.subscribe(onVerify)
  stops.push(() => void verifyChannel.unsubscribe(onVerify))

  new Gauge({
    name: "civicase_outbox_rows",
    help: "Outbox rows by status (pending, failed, delivered, unrouted), read from the database at scrape time.",
    labelNames: ["status"],
    registers,
    async collect() {
      this.reset()
      // A scrape must not fail with the database: the gauge is left out then, and the failure shows elsewhere (healthz, logs).
      const stats = await engine.outbox.stats().catch(() => undefined)
      if (!stats) return
      for (const status of ["pending", "failed", "delivered", "unrouted"] as const) this.set({ status }, stats[status])
    },
  })
  new Gauge({
    name: "civicase_db_pool_connections",
    help: "Database pool connections by state: total (open), idle, waiting (callers queued for one). PostgreSQL only.",
    labelNames: ["state"],
    registers,
    collect() {
      this.reset()
      const pool = engine.driver.poolStats?.()
      if (!pool) return
      this.set({ state: "total" }, pool.total)
      this.set({ state: "idle" }, pool.idle)
      this.set({ state: "waiting" }, pool.waiting)
    },
  })

  return () => {
    for (const stop of stops) stop()
  }
}
