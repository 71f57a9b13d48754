import { mkdtempSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type Actor, type Engine, type InboundMapping, type StorageDriver, createEngine, silentLogger, testClock } from "@civicase/core"
import { type LinkTransport, generateWebhookSecret, linkTransport, pglite, postgres } from "@civicase/adapters"
import { loadProvince, provinceEngineOptions, provinceFiles } from "@civicase/workflows"
import { buildServer, devTokens } from "@civicase/server"
import type { FastifyInstance } from "fastify"
import pg from "pg"
import { Webhook } from "standardwebhooks"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"

/** Where a deployment keeps its data: a store that survives a restart of the deployment. */
export interface DeploymentStore {
  open(): StorageDriver
  dispose(): Promise<void>
}

/** A fresh durable store per call: PGlite in a temporary folder, or a schema of a PostgreSQL database. */
export type StoreFactory = () => DeploymentStore

/** Durable PGlite stores in temporary folders. */
export const pgliteStores: StoreFactory = () => {
  const dir = mkdtempSync(join(tmpdir(), "civicase-links-"))
  return { open: () => pglite({ dataDir: dir }), dispose: async () => rmSync(dir, { recursive: true, force: true }) }
}

/** Stores in their own schemas of the `url` database. */
export function postgresStores(url: string): StoreFactory {
  return () => {
    const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
    return {
      open: () => postgres({ connectionString: url, schema }),
      async dispose() {
        const client = new pg.Client({ connectionString: url })
        await client.connect()
        await client.query(`drop schema if exists "${schema}" cascade`)
        await client.end()
      },
    }
  }
}

const SECRET = generateWebhookSecret()
const vinhPhuc = loadProvince(provinceFiles.vinhPhuc)
const daNang = loadProvince(provinceFiles.daNang)

/** A free loopback port, so that two deployments can name each other before either listens. */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r))
  const port = (server.address() as AddressInfo).port
  await new Promise<void>((r) => server.close(() => r()))
  return port
}

/** A deployment of one province on loopback, with its own database and test clock, peered with one other. */
export interface Deployment {
  readonly province: string
  readonly port: number
  readonly clock: ReturnType<typeof testClock>
  engine: Engine
  app: FastifyInstance
  transport: LinkTransport
  auth(actor: Actor): Promise<{ authorization: string }>
  start(): Promise<void>
  stop(): Promise<void>
}

function deployment(province: typeof vinhPhuc, agency: string, port: number, peer: { province: string; port: number }, store: DeploymentStore): Deployment {
  const clock = testClock()
  const dev = devTokens()
  const inbound: InboundMapping[] =
    province.id === "da-nang"
      ? [
          {
            from: "vinh-phuc",
            kind: "press-incident",
            workflow: "press-response",
            input: { kind: { value: "incident" }, summary: "/subject/summary", source: "/subject/source", suspectedSeverity: "/subject/severity" },
          },
          {
            from: "vinh-phuc",
            kind: "coordination-task",
            workflow: "coordination",
            input: { topic: "/subject/topic", description: "/note", lead: "/subject/lead", dueDate: "/subject/dueDate" },
          },
        ]
      : []
  const d: Deployment = {
    province: province.id,
    port,
    clock,
    engine: undefined as unknown as Engine,
    app: undefined as unknown as FastifyInstance,
    transport: undefined as unknown as LinkTransport,
    auth: async (actor) => ({ authorization: `Bearer ${await dev.mint(actor)}` }),
    async start() {
      d.transport = linkTransport({
        province: province.id,
        peers: [{ province: peer.province, url: `http://127.0.0.1:${peer.port}`, secret: SECRET }],
        allow: ["127.0.0.1"],
      })
      d.engine = createEngine({
        store: store.open(),
        ...provinceEngineOptions(province, { plugins: [d.transport] }),
        clock,
        scheduler: false,
        logger: silentLogger,
        outbox: { maxIdleMs: 60_000 },
        links: { province: province.id, agency, peers: [peer.province], inbound },
      })
      await d.engine.start()
      d.app = await buildServer({ engine: d.engine, auth: dev.auth, province: province.id, linkTransport: d.transport, rateLimit: false, dashboard: false })
      await d.app.listen({ port, host: "127.0.0.1" })
    },
    async stop() {
      await d.app.close()
      await d.engine.close()
    },
  }
  return d
}

