import type { Actor } from "@civicase/core"
import { demoActors } from "@civicase/core/testing"
import { devTokens } from "@civicase/server"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Harness, harness } from "./harness.js"
import { ResponseLog, undeclared } from "./response-log.js"

const { officer, head, otherOfficer, coordinator } = demoActors
const UNKNOWN_CASE = "00000000-0000-4000-8000-000000000000"

interface Doc {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>
  "x-unrouted-responses": Record<string, { content?: Record<string, unknown> }>
}

describe("the OpenAPI document declares what the server answers", () => {
  let h: Harness
  let log: ResponseLog
  let doc: Doc
  beforeAll(async () => {
    h = await harness({ devTokens: devTokens(), bodyLimit: 4096 })
    log = new ResponseLog(h.app)
    await h.app.ready()
    doc = h.app.swagger() as unknown as Doc
  })
  afterAll(() => h.close())

  const send = async (method: string, url: string, options: { actor?: Actor; payload?: unknown; headers?: Record<string, string> } = {}) => {
    const auth = options.actor ? await h.auth(options.actor) : {}
    const res = await h.app.inject({ method: method as "GET", url, headers: { ...auth, ...options.headers }, ...(options.payload === undefined ? {} : { payload: options.payload as string }) })
    log.record(method, res)
    return res
  }

  it("declares every error of every route as application/problem+json, never application/json", () => {
    const wrong: string[] = []
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op.responses] as const))
    for (const [where, responses] of [...operations, ["unrouted", doc["x-unrouted-responses"]] as const]) {
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) >= 400 && Object.keys(response.content ?? {}).join() !== "application/problem+json") wrong.push(`${where} ${status}`)
      }
    }
    expect(operations.length).toBeGreaterThan(10)
    expect(wrong).toEqual([])
  })

  it("declares the statuses the issue found missing: 413 and 415 on bodies, 405 and 414 before routing, 429 and 503", () => {
    const events = doc.paths["/v1/cases/{id}/events"]!.post!.responses
    for (const status of ["400", "401", "403", "404", "409", "413", "415", "422", "429", "500", "503"]) expect(Object.keys(events)).toContain(status)
    expect(Object.keys(doc["x-unrouted-responses"]).sort()).toEqual(["400", "404", "405", "408", "414", "431"])
    expect(Object.keys(doc.paths["/v1/live"]!.get!.responses)).toEqual(expect.arrayContaining(["101", "401", "426", "429"]))
  })

  it("every answer of a tour of each route and its errors is declared with its status and media type", async () => {
    const created = await send("POST", "/v1/cases", { actor: officer, payload: { workflow: "demo", input: { title: "t" } } })
    const id = created.json().id as string
    const json = { "content-type": "application/json" }
    const answers = [
      created,
      await send("GET", "/v1/workflows", { actor: officer }),
      await send("GET", "/v1/workflows", {}),
      await send("GET", "/v1/workflows/demo", { actor: officer }),
      await send("HEAD", "/v1/workflows/demo", { actor: officer }),
      await send("GET", "/v1/workflows/nope", { actor: officer }),
      await send("GET", "/v1/workflows/demo?version=x", { actor: officer }),
      await send("POST", "/v1/cases", { actor: officer, payload: { workflow: 5 } }),
      await send("POST", "/v1/cases", { actor: coordinator, payload: { workflow: "demo", input: { title: "t" } } }),
      await send("POST", "/v1/cases", { actor: officer, payload: { workflow: "nope", input: {} } }),
      await send("POST", "/v1/cases", { actor: officer, payload: JSON.stringify({ workflow: "demo", input: { title: "x".repeat(5000) } }), headers: json }),
      await send("POST", "/v1/cases", { actor: officer, payload: "hello", headers: { "content-type": "text/plain" } }),
      await send("POST", "/v1/cases", { actor: officer, payload: "{nope", headers: json }),
      await send("GET", "/v1/cases?limit=1", { actor: coordinator }),
      await send("GET", "/v1/cases?limit=0", { actor: coordinator }),
      await send("GET", `/v1/cases/${id}`, { actor: officer }),
      await send("GET", `/v1/cases/${id}`, { actor: otherOfficer }),
      await send("POST", `/v1/cases/${id}/events`, { actor: head, payload: { type: "SUBMIT" } }),
      await send("POST", `/v1/cases/${id}/events`, { actor: head, payload: { type: "SUBMIT" } }),
      await send("POST", `/v1/cases/${id}/events`, { actor: officer, payload: { type: "APPROVE" } }),
      await send("POST", `/v1/cases/${id}/events`, { actor: coordinator, payload: { type: "NOTE", payload: { text: "x" }, expectedRev: 1 } }),
      await send("POST", `/v1/cases/${UNKNOWN_CASE}/events`, { actor: coordinator, payload: { type: "NOTE" } }),
      await send("GET", `/v1/cases/${id}/history`, { actor: coordinator }),
      await send("GET", `/v1/cases/${UNKNOWN_CASE}/history`, { actor: coordinator }),
      await send("GET", `/v1/cases/${id}/verify`, { actor: coordinator }),
      await send("GET", "/v1/reports/sla", { actor: coordinator }),
      await send("GET", "/v1/reports/sla?agency=agency-b", { actor: officer }),
      await send("GET", "/v1/reports/sla?from=yesterday", { actor: coordinator }),
      await send("GET", "/healthz", {}),
      await send("GET", "/metrics", {}),
      await send("GET", "/v1/live", { actor: officer }),
      await send("GET", "/v1/live", {}),
      await send("POST", "/v1/dev/token", { payload: { agency: "agency-a", roles: ["agency_officer"] } }),
      await send("POST", "/v1/dev/token", { payload: { agency: "agency-a", roles: ["system"] } }),
      await send("DELETE", "/v1/cases", { actor: officer }),
      await send("GET", "/v1/nothing", { actor: officer }),
      await send("GET", `/v1/cases/${"a".repeat(150)}`, { actor: officer }),
      await send("GET", "/v1/cases/%E0%A4%A", { actor: officer }),
    ]
    const statuses = new Set(answers.map((r) => r.statusCode))
    // The tour reaches what it means to: each of these statuses was answered at least once.
    for (const status of [200, 201, 400, 401, 403, 404, 405, 409, 413, 414, 415, 426]) expect([...statuses]).toContain(status)
    expect(undeclared(doc, log.observed())).toEqual([])
  })

  it("answers a rate-limited request and a closed engine as declared (429, 503)", async () => {
    const limited = await harness({ rateLimit: { max: 1, timeWindowMs: 60_000 } })
    const limitedLog = new ResponseLog(limited.app)
    try {
      for (let i = 0; i < 2; i++) limitedLog.record("GET", await limited.app.inject({ url: "/v1/cases", headers: await limited.auth(officer) }))
      await limited.engine.close()
      limitedLog.record("GET", await limited.app.inject({ url: "/healthz" }))
      const observed = limitedLog.observed()
      expect(observed.map((o) => o.status).sort()).toEqual([200, 429, 503])
      expect(undeclared(limited.app.swagger(), observed)).toEqual([])
    } finally {
      await limited.app.close()
    }
  })

  it("reports what it does not find declared (the check can fail)", () => {
    expect(
      undeclared(doc, [
        { method: "GET", route: "/v1/cases/:id", status: 418, mediaType: "application/problem+json" },
        { method: "GET", route: "/v1/cases/:id", status: 404, mediaType: "application/json" },
        { method: "PUT", route: undefined, status: 409, mediaType: "application/problem+json" },
      ]),
    ).toEqual([
      "GET /v1/cases/:id → 404 application/json: declared as application/problem+json",
      "GET /v1/cases/:id → 418 application/problem+json: status not declared",
      "PUT (no route) → 409 application/problem+json: status not declared",
    ])
  })
})
