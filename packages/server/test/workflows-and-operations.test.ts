import { demoActors } from "@civicase/core/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Harness, harness } from "./harness.js"

describe("workflows, OpenAPI, health and metrics", () => {
  let h: Harness
  beforeAll(async () => {
    h = await harness()
  })
  afterAll(() => h.close())

  it("GET /v1/workflows lists each workflow with its events' schemas and permissions", async () => {
    const res = await h.app.inject({ url: "/v1/workflows", headers: await h.auth(demoActors.officer) })
    expect(res.statusCode).toBe(200)
    const [demo] = res.json().items
    expect(demo).toMatchObject({ id: "demo", version: 1, title: { vi: "Quy trình mẫu", en: "Demo workflow" } })
    const close = demo.events.find((e: { type: string }) => e.type === "CLOSE")
    expect(close.schema.required).toEqual(["result", "reason"])
    expect(close.permission).toEqual({ roles: ["agency_head", "coordinator"], agency: "party" })
    expect(demo.deadlines.map((d: { name: string }) => d.name).sort()).toEqual(["reminder", "reviewDeadline"])
  })

  it("GET /v1/workflows/:id gives states and a Mermaid diagram; 404 for an unknown id or version", async () => {
    const headers = await h.auth(demoActors.officer)
    const res = await h.app.inject({ url: "/v1/workflows/demo", headers })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.initial).toBe("draft")
    expect(body.states.map((s: { id: string }) => s.id)).toEqual(["draft", "review", "approved", "closed"])
    expect(body.states.find((s: { id: string }) => s.id === "closed").final).toBe(true)
    expect(body.diagram).toContain("stateDiagram-v2")
    expect(body.diagram).toContain("draft --> review: SUBMIT")
    expect(body.diagram).toContain("review --> review: after reviewDeadline")
    expect((await h.app.inject({ url: "/v1/workflows/nope", headers })).json().code).toBe("CIVICASE_E_WORKFLOW_NOT_FOUND")
    expect((await h.app.inject({ url: "/v1/workflows/demo?version=9", headers })).statusCode).toBe(404)
  })

  it("needs a token for the API but not for health, docs or the dashboard", async () => {
    expect((await h.app.inject({ url: "/v1/workflows" })).statusCode).toBe(401)
    expect((await h.app.inject({ url: "/healthz" })).json()).toEqual({ status: "ok" })
    expect((await h.app.inject({ url: "/docs/" })).statusCode).toBe(200)
    const dashboard = await h.app.inject({ url: "/" })
    expect(dashboard.statusCode).toBe(200)
    expect(dashboard.headers["content-type"]).toMatch(/text\/html/)
    expect(dashboard.body).not.toMatch(/<script>(?!<\/script>)/)
    expect((await h.app.inject({ url: "/dashboard.js" })).headers["content-type"]).toMatch(/javascript/)
  })

  it("serves an OpenAPI document covering every route, with event payload schemas", async () => {
    const res = await h.app.inject({ url: "/openapi.json" })
    expect(res.statusCode).toBe(200)
    const doc = res.json()
    expect(doc.openapi).toBe("3.1.0")
    for (const path of ["/v1/workflows", "/v1/workflows/{id}", "/v1/cases", "/v1/cases/{id}", "/v1/cases/{id}/events", "/v1/cases/{id}/history", "/v1/cases/{id}/verify", "/v1/live", "/healthz"]) {
      expect(Object.keys(doc.paths), path).toContain(path)
    }
    expect(doc.paths["/v1/cases/{id}/events"].post.responses["409"]).toBeDefined()
    expect(doc.components.schemas["demo.v1.CLOSE"].required).toEqual(["result", "reason"])
    expect(doc.components.schemas.Case.properties.allowedEvents).toBeDefined()
    expect(doc.components.securitySchemes.bearer.scheme).toBe("bearer")
  })

  it("counts requests and transitions in Prometheus format", async () => {
    const headers = await h.auth(demoActors.officer)
    await h.app.inject({ method: "POST", url: "/v1/cases", headers, payload: { workflow: "demo", input: { title: "m" } } })
    const res = await h.app.inject({ url: "/metrics" })
    expect(res.headers["content-type"]).toMatch(/^text\/plain/)
    expect(res.body).toMatch(/civicase_http_requests_total\{method="POST",route="\/v1\/cases",status="201"\} 1/)
    expect(res.body).toMatch(/civicase_transitions_total\{workflow="demo"\} 1/)
    expect(res.body).toContain("civicase_live_clients 0")
  })
})