const coordinatorA: Actor = { id: "vp-coord", province: "vinh-phuc", agency: "so-tttt", roles: ["coordinator"] }
const officerA: Actor = { id: "vp-officer", province: "vinh-phuc", agency: "so-ngoai-vu", roles: ["agency_officer"] }
const coordinatorB: Actor = { id: "dn-coord", province: "da-nang", agency: "so-vhttdl", roles: ["coordinator"] }

/** Headers of a request signed by the standardwebhooks library (an implementation independent of civicase's). */
function signed(secret: string, id: string, body: string, at = new Date()) {
  return {
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(id, at, body),
  }
}

async function post(port: number, headers: Record<string, string>, body: string) {
  const r = await fetch(`http://127.0.0.1:${port}/v1/links/inbound`, { method: "POST", headers, body })
  return { status: r.status, body: (await r.json()) as Record<string, any> }
}

/** Delivers every outbox row of `topic` again through the transport, as an outbox retry would (same id, fresh nonce and signature). */
async function redeliver(d: Deployment, topic: string, caseId?: string) {
  const { items } = await d.engine.outbox.list({ topic, ...(caseId ? { caseId } : {}) })
  for (const row of items) await d.transport.notifiers![0]!.deliver({ ...row, attempt: row.attempts + 1 })
  return items.length
}

const reportInput = { kind: "false_information", summary: "Tin sai sự thật về lễ hội pháo hoa liên quan hai tỉnh", suspectedSeverity: "high" }
const subject = { summary: "Thông tin sai lệch lan truyền tại Đà Nẵng về đoàn của Vĩnh Phúc", source: "mạng xã hội", severity: "high" }

/**
 * Two deployments on loopback, Vĩnh Phúc (A) and Đà Nẵng (B), each with its
 * own database, province and server: A forwards cases to B, B's progress
 * comes back to A's history; repeats, retries, a restart of B, replays and
 * forged requests change nothing twice.
 */
