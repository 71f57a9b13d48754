import type { AddressInfo } from "node:net"
import { type Engine, createEngine, silentLogger } from "@civicase/core"
import { postgres } from "@civicase/adapters"
import { demoActors, demoWorkflow } from "@civicase/core/testing"
import { buildServer, devTokens } from "@civicase/server"
import pg from "pg"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { openSocket } from "./live-client.js"

const url = process.env.DATABASE_URL

// Two server processes sharing one PostgreSQL database: a commit made through
// one reaches the other's websocket clients through LISTEN/NOTIFY.
describe.runIf(url)("live feed across processes (PostgreSQL LISTEN/NOTIFY)", () => {
  const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
  const dev = devTokens()
  const servers: Array<{ engine: Engine; app: Awaited<ReturnType<typeof buildServer>>; ws: string }> = []

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const engine = createEngine({ store: postgres({ connectionString: url!, schema }), workflows: [demoWorkflow], scheduler: false, logger: silentLogger })
      await engine.start()
      const app = await buildServer({ engine, auth: dev.auth, province: "demo" })
      await app.listen({ port: 0, host: "127.0.0.1" })
      servers.push({ engine, app, ws: `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1/live` })
    }
  })
  afterAll(async () => {
    for (const s of servers) {
      await s.app.close()
      await s.engine.close()
    }
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    await client.query(`drop schema if exists "${schema}" cascade`)
    await client.end()
  })

  it("a client of process B sees every commit made through process A once, in order; A's own client too, once", async () => {
    const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]]
    const c = await a.engine.createCase("demo", { title: "fan-out" }, demoActors.officer)
    const token = await dev.mint(demoActors.coordinator)
    const onB = await openSocket(`${b.ws}?token=${token}`)
    const onA = await openSocket(`${a.ws}?token=${token}`)
    for (const s of [onA, onB]) {
      s.send({ op: "subscribe", caseId: c.id })
      await s.collect((m) => m.type === "subscribed")
    }
    for (let i = 0; i < 5; i++) await a.engine.send(c.id, { type: "NOTE", payload: { text: `n${i}` } }, demoActors.officer)
    await b.engine.send(c.id, { type: "SUBMIT" }, demoActors.head)
    for (const s of [onA, onB]) {
      const got = await s.collect((m) => m.rev === 7, 10_000)
      expect(got.map((m) => m.rev)).toEqual([2, 3, 4, 5, 6, 7])
      await expect(s.next(300)).rejects.toThrow(/no message/)
      await s.close()
    }
  })
})
