import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Actor, type Engine, createEngine, silentLogger, testClock } from "@civicase/core"
import { inProcessNotifier, pglite } from "@civicase/adapters"
import { demoActors as A, demoWorkflow } from "@civicase/core/testing"
import type { FastifyInstance } from "fastify"
import { buildServer, devTokens } from "@civicase/server"
import { type Sample, parseExposition, samples, value } from "./exposition.js"

describe("GET /metrics (prom-client)", () => {
  let app: FastifyInstance
  let engine: Engine
  let scraped: Sample[]
  let caseId: string

  beforeAll(async () => {
    const clock = testClock(new Date("2025-03-03T02:00:00.000Z"))
    engine = createEngine({
      store: pglite(),
      workflows: [demoWorkflow],
      clock,
      scheduler: false,
      logger: silentLogger,
      notifiers: [inProcessNotifier(() => undefined)],
      outbox: { enabled: false },
    })
    await engine.start()
    const dev = devTokens({ now: () => clock.now() })
    app = await buildServer({ engine, auth: dev.auth, province: "demo", now: () => clock.now() })
    const as = async (actor: Actor) => ({ authorization: `Bearer ${await dev.mint(actor)}` })

    const created = await app.inject({ method: "POST", url: "/v1/cases", headers: await as(A.officer), payload: { workflow: "demo", input: { title: "Đo lường" } } })
    expect(created.statusCode).toBe(201)
    caseId = created.json().id
    const submit = { method: "POST" as const, url: `/v1/cases/${caseId}/events`, headers: await as(A.head), payload: { type: "SUBMIT" } }
    expect((await app.inject(submit)).statusCode).toBe(200)
    expect((await app.inject(submit)).statusCode).toBe(409) // not accepted in review
    for (let i = 0; i < 2; i++) expect((await app.inject({ url: `/v1/cases/${caseId}`, headers: await as(A.officer) })).statusCode).toBe(200)
    // The reminder falls due an hour after SUBMIT; it fires half an hour late.
    clock.advance("PT90M")
    expect(await engine.runDueTimers()).toBe(1)
    expect((await engine.outbox.dispatch()).delivered).toBe(1)
    expect((await app.inject({ url: `/v1/cases/${caseId}/verify`, headers: await as(A.officer) })).json()).toMatchObject({ ok: true })
    // Someone edits a history row behind the engine's back; the nightly whole-database check finds it.
    await sql`update civicase_history set payload = '{"title":"sửa"}'::jsonb where case_id = ${caseId} and rev = 1`.execute(engine.db)
    expect((await engine.verifyAll()).brokenCount).toBe(1)
    const res = await app.inject({ url: "/metrics" })
    expect(res.statusCode).toBe(200)
    expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/)
    scraped = parseExposition(res.body)
  })
  afterAll(async () => {
    await app.close()
    await engine.close()
  })

  it("has request latency histograms by route pattern, with counts in the buckets of the route used", () => {
    const route = { method: "GET", route: "/v1/cases/:id", status: "200" }
    const buckets = samples(scraped, "civicase_http_request_duration_seconds_bucket", route)
    expect(buckets.length).toBeGreaterThan(5)
    expect(value(scraped, "civicase_http_request_duration_seconds_bucket", { ...route, le: "+Inf" })).toBe(2)
    expect(value(scraped, "civicase_http_request_duration_seconds_count", route)).toBe(2)
    expect(value(scraped, "civicase_http_request_duration_seconds_sum", route)).toBeGreaterThan(0)
    // Buckets are cumulative.
    const counts = buckets.map((b) => b.value)
    expect([...counts].sort((a, b) => a - b)).toEqual(counts)
    expect(value(scraped, "civicase_http_requests_total", { method: "POST", route: "/v1/cases", status: "201" })).toBe(1)
    expect(value(scraped, "civicase_http_requests_total", { method: "POST", route: "/v1/cases/:id/events", status: "409" })).toBe(1)
    // The pattern, never the URL with its id.
    expect(scraped.some((s) => [...s.labels.values()].some((v) => v.includes(caseId)))).toBe(false)
  })

  it("counts transitions by workflow, kind and outcome, with their duration", () => {
    expect(value(scraped, "civicase_engine_transitions_total", { workflow: "demo", kind: "create", outcome: "committed" })).toBe(1)
    expect(value(scraped, "civicase_engine_transitions_total", { workflow: "demo", kind: "event", outcome: "committed" })).toBe(1)
    expect(value(scraped, "civicase_engine_transitions_total", { workflow: "demo", kind: "event", outcome: "CIVICASE_E_EVENT_NOT_ACCEPTED" })).toBe(1)
    expect(value(scraped, "civicase_engine_transition_duration_seconds_count", { workflow: "demo", kind: "event", outcome: "committed" })).toBe(1)
    // The live hub's count of commits (this process's own, without LISTEN on PGlite): create, SUBMIT, the reminder.
    expect(value(scraped, "civicase_transitions_total", { workflow: "demo" })).toBe(3)
  })

  it("measures timer lag (fired minus due) and counts fired timers", () => {
    expect(value(scraped, "civicase_timer_lag_seconds_count", { workflow: "demo" })).toBe(1)
    expect(value(scraped, "civicase_timer_lag_seconds_sum", { workflow: "demo" })).toBe(1800)
    expect(value(scraped, "civicase_timer_lag_seconds_bucket", { workflow: "demo", le: "900" })).toBe(0)
    expect(value(scraped, "civicase_timer_lag_seconds_bucket", { workflow: "demo", le: "3600" })).toBe(1)
    expect(value(scraped, "civicase_timers_fired_total", { workflow: "demo", outcome: "committed" })).toBe(1)
  })

  it("shows outbox rows by status, deliveries and their latency", () => {
    expect(value(scraped, "civicase_outbox_rows", { status: "delivered" })).toBe(1)
    expect(value(scraped, "civicase_outbox_rows", { status: "pending" })).toBe(0)
    expect(value(scraped, "civicase_outbox_rows", { status: "failed" })).toBe(0)
    expect(value(scraped, "civicase_outbox_rows", { status: "unrouted" })).toBe(0)
    expect(value(scraped, "civicase_outbox_deliveries_total", { outcome: "delivered" })).toBe(1)
    expect(value(scraped, "civicase_outbox_delivery_latency_seconds_count")).toBe(1)
    // Written when the reminder fired, delivered at the same engine time.
    expect(value(scraped, "civicase_outbox_delivery_latency_seconds_sum")).toBe(0)
  })

  it("counts hash-chain checks and shows the broken cases the last whole-database check found", () => {
    expect(value(scraped, "civicase_verify_runs_total", { scope: "case", result: "ok" })).toBe(1)
    expect(value(scraped, "civicase_verify_runs_total", { scope: "all", result: "broken" })).toBe(1)
    expect(value(scraped, "civicase_verify_broken_cases")).toBe(1)
  })

  it("has the live feed, Node process metrics, and no pool gauge on PGlite", () => {
    expect(value(scraped, "civicase_live_clients")).toBe(0)
    expect(value(scraped, "process_cpu_user_seconds_total")).toBeGreaterThan(0)
    expect(samples(scraped, "nodejs_heap_size_used_bytes")).toHaveLength(1)
    expect(value(scraped, "civicase_process_uptime_seconds")).toBeGreaterThan(0)
    expect(samples(scraped, "civicase_db_pool_connections")).toEqual([])
  })
})
