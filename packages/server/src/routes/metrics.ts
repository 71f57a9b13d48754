/**
 * The few Prometheus metrics the server keeps, rendered in the text
 * exposition format. Kept by hand: three counters and a gauge do not need a
 * client library.
 *
 * @example
 * const metrics = new ServerMetrics()
 * metrics.request("GET", "/v1/cases/:id", 200, 0.004)
 * metrics.render() // "# HELP civicase_http_requests_total …"
 */
export class ServerMetrics {
  private readonly requests = new Map<string, { count: number; seconds: number }>()
  private readonly transitions = new Map<string, number>()
  private readonly dropped = new Map<string, number>()
  liveClients = 0

  request(method: string, route: string, status: number, seconds: number): void {
    const key = `method="${method}",route="${escape(route)}",status="${status}"`
    const entry = this.requests.get(key) ?? { count: 0, seconds: 0 }
    entry.count++
    entry.seconds += seconds
    this.requests.set(key, entry)
  }

  transition(workflow: string): void {
    const key = `workflow="${escape(workflow)}"`
    this.transitions.set(key, (this.transitions.get(key) ?? 0) + 1)
  }

  liveDropped(reason: string): void {
    const key = `reason="${escape(reason)}"`
    this.dropped.set(key, (this.dropped.get(key) ?? 0) + 1)
  }

  render(): string {
    const out: string[] = []
    out.push("# HELP civicase_http_requests_total HTTP requests answered.", "# TYPE civicase_http_requests_total counter")
    for (const [k, v] of this.requests) out.push(`civicase_http_requests_total{${k}} ${v.count}`)
    out.push("# HELP civicase_http_request_seconds_sum Time spent answering HTTP requests.", "# TYPE civicase_http_request_seconds_sum counter")
    for (const [k, v] of this.requests) out.push(`civicase_http_request_seconds_sum{${k}} ${v.seconds.toFixed(6)}`)
    out.push("# HELP civicase_transitions_total Transitions seen by this process (its own and, with LISTEN, other processes').", "# TYPE civicase_transitions_total counter")
    for (const [k, v] of this.transitions) out.push(`civicase_transitions_total{${k}} ${v}`)
    out.push("# HELP civicase_live_clients Open websocket clients.", "# TYPE civicase_live_clients gauge", `civicase_live_clients ${this.liveClients}`)
    out.push("# HELP civicase_live_dropped_total Websocket clients closed by the server.", "# TYPE civicase_live_dropped_total counter")
    for (const [k, v] of this.dropped) out.push(`civicase_live_dropped_total{${k}} ${v}`)
    out.push("# HELP civicase_process_uptime_seconds Seconds since the process started.", "# TYPE civicase_process_uptime_seconds gauge")
    out.push(`civicase_process_uptime_seconds ${process.uptime().toFixed(3)}`)
    return `${out.join("\n")}\n`
  }
}

const escape = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")
