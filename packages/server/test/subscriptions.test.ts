import { type IncomingMessage, createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { Writable } from "node:stream"
import { type Actor, type Engine, createEngine, silentLogger, testClock } from "@civicase/core"
import { type WebhookSubscriptions, pglite, webhookSubscriptions } from "@civicase/adapters"
import { loadProvince, provinceEngineOptions, provinceFiles } from "@civicase/workflows"
import { buildServer, devTokens } from "@civicase/server"
import type { FastifyInstance } from "fastify"
import { Webhook } from "standardwebhooks"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"

const province = loadProvince(provinceFiles.vinhPhuc)
const coordinator: Actor = { id: "vp-coord", province: "vinh-phuc", agency: "so-tttt", roles: ["coordinator"] }
const officer: Actor = { id: "vp-officer", province: "vinh-phuc", agency: "so-ngoai-vu", roles: ["agency_officer"] }
const otherProvince: Actor = { id: "dn-coord", province: "da-nang", agency: "so-vhttdl", roles: ["coordinator"] }

interface Delivery {
  id: string
  verified: boolean
  body: any
}

/** A subscriber on loopback that verifies with the standardwebhooks library and answers 500 to the first `failures` requests. */
async function subscriber() {
  const state = { secret: "", failures: 0, deliveries: [] as Delivery[] }
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const raw = Buffer.concat(chunks).toString("utf8")
    let verified = true
    try {
      new Webhook(state.secret).verify(raw, req.headers as Record<string, string>)
    } catch {
      verified = false
    }
    state.deliveries.push({ id: String(req.headers["webhook-id"]), verified, body: JSON.parse(raw) })
    if (state.failures > 0) {
      state.failures--
      return res.writeHead(500).end("down")
    }
    res.writeHead(204).end()
  })
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r))
  return { state, port: (server.address() as AddressInfo).port, close: () => new Promise<void>((r) => server.close(() => r())) }
}

