import { type Engine, createEngine, silentLogger } from "@civicase/core"
import { postgres } from "@civicase/adapters"
import { demoActors as A, demoWorkflow } from "@civicase/core/testing"
import { buildServer, devTokens } from "@civicase/server"
import pg from "pg"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { parseExposition, value } from "./exposition.js"

const url = process.env.DATABASE_URL

describe.runIf(url)("GET /metrics on PostgreSQL: the pool's use", () => {
  const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
  let engine: Engine
  let app: Awaited<ReturnType<typeof buildServer>>

  beforeAll(async () => {
    engine = createEngine({ store: postgres({ connectionString: url!, schema, max: 4 }), workflows: [demoWorkflow], scheduler: false, logger: silentLogger })
    await engine.start()
    const dev = devTokens()
    app = await buildServer({ engine, auth: dev.auth, province: "demo" })
    const headers = { authorization: `Bearer ${await dev.mint(A.officer)}` }
    expect((await app.inject({ method: "POST", url: "/v1/cases", headers, payload: { workflow: "demo", input: { title: "pool" } } })).statusCode).toBe(201)
  })
  afterAll(async () => {
    await app.close()
    await engine.close()
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    await client.query(`drop schema if exists "${schema}" cascade`)
    await client.end()
  })

  it("reports open, idle and waiting connections of the engine's pool", async () => {
    const scraped = parseExposition((await app.inject({ url: "/metrics" })).body)
    const total = value(scraped, "civicase_db_pool_connections", { state: "total" })
    expect(total).toBeGreaterThanOrEqual(1)
    expect(total).toBeLessThanOrEqual(4)
    expect(value(scraped, "civicase_db_pool_connections", { state: "idle" })).toBeLessThanOrEqual(total)
    // Read while the scrape's own outbox query may hold or wait for a connection: present, not a fixed number.
    expect(value(scraped, "civicase_db_pool_connections", { state: "waiting" })).toBeGreaterThanOrEqual(0)
    expect(value(scraped, "civicase_outbox_rows", { status: "pending" })).toBe(0)
  })
})
