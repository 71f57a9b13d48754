import type { AddressInfo } from "node:net"
import { type Engine, createEngine, silentLogger } from "@civicase/core"
import { postgres } from "@civicase/adapters"
import { demoActors, demoWorkflow } from "@civicase/core/testing"
import { buildServer, devTokens } from "@civicase/server"
import pg from "pg"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { openSocket } from "./live-client.js"

const url = process.env.DATABASE_URL

// Process A loses its LISTEN connection; process B commits meanwhile, so A never
// hears that NOTIFY. After A reconnects, its clients catch up from history.
describe.runIf(url)("live feed after a lost LISTEN connection (PostgreSQL)", () => {
  const tag = `${process.pid}_${Math.random().toString(36).slice(2, 10)}`
  const schema = `t_${tag}`
  // Only this test's listener carries this name, so terminating it touches no one else's connections.
  const appName = `civicase_resync_${tag}`
  const dev = devTokens()
  let a: Engine
  let b: Engine
  let app: Awaited<ReturnType<typeof buildServer>>
  let ws: string
  let admin: pg.Client

  beforeAll(async () => {
    const withName = `${url!}${url!.includes("?") ? "&" : "?"}application_name=${appName}`
    a = createEngine({ store: postgres({ connectionString: withName, schema }), workflows: [demoWorkflow], scheduler: false, logger: silentLogger })
    b = createEngine({ store: postgres({ connectionString: url!, schema }), workflows: [demoWorkflow], scheduler: false, logger: silentLogger })
    await a.start()
    await b.start()
    app = await buildServer({ engine: a, auth: dev.auth, province: "demo" })
    await app.listen({ port: 0, host: "127.0.0.1" })
    ws = `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1/live`
    admin = new pg.Client({ connectionString: url })
    await admin.connect()
  })
  afterAll(async () => {
    await app.close()
    await a.close()
    await b.close()
    await admin.query(`drop schema if exists "${schema}" cascade`)
    await admin.end()
  })

  it("a case subscriber receives the transitions committed elsewhere while LISTEN was down; a filter subscriber is told to resubscribe (4002)", async () => {
    const c = await b.createCase("demo", { title: "unheard" }, demoActors.officer)
    const token = await dev.mint(demoActors.coordinator)
    const byCase = await openSocket(`${ws}?token=${token}`)
    byCase.send({ op: "subscribe", caseId: c.id })
    await byCase.collect((m) => m.type === "subscribed")
    const byFilter = await openSocket(`${ws}?token=${token}`)
    byFilter.send({ op: "subscribe", workflow: "demo" })
    await byFilter.collect((m) => m.type === "subscribed")

    // Wait (up to 5 s) until the listener is gone, then commit before it can come back (its first retry is after 100 ms).
    const killed = await admin.query("select pg_terminate_backend(pid, 5000) from pg_stat_activity where application_name = $1 and query ilike 'listen %'", [appName])
    expect(killed.rowCount).toBe(1)
    await b.send(c.id, { type: "NOTE", payload: { text: "while A was deaf" } }, demoActors.officer)

    const got = await byCase.collect((m) => m.type === "transition" && m.rev === 2, 10_000)
    expect(got.filter((m) => m.type === "transition").map((m) => m.rev)).toEqual([2])
    expect((await byFilter.closed).code).toBe(4002)

    // And the restored listener hears the next commit as usual.
    await b.send(c.id, { type: "NOTE", payload: { text: "heard" } }, demoActors.officer)
    expect(await byCase.next(10_000)).toMatchObject({ type: "transition", rev: 3 })
    await byCase.close()
  })
})