describe("webhook subscriptions over the API", () => {
  const clock = testClock()
  const dev = devTokens()
  const names = new Map<string, string>([["receiver.test", "127.0.0.1"], ["rebind.test", "93.184.216.34"]])
  const logs: string[] = []
  let engine: Engine
  let app: FastifyInstance
  let subs: WebhookSubscriptions
  let hook: Awaited<ReturnType<typeof subscriber>>
  const auth = async (actor: Actor) => ({ authorization: `Bearer ${await dev.mint(actor)}` })

  beforeAll(async () => {
    hook = await subscriber()
    subs = webhookSubscriptions({
      allow: ["127.0.0.1"],
      resolve: async (host) => (names.has(host) ? [{ address: names.get(host)!, family: 4 as const }] : []),
    })
    engine = createEngine({ store: pglite(), ...provinceEngineOptions(province, { plugins: [subs] }), clock, scheduler: false, logger: silentLogger, outbox: { maxIdleMs: 60_000 } })
    await engine.start()
    const stream = new Writable({ write: (chunk, _enc, done) => (logs.push(String(chunk)), done()) })
    app = await buildServer({ engine, auth: dev.auth, province: "vinh-phuc", subscriptions: subs, rateLimit: false, dashboard: false, logger: { level: "debug", stream } })
  })
  afterAll(async () => {
    await app.close()
    await engine.close()
    await hook.close()
  })

  it("lets only coordinators manage them, shows the secret once, scopes them to the province, and refuses bad input by path", async () => {
    const url = `http://receiver.test:${hook.port}/hooks`
    expect((await app.inject({ method: "POST", url: "/v1/subscriptions", headers: await auth(officer), payload: { url } })).json()).toMatchObject({ status: 403, code: "CIVICASE_E_FORBIDDEN" })
    await expect(subs.create({ url }, officer)).rejects.toMatchObject({ code: "CIVICASE_E_FORBIDDEN" })
    const bad = await app.inject({ method: "POST", url: "/v1/subscriptions", headers: await auth(coordinator), payload: { url, eventTypes: [""], secret: "whsec_c2hvcnQ=" } })
    expect(bad.statusCode).toBe(400)
    const badSecret = await app.inject({ method: "POST", url: "/v1/subscriptions", headers: await auth(coordinator), payload: { url, secret: "whsec_c2hvcnQ=" } })
    expect(badSecret.json()).toMatchObject({ status: 400, errors: [{ path: "/secret", message: expect.stringMatching(/24 to 64/) }] })

    const res = await app.inject({
      method: "POST",
      url: "/v1/subscriptions",
      headers: await auth(coordinator),
      payload: { url, workflows: ["press-response"], eventTypes: ["case.created", "TRIAGE"], description: "Cổng thông tin tỉnh" },
    })
    expect(res.statusCode).toBe(201)
    const created = res.json()
    expect(created).toMatchObject({ province: "vinh-phuc", url, workflows: ["press-response"], agencies: null, eventTypes: ["case.created", "TRIAGE"], createdBy: "vp-coord" })
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    hook.state.secret = created.secret
    expect(res.headers.location).toBe(`/v1/subscriptions/${created.id}`)

    const listed = await app.inject({ method: "GET", url: "/v1/subscriptions", headers: await auth(coordinator) })
    expect(listed.json().items).toEqual([expect.objectContaining({ id: created.id })])
    const one = await app.inject({ method: "GET", url: `/v1/subscriptions/${created.id}`, headers: await auth(coordinator) })
    expect(one.json()).toMatchObject({ id: created.id, url })
    expect(JSON.stringify([listed.json(), one.json()])).not.toContain("whsec_")
    // Another province's coordinator (through the plugin API; its tokens never reach this server) is not admitted by this engine.
    await expect(subs.list(otherProvince)).rejects.toMatchObject({ code: "CIVICASE_E_UNKNOWN_ACTOR" })
    await expect(subs.remove(created.id, otherProvince)).rejects.toMatchObject({ code: "CIVICASE_E_UNKNOWN_ACTOR" })
    // A coordinator of this province holding a role its agency may not hold is refused before anything is read.
    await expect(subs.list({ ...coordinator, agency: "so-ngoai-vu" })).rejects.toMatchObject({ code: "CIVICASE_E_ROLE_NOT_HELD" })
    await expect(subs.get("00000000-0000-4000-8000-000000000000", coordinator)).rejects.toMatchObject({ code: "CIVICASE_E_SUBSCRIPTION_NOT_FOUND" })
    expect(logs.join("")).not.toContain(created.secret.slice(6))
  })

  it("describes the subscription and link routes in the OpenAPI document with every status they answer", async () => {
    const doc = (await app.inject({ method: "GET", url: "/openapi.json" })).json()
    const statuses = (path: string, method: string) => Object.keys(doc.paths[path][method].responses).sort()
    expect(statuses("/v1/subscriptions", "post")).toEqual(["201", "400", "401", "403", "413", "415", "422", "429", "500", "503"])
    expect(statuses("/v1/subscriptions/{id}", "delete")).toEqual(["204", "400", "401", "403", "404", "429", "500", "503"])
    expect(statuses("/v1/cases/{id}/links", "post")).toEqual(["201", "400", "401", "403", "404", "409", "413", "415", "422", "429", "500", "503"])
    expect(doc.paths["/v1/subscriptions"].post.responses["422"].content["application/problem+json"].schema).toEqual({ $ref: "#/components/schemas/Problem" })
    expect(doc.paths["/v1/cases/{id}/links"].post.responses["409"].content["application/problem+json"]).toBeDefined()
    expect(doc.components.schemas.CreatedSubscription.required).toContain("secret")
    expect(doc.components.schemas.Subscription.properties.secret).toBeUndefined()
  })

  it("refuses private, loopback, link-local and metadata targets unless allowed, when created", async () => {
    for (const [url, why] of [
      ["http://10.0.0.1/hook", /private/],
      ["http://169.254.169.254/latest/meta-data/", /link-local/],
      ["http://[::1]:8080/", /loopback/],
      ["http://192.168.1.10/", /private/],
      ["http://unknown.test/", /does not resolve/],
      ["file:///etc/passwd", /http or https/],
    ] as const) {
      const res = await app.inject({ method: "POST", url: "/v1/subscriptions", headers: await auth(coordinator), payload: { url } })
      expect(res.statusCode, url).toBe(422)
      expect(res.json(), url).toMatchObject({ code: "CIVICASE_E_TARGET_REFUSED", detail: expect.stringMatching(why) })
    }
  })

  it("delivers one signed envelope per matching commit through the outbox, retried with the same id, verified by the standardwebhooks library", async () => {
    hook.state.failures = 1
    const c = await engine.createCase("press-response", { kind: "incident", summary: "Sự cố tại khu du lịch Tam Đảo" }, coordinator)
    await engine.send(c.id, { type: "TRIAGE", payload: { severity: "medium", category: "incident", responsibleAgency: "so-vhttdl" } }, coordinator)
    await engine.createCase("coordination", { topic: "Quảng bá du lịch", lead: "so-vhttdl", dueDate: "2099-03-31" }, coordinator)
    await vi.waitFor(() => expect(hook.state.deliveries.length).toBeGreaterThanOrEqual(2), { timeout: 20_000 })
    clock.advance("PT10M")
    await vi.waitFor(async () => expect((await engine.outbox.list({ topic: "webhook.subscription", status: "delivered" })).items).toHaveLength(2), { timeout: 20_000 })
    const rows = (await engine.outbox.list({ topic: "webhook.subscription" })).items
    expect(rows).toHaveLength(2)
    expect(hook.state.deliveries.every((d) => d.verified)).toBe(true)
    expect(new Set(hook.state.deliveries.map((d) => d.id))).toEqual(new Set(rows.map((r) => r.id)))
    // The first attempt failed: that delivery came twice with one id and one body.
    expect(hook.state.deliveries).toHaveLength(3)
    const [first, retry] = hook.state.deliveries.filter((d) => d.id === hook.state.deliveries[0]!.id)
    expect(retry!.body).toEqual(first!.body)
    const bodies = [...new Map(hook.state.deliveries.map((d) => [d.id, d.body])).values()]
    expect(bodies.map((b) => [b.type, b.data.event, b.data.rev])).toEqual([
      ["case.created", "case.created", 1],
      ["case.transitioned", "TRIAGE", 2],
    ])
    expect(bodies[1]).toEqual({
      type: "case.transitioned",
      timestamp: expect.any(String),
      data: {
        subscriptionId: expect.any(String),
        caseId: c.id,
        province: "vinh-phuc",
        workflow: "press-response",
        version: engine.workflow("press-response").version,
        rev: 2,
        event: "TRIAGE",
        from: "reported",
        to: expect.any(String),
        status: "active",
        agencies: expect.arrayContaining(["so-tttt", "so-vhttdl"]),
      },
    })
    expect(JSON.stringify(bodies)).not.toContain("Tam Đảo")
  })

  it("checks the address again at delivery (DNS rebinding), and stops delivering once a subscription is deleted", async () => {
    const res = await app.inject({ method: "POST", url: "/v1/subscriptions", headers: await auth(coordinator), payload: { url: `http://rebind.test:${hook.port}/`, workflows: ["coordination"] } })
    expect(res.statusCode).toBe(201)
    // Checked when created (a public address); the name now points inside the network.
    names.set("rebind.test", "10.0.0.5")
    const seen = hook.state.deliveries.length
    const task = await engine.createCase("coordination", { topic: "Đón đoàn báo chí nước ngoài", lead: "so-ngoai-vu", dueDate: "2099-06-30" }, coordinator)
    await vi.waitFor(
      async () => {
        const [row] = (await engine.outbox.list({ topic: "webhook.subscription", caseId: task.id })).items
        expect(row).toMatchObject({ status: "pending", attempts: 1 })
        expect(row!.lastError).toMatch(/resolves to 10\.0\.0\.5 is private/)
      },
      { timeout: 20_000 },
    )
    expect(hook.state.deliveries.length).toBe(seen)
    const all = (await app.inject({ method: "GET", url: "/v1/subscriptions", headers: await auth(coordinator) })).json().items as Array<{ id: string }>
    for (const s of all) expect((await app.inject({ method: "DELETE", url: `/v1/subscriptions/${s.id}`, headers: await auth(coordinator) })).statusCode).toBe(204)
    expect((await app.inject({ method: "GET", url: `/v1/subscriptions/${all[0]!.id}`, headers: await auth(coordinator) })).json()).toMatchObject({ status: 404, code: "CIVICASE_E_SUBSCRIPTION_NOT_FOUND" })
    const before = (await engine.outbox.list({ topic: "webhook.subscription" })).items.length
    await engine.createCase("press-response", { kind: "incident", summary: "Sau khi huỷ đăng ký" }, coordinator)
    expect((await engine.outbox.list({ topic: "webhook.subscription" })).items.length).toBe(before)
  })
})
