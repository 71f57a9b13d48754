import type { AddressInfo } from "node:net"
import { type Engine, createEngine, silentLogger } from "@civicase/core"
import { postgres } from "@civicase/adapters"
import { type FaultProxy, demoActors, demoWorkflow, faultProxy } from "@civicase/core/testing"
import { buildServer, devTokens } from "@civicase/server"
import pg from "pg"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import { type TestSocket, openSocket } from "./live-client.js"

const url = process.env.DATABASE_URL

/** What no client may read: driver messages name hosts, ports and system calls. */
const RAW = /ECONN|EPIPE|connect |terminat|storage error|127\.0\.0\.1|localhost/i

// The server's engine reaches PostgreSQL through a proxy the test breaks on
// purpose; a second engine, connected directly, stands for another process.
describe.runIf(url)("the server while its database is unreachable (PostgreSQL)", () => {
  const tag = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`
  const schema = `t_dbfaults_${tag}`
  const appName = `civicase_dbfaults_${tag}`
  const dev = devTokens()
  let proxy: FaultProxy
  let engine: Engine
  let other: Engine
  let app: Awaited<ReturnType<typeof buildServer>>
  let ws: string
  let admin: pg.Client
  let auth: { authorization: string }
  const sockets: TestSocket[] = []

  beforeAll(async () => {
    const u = new URL(url!)
    proxy = await faultProxy({ host: u.hostname, port: Number(u.port || 5432) })
    const through = proxy.url(`${url!}${url!.includes("?") ? "&" : "?"}application_name=${appName}`)
    engine = createEngine({ store: postgres({ connectionString: through, schema }), workflows: [demoWorkflow], scheduler: false, logger: silentLogger })
    other = createEngine({ store: postgres({ connectionString: url!, schema }), workflows: [demoWorkflow], scheduler: false, logger: silentLogger })
    await engine.start()
    await other.start()
    app = await buildServer({ engine, auth: dev.auth, province: "demo" })
    await app.listen({ port: 0, host: "127.0.0.1" })
    ws = `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1/live`
    auth = { authorization: `Bearer ${await dev.mint(demoActors.coordinator)}` }
    admin = new pg.Client({ connectionString: url })
    await admin.connect()
  })
  afterAll(async () => {
    for (const s of sockets) await s.close()
    await app.close()
    await engine.close()
    await other.close()
    await proxy.close()
    await admin.query(`drop schema if exists "${schema}" cascade`)
    await admin.end()
  })

  // A test that fails while the database is "down" must not take the next ones with it.
  afterEach(() => proxy.up())

  const socket = async () => {
    const s = await openSocket(`${ws}?token=${auth.authorization.slice("Bearer ".length)}`)
    sockets.push(s)
    return s
  }

  it("answers 503 problem+json with Retry-After and no driver text on every route, and 200 again once the database is back", async () => {
    const c = await engine.createCase("demo", { title: "outage" }, demoActors.officer)
    const officer = { authorization: `Bearer ${await dev.mint(demoActors.officer)}` }
    await proxy.down()
    const requests = [
      { method: "GET" as const, url: "/v1/cases" },
      { method: "GET" as const, url: `/v1/cases/${c.id}` },
      { method: "GET" as const, url: `/v1/cases/${c.id}/history` },
      { method: "GET" as const, url: `/v1/cases/${c.id}/verify` },
      { method: "POST" as const, url: `/v1/cases/${c.id}/events`, payload: { type: "NOTE", payload: { text: "while down" } } },
      { method: "POST" as const, url: "/v1/cases", payload: { workflow: "demo", input: { title: "while down" } }, headers: officer },
      { method: "GET" as const, url: "/healthz" },
    ]
    for (const r of requests) {
      const res = await app.inject({ headers: auth, ...r })
      expect({ route: `${r.method} ${r.url}`, status: res.statusCode }).toEqual({ route: `${r.method} ${r.url}`, status: 503 })
      expect(res.headers["content-type"]).toContain("application/problem+json")
      expect(res.headers["retry-after"]).toBe("2")
      expect(res.json()).toMatchObject({ status: 503, code: "CIVICASE_E_STORAGE" })
      expect(res.body).not.toMatch(RAW)
    }
    await proxy.up()
    for (const r of requests) {
      const res = await app.inject({ headers: auth, ...r })
      expect({ route: `${r.method} ${r.url}`, status: res.statusCode < 300 }).toEqual({ route: `${r.method} ${r.url}`, status: true })
    }
  })

  it("the live feed tells a client which case it could not read and why in general terms, never the driver's text", async () => {
    const c = await engine.createCase("demo", { title: "live outage" }, demoActors.officer)
    const s = await socket()
    await proxy.down()
    s.send({ op: "subscribe", caseId: c.id })
    const byCase = await s.next()
    expect(byCase).toMatchObject({ type: "error", code: "CIVICASE_E_STORAGE", caseId: c.id })
    expect(byCase.detail).toContain(c.id)
    expect(byCase.detail).toContain("cơ sở dữ liệu")
    expect(byCase.detail).toContain("database")
    s.send({ op: "subscribe", workflow: "demo" })
    const byFilter = await s.next()
    expect(byFilter).toMatchObject({ type: "error", code: "CIVICASE_E_STORAGE" })
    expect(byFilter.caseId).toBeUndefined()
    for (const m of [byCase, byFilter]) expect(m.detail).not.toMatch(RAW)
    await proxy.up()
    s.send({ op: "subscribe", caseId: c.id })
    expect(await s.collect((m) => m.type === "subscribed")).toMatchObject([{ type: "case", case: { id: c.id } }, { type: "subscribed", caseId: c.id, rev: 1 }])
  })

  it("a catch-up read that fails names its case, and the next commit of that case fills the gap", async () => {
    const c = await engine.createCase("demo", { title: "catch-up outage" }, demoActors.officer)
    const s = await socket()
    s.send({ op: "subscribe", caseId: c.id })
    await s.collect((m) => m.type === "subscribed")
    // LISTEN is back from the earlier outages (it reconnects with backoff) before the proxy stops taking connections.
    const listening = async () => (await admin.query("select 1 from pg_stat_activity where application_name = $1 and query ilike 'listen %'", [appName])).rowCount
    await expect.poll(listening, { timeout: 15_000 }).toBe(1)
    // New connections are refused; the open ones stay, and the pooled ones are ended, so LISTEN alone is left.
    await proxy.down({ keepOpen: true })
    await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and query not ilike 'listen %'", [appName])
    await expect.poll(async () => (await admin.query("select 1 from pg_stat_activity where application_name = $1", [appName])).rowCount, { timeout: 10_000 }).toBe(1)
    // Another process commits: the server hears the NOTIFY and must read history, which fails.
    await other.send(c.id, { type: "NOTE", payload: { text: "unread" } }, demoActors.officer)
    const failed = await s.next(10_000)
    expect(failed).toMatchObject({ type: "error", code: "CIVICASE_E_STORAGE", caseId: c.id })
    expect(failed.detail).not.toMatch(RAW)
    await proxy.up()
    await other.send(c.id, { type: "SUBMIT" }, demoActors.head)
    const caught = (await s.collect((m) => m.rev === 3, 10_000)).filter((m) => m.type === "transition")
    expect(caught.map((m) => [m.type, m.rev])).toEqual([
      ["transition", 2],
      ["transition", 3],
    ])
  })
})
