import { demoActors } from "@civicase/core/testing"
import { CivicaseProblemError, createClient } from "@civicase/client"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import { type ProxiedRequest, type ProxyAction, startProxy } from "./proxy.js"
import { type TestServer, startServer } from "./server.js"

const { officer, head } = demoActors

const problem = (status: number, code: string, retryAfter: string) => ({
  status,
  headers: { "content-type": "application/problem+json", "retry-after": retryAfter },
  body: JSON.stringify({ type: `https://civicase.dev/errors/${code}`, title: "busy", status, detail: "try again later", code }),
})

describe("retries through a proxy that loses or refuses answers", () => {
  let server: TestServer
  let proxy: Awaited<ReturnType<typeof startProxy>> | undefined
  beforeAll(async () => {
    server = await startServer()
  })
  afterEach(async () => {
    await proxy?.close()
    proxy = undefined
  })
  afterAll(() => server.close())

  const via = async (decide: (request: ProxiedRequest, index: number) => ProxyAction) => {
    proxy = await startProxy(server.baseUrl, decide)
    return proxy
  }

  it("applies an event once when the first answer is lost: the retry carries the same idempotency key and the server replays", async () => {
    const created = await createClient({ baseUrl: server.baseUrl, token: await server.token(officer) }).createCase({ workflow: "demo", input: { title: "t" } })
    let dropped = 0
    const p = await via((request) => (request.method === "POST" && request.url.endsWith("/events") && dropped++ === 0 ? "drop-response" : "forward"))
    const client = createClient({ baseUrl: p.url, token: await server.token(head), retries: { max: 2, minDelayMs: 1 } })
    const after = await client.sendEvent(created.id, { type: "SUBMIT" })
    expect(after).toMatchObject({ state: "review", rev: 2 })
    const posts = p.seen.filter((r) => r.method === "POST")
    expect(posts).toHaveLength(2)
    const keys = posts.map((r) => JSON.parse(r.body).idempotencyKey as string)
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/)
    expect(keys[1]).toBe(keys[0])
    expect((await client.history(created.id)).map((e) => [e.rev, e.type])).toEqual([
      [1, "case.created"],
      [2, "SUBMIT"],
    ])
  })

  it("creates one case when the answer to POST /v1/cases is lost, and keeps a key the caller gave", async () => {
    let dropped = 0
    const p = await via((request) => (request.method === "POST" && dropped++ === 0 ? "drop-response" : "forward"))
    const client = createClient({ baseUrl: p.url, token: await server.token(officer), retries: { max: 1, minDelayMs: 1 } })
    const before = (await client.listCases({ workflow: "demo", limit: 500 })).items.length
    const created = await client.createCase({ workflow: "demo", input: { title: "once" }, idempotencyKey: "ke-hoach-2026" })
    expect(p.seen.filter((r) => r.method === "POST").map((r) => JSON.parse(r.body).idempotencyKey)).toEqual(["ke-hoach-2026", "ke-hoach-2026"])
    const after = (await client.listCases({ workflow: "demo", limit: 500 })).items
    expect(after).toHaveLength(before + 1)
    expect(after.map((c) => c.id)).toContain(created.id)
  })

  it("gives up after the retries allowed and throws the lost connection", async () => {
    const p = await via((request) => (request.method === "POST" ? "drop-response" : "forward"))
    const client = createClient({ baseUrl: p.url, token: await server.token(officer), retries: { max: 2, minDelayMs: 1 } })
    await expect(client.createCase({ workflow: "demo", input: { title: "never answered" } })).rejects.toBeInstanceOf(TypeError)
    expect(p.seen.filter((r) => r.method === "POST")).toHaveLength(3)
  })

  it("retries 429 and 503 after their Retry-After, and throws one whose Retry-After is longer than maxDelayMs", async () => {
    const p = await via((_request, index) => (index === 0 ? problem(429, "CIVICASE_E_RATE_LIMITED", "0") : index === 1 ? problem(503, "CIVICASE_E_STORAGE", "0") : "forward"))
    const client = createClient({ baseUrl: p.url, token: await server.token(officer), retries: { max: 3, minDelayMs: 1, maxDelayMs: 1000 } })
    expect((await client.listCases({ limit: 1 })).items.length).toBeLessThanOrEqual(1)
    expect(p.seen).toHaveLength(3)

    await p.close()
    const slow = await via(() => problem(503, "CIVICASE_E_STORAGE", "120"))
    const impatient = createClient({ baseUrl: slow.url, token: await server.token(officer), retries: { max: 3, minDelayMs: 1, maxDelayMs: 1000 } })
    const error = (await impatient.listCases().catch((e: unknown) => e)) as CivicaseProblemError
    expect(error).toBeInstanceOf(CivicaseProblemError)
    expect(error).toMatchObject({ status: 503, code: "CIVICASE_E_STORAGE" })
    expect(slow.seen).toHaveLength(1)
  })

  it("does not retry a lost answer to a write that takes no idempotency key", async () => {
    const p = await via((request) => (request.method === "POST" ? "drop-response" : "forward"))
    const client = createClient({ baseUrl: p.url, token: await server.token(officer), retries: { max: 3, minDelayMs: 1 } })
    // POST /v1/dev/token takes no key (and is not served here): one attempt only.
    await expect(client.api.POST("/v1/dev/token", { body: { agency: "agency-a", roles: ["agency_officer"] } })).rejects.toBeInstanceOf(TypeError)
    expect(p.seen).toHaveLength(1)
  })
})
