import type { Engine } from "@civicase/core"
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client"
import { recordEngineMetrics } from "../observe/engine-metrics.js"

/** Node's process metrics, collected once per process however many servers it builds. */
let processRegistry: Registry | undefined
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry()
    collectDefaultMetrics({ register: processRegistry })
  }
  return processRegistry
}

/** Seconds an HTTP answer takes. */
const REQUEST_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

/**
 * The server's Prometheus metrics (`prom-client`), one registry per server:
 * HTTP requests by route pattern, the live feed, the engine's transitions,
 * timers and outbox (from its tracing channels), the database pool and the
 * Node process. Names and labels are listed in docs/operations.md.
 *
 * @example
 * const metrics = new ServerMetrics(engine)
 * metrics.request("GET", "/v1/cases/:id", 200, 0.004)
 * await metrics.render() // "# HELP civicase_http_requests_total …"
 */
export class ServerMetrics {
  readonly registry = new Registry()
  private readonly requests: Counter<"method" | "route" | "status">
  private readonly requestSeconds: Histogram<"method" | "route" | "status">
  private readonly transitions: Counter<"workflow">
  private readonly dropped: Counter<"reason">
  private readonly clients: Gauge
  private readonly stopEngine: () => void

  constructor(engine: Engine) {
    const registers = [this.registry]
    this.requests = new Counter({ name: "civicase_http_requests_total", help: "HTTP requests answered.", labelNames: ["method", "route", "status"], registers })
    this.requestSeconds = new Histogram({
      name: "civicase_http_request_duration_seconds",
      help: "Time spent answering HTTP requests, by route pattern (not the raw URL).",
      labelNames: ["method", "route", "status"],
      buckets: REQUEST_BUCKETS,
      registers,
    })
    this.transitions = new Counter({
      name: "civicase_transitions_total",
      help: "Transitions seen by this process (its own and, with LISTEN, other processes').",
      labelNames: ["workflow"],
      registers,
    })
    this.clients = new Gauge({ name: "civicase_live_clients", help: "Open websocket clients.", registers })
    this.dropped = new Counter({ name: "civicase_live_dropped_total", help: "Websocket clients closed by the server, by reason.", labelNames: ["reason"], registers })
    new Gauge({
      name: "civicase_process_uptime_seconds",
      help: "Seconds since the process started.",
      registers,
      collect() {
        this.set(process.uptime())
      },
    })
    this.stopEngine = recordEngineMetrics(this.registry, engine)
  }

  /** One answered request; `route` is the route's pattern (`/v1/cases/:id`), or `unmatched`. */
  request(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) }
    this.requests.inc(labels)
    this.requestSeconds.observe(labels, seconds)
  }

  /** A committed transition the live hub saw. */
  transition(workflow: string): void {
    this.transitions.inc({ workflow })
  }

  /** A live client the server closed, and why. */
  liveDropped(reason: string): void {
    this.dropped.inc({ reason })
  }

  /** Open websocket clients now. */
  set liveClients(n: number) {
    this.clients.set(n)
  }

  /** The text exposition format: this server's metrics, then the process's. */
  render(): Promise<string> {
    return Registry.merge([this.registry, processMetrics()]).metrics()
  }

  /** The registry's content type (`text/plain; version=0.0.4; charset=utf-8`). */
  get contentType(): string {
    return this.registry.contentType
  }

  /** Stops listening to the engine's channels (the server closes). */
  close(): void {
    this.stopEngine()
  }
}