export function linksSuite(name: string, stores: StoreFactory) {
  describe(`links between two deployments (${name})`, { timeout: 120_000 }, () => {
    const storeA = stores()
    const storeB = stores()
    let a: Deployment
    let b: Deployment
    let firstCase: string

    beforeAll(async () => {
      const [portA, portB] = [await freePort(), await freePort()]
      a = deployment(vinhPhuc, "so-tttt", portA, { province: "da-nang", port: portB }, storeA)
      b = deployment(daNang, "so-vhttdl", portB, { province: "vinh-phuc", port: portA }, storeB)
      await a.start()
      await b.start()
      // Two durable PGlite databases migrating on a shared two-core machine can take a while.
    }, 180_000)
    afterAll(async () => {
      await a?.stop().catch(() => undefined)
      await b?.stop().catch(() => undefined)
      await storeA.dispose()
      await storeB.dispose()
    })

    const linkedCasesOfB = async () => (await b.engine.listCases({ workflow: "press-response" }, coordinatorB)).items
    const linksOf = async (caseId: string) => a.engine.links.list(caseId, coordinatorA)

    it("forwards a case: B starts one linked case as link:vinh-phuc, and each of its commits comes back to A's history once", async () => {
      const created = await a.app.inject({ method: "POST", url: "/v1/cases", headers: await a.auth(coordinatorA), payload: { workflow: "press-response", input: reportInput } })
      expect(created.statusCode).toBe(201)
      firstCase = created.json().id
      const forward = { peer: "da-nang", kind: "press-incident", subject, note: "Đề nghị Sở VHTTDL Đà Nẵng phối hợp xác minh" }

      const byOfficer = await a.app.inject({ method: "POST", url: `/v1/cases/${firstCase}/links`, headers: await a.auth(officerA), payload: forward })
      expect(byOfficer.statusCode).toBe(403)
      expect(byOfficer.json().code).toBe("CIVICASE_E_FORBIDDEN")
      const unknownPeer = await a.app.inject({ method: "POST", url: `/v1/cases/${firstCase}/links`, headers: await a.auth(coordinatorA), payload: { ...forward, peer: "ha-noi" } })
      expect(unknownPeer.statusCode).toBe(400)
      expect(unknownPeer.json().errors).toEqual([{ path: "/peer", message: expect.stringContaining("da-nang") }])

      const res = await a.app.inject({ method: "POST", url: `/v1/cases/${firstCase}/links`, headers: await a.auth(coordinatorA), payload: forward })
      expect(res.statusCode).toBe(201)
      const link = res.json()
      expect(link).toMatchObject({ caseId: firstCase, direction: "outbound", peer: "da-nang", kind: "press-incident", remote: null })

      await vi.waitFor(async () => expect(await linkedCasesOfB()).toHaveLength(1), { timeout: 20_000 })
      const [bCase] = await linkedCasesOfB()
      expect(bCase).toMatchObject({ workflow: "press-response", state: "reported", context: expect.objectContaining({ report: expect.objectContaining({ summary: subject.summary, kind: "incident" }) }) })
      const [bCreated] = await b.engine.history(bCase!.id, coordinatorB)
      expect(bCreated).toMatchObject({ type: "case.created", actor: { id: "link:vinh-phuc", province: "da-nang", agency: "so-vhttdl", roles: ["integration"] } })
      expect(await b.engine.links.list(bCase!.id, coordinatorB)).toEqual([
        expect.objectContaining({ id: link.id, direction: "inbound", peer: "vinh-phuc", remote: expect.objectContaining({ caseId: firstCase, workflow: "press-response" }) }),
      ])

      await vi.waitFor(async () => expect((await linksOf(firstCase))[0]?.remote).toMatchObject({ caseId: bCase!.id, rev: 1, state: "reported" }), { timeout: 20_000 })

      const triage = await b.app.inject({
        method: "POST",
        url: `/v1/cases/${bCase!.id}/events`,
        headers: await b.auth(coordinatorB),
        payload: { type: "TRIAGE", payload: { severity: "high", category: "false_information", responsibleAgency: "so-vhttdl" } },
      })
      expect(triage.statusCode).toBe(200)
      const bState = triage.json().state
      await vi.waitFor(async () => expect((await linksOf(firstCase))[0]?.remote).toMatchObject({ rev: 2, state: bState, status: "active" }), { timeout: 20_000 })

      const history = await a.app.inject({ method: "GET", url: `/v1/cases/${firstCase}/history`, headers: await a.auth(coordinatorA) })
      const rows = history.json().items as Array<{ type: string; payload: any; actor: Actor; from: string; to: string }>
      expect(rows.map((r) => r.type)).toEqual(["case.created", "case.link_created", "case.link_updated", "case.link_updated"])
      expect(rows[1]!.payload).toMatchObject({ linkId: link.id, peer: "da-nang", kind: "press-incident", subject })
      expect(rows.slice(2).map((r) => [r.payload.remote.rev, r.payload.remote.event, r.actor.id])).toEqual([
        [1, "case.created", "link:da-nang"],
        [2, "TRIAGE", "link:da-nang"],
      ])
      // Activities keep A's state and extend its hash chain.
      expect(rows.every((r) => r.from === null || r.from === r.to)).toBe(true)
      const verify = await a.app.inject({ method: "GET", url: `/v1/cases/${firstCase}/verify`, headers: await a.auth(coordinatorA) })
      expect(verify.json()).toMatchObject({ ok: true, checked: 4 })
    })

    it("repeats, retries and a restart of B create nothing twice, and a forward made while B was down arrives after it is back", async () => {
      expect(await redeliver(a, "link.forward")).toBe(1)
      expect(await redeliver(a, "link.forward")).toBe(1)
      expect(await linkedCasesOfB()).toHaveLength(1)
      const before = (await a.engine.history(firstCase, coordinatorA)).length
      expect(await redeliver(b, "link.status")).toBe(2)
      expect((await a.engine.history(firstCase, coordinatorA)).length).toBe(before)

      await b.stop()
      const second = await a.engine.createCase("press-response", reportInput, coordinatorA)
      await a.engine.links.forward(second.id, { peer: "da-nang", kind: "press-incident", subject: { ...subject, summary: "Vụ việc thứ hai" } }, coordinatorA)
      await vi.waitFor(
        async () => {
          const [row] = (await a.engine.outbox.list({ topic: "link.forward", caseId: second.id })).items
          expect(row).toMatchObject({ status: "pending", attempts: 1 })
          expect(row!.lastError).toMatch(/^links: link link\.forward to da-nang: /)
        },
        { timeout: 20_000 },
      )

      await b.start()
      // Nothing of the first link was lost or repeated by the restart.
      expect(await linkedCasesOfB()).toHaveLength(1)
      a.clock.advance("PT1H")
      await vi.waitFor(async () => expect(await linkedCasesOfB()).toHaveLength(2), { timeout: 20_000 })
      await vi.waitFor(async () => expect((await linksOf(second.id))[0]?.remote).toMatchObject({ rev: 1, state: "reported" }), { timeout: 20_000 })
      expect(await redeliver(a, "link.forward", second.id)).toBe(1)
      expect(await linkedCasesOfB()).toHaveLength(2)
    })

    it("refuses forged, stale, replayed, misaddressed, unmapped and unknown requests with registered codes, creating nothing", async () => {
      const envelope = (over: Record<string, unknown> = {}, data: Record<string, unknown> = {}) =>
        JSON.stringify({
          type: "link.forward",
          timestamp: new Date().toISOString(),
          nonce: `nonce-${Math.random().toString(36).slice(2)}-${Date.now()}`,
          from: "vinh-phuc",
          to: "da-nang",
          data: {
            linkId: crypto.randomUUID(),
            from: { province: "vinh-phuc", caseId: firstCase, workflow: "press-response", state: "reported", rev: 2 },
            to: "da-nang",
            kind: "press-incident",
            subject,
            ...data,
          },
          ...over,
        })
      const count = (await linkedCasesOfB()).length

      const body = envelope()
      const headers = signed(SECRET, "delivery-1", body)
      expect(await post(b.port, headers, body)).toMatchObject({ status: 200, body: { type: "link.forward", replayed: false } })
      expect(await post(b.port, headers, body)).toMatchObject({ status: 409, body: { code: "CIVICASE_E_LINK_REPLAYED" } })

      const other = envelope()
      expect(await post(b.port, signed(generateWebhookSecret(), "d-2", other), other)).toMatchObject({ status: 401, body: { code: "CIVICASE_E_LINK_SIGNATURE" } })
      const tampered = signed(SECRET, "d-3", other)
      expect(await post(b.port, tampered, other.replace("Thông tin", "Tin"))).toMatchObject({ status: 401, body: { code: "CIVICASE_E_LINK_SIGNATURE" } })
      expect(await post(b.port, { ...tampered, "webhook-id": "d-4" }, other)).toMatchObject({ status: 401, body: { code: "CIVICASE_E_LINK_SIGNATURE" } })
      const stale = signed(SECRET, "d-5", other, new Date(Date.now() - 10 * 60_000))
      expect(await post(b.port, stale, other)).toMatchObject({ status: 401, body: { code: "CIVICASE_E_LINK_STALE" } })
      const stranger = envelope({ from: "ha-noi" })
      expect(await post(b.port, signed(SECRET, "d-6", stranger), stranger)).toMatchObject({ status: 403, body: { code: "CIVICASE_E_LINK_UNKNOWN_PEER" } })
      const elsewhere = envelope({ to: "ha-noi" })
      expect(await post(b.port, signed(SECRET, "d-7", elsewhere), elsewhere)).toMatchObject({ status: 403, body: { code: "CIVICASE_E_LINK_UNKNOWN_PEER" } })
      const unmapped = envelope({}, { kind: "commendation-proposal" })
      expect(await post(b.port, signed(SECRET, "d-8", unmapped), unmapped)).toMatchObject({ status: 422, body: { code: "CIVICASE_E_LINK_NOT_MAPPED" } })
      const malformed = envelope({}, { linkId: "not-a-uuid" })
      expect(await post(b.port, signed(SECRET, "d-9", malformed), malformed)).toMatchObject({ status: 400, body: { code: "CIVICASE_E_VALIDATION", errors: [{ path: "/linkId" }] } })
      expect((await linkedCasesOfB()).length).toBe(count + 1)

      // A status about a link A never made (or made to another peer) records nothing.
      const status = JSON.stringify({
        type: "link.status",
        timestamp: new Date().toISOString(),
        nonce: `nonce-status-${Date.now()}-abcdef`,
        from: "da-nang",
        to: "vinh-phuc",
        data: { linkId: crypto.randomUUID(), from: "da-nang", to: "vinh-phuc", caseId: crypto.randomUUID(), workflow: "press-response", rev: 9, event: "CLOSE", state: "closed", status: "done", at: new Date().toISOString() },
      })
      expect(await post(a.port, signed(SECRET, "d-10", status), status)).toMatchObject({ status: 404, body: { code: "CIVICASE_E_LINK_NOT_FOUND" } })
      // The inbound route is public (signature-authenticated) and documents each of these answers.
      const doc = (await b.app.inject({ method: "GET", url: "/openapi.json" })).json()
      expect(Object.keys(doc.paths["/v1/links/inbound"].post.responses).sort()).toEqual(["200", "400", "401", "403", "404", "409", "413", "415", "422", "429", "500", "503"])
      expect(doc.paths["/v1/links/inbound"].post.security).toBeUndefined()
      // Unsigned: refused before anything is read from it.
      expect(await post(a.port, { "content-type": "application/json" }, status)).toMatchObject({ status: 401, body: { code: "CIVICASE_E_LINK_SIGNATURE" } })
    })

    it("refuses link options whose link actors the province file would not admit", async () => {
      const build = (agency: string) => () =>
        createEngine({ store: pglite(), ...provinceEngineOptions(vinhPhuc), logger: silentLogger, links: { province: "vinh-phuc", agency, peers: ["da-nang"] } })
      expect(build("so-ngoai-vu")).toThrow(expect.objectContaining({ code: "CIVICASE_E_INVALID_CONFIG", issues: [{ path: "/links/agency", message: expect.stringMatching(/integration/) }] }))
      expect(build("so-khong-co")).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: "/links/agency" })] }))
      await build("so-tttt")().close()
    })

    it("forwards a coordination task for an agency of B: B's task starts with that agency as lead, and its acknowledgement comes back", async () => {
      const task = await a.engine.createCase("coordination", { topic: "Quảng bá hình ảnh hai địa phương tại hội chợ", lead: "so-vhttdl", dueDate: "2099-06-30" }, coordinatorA)
      const link = await a.engine.links.forward(
        task.id,
        { peer: "da-nang", kind: "coordination-task", subject: { topic: "Phối hợp gian hàng chung tại hội chợ", lead: "so-khcn", dueDate: "2099-06-15" }, note: "Sở KHCN Đà Nẵng chủ trì phần trình diễn" },
        coordinatorA,
      )
      let bTask: string | undefined
      await vi.waitFor(
        async () => {
          const items = (await b.engine.listCases({ workflow: "coordination" }, coordinatorB)).items
          expect(items).toHaveLength(1)
          bTask = items[0]!.id
          expect(items[0]).toMatchObject({ parties: { lead: "so-khcn" }, context: expect.objectContaining({ topic: "Phối hợp gian hàng chung tại hội chợ" }) })
        },
        { timeout: 20_000 },
      )
      const khcnHead: Actor = { id: "dn-khcn", province: "da-nang", agency: "so-khcn", roles: ["agency_head"] }
      const ack = await b.engine.send(bTask!, { type: "ACKNOWLEDGE", payload: { note: "Đã tiếp nhận" } }, khcnHead)
      await vi.waitFor(async () => expect((await linksOf(task.id))[0]).toMatchObject({ id: link.id, remote: { caseId: bTask, rev: ack.rev, state: ack.state } }), { timeout: 20_000 })
    })
  })
}
