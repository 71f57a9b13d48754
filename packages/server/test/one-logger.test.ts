import { Writable } from "node:stream"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Engine, createEngine, testClock } from "@civicase/core"
import { pglite } from "@civicase/adapters"
import { demoActors as A, demoWorkflow } from "@civicase/core/testing"
import type { FastifyInstance } from "fastify"
import { buildServer, devTokens, processLogger } from "@civicase/server"

describe("one logger for the engine and the server", () => {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean))
      done()
    },
  })
  const log = processLogger({ level: "debug", stream })
  let engine: Engine
  let app: FastifyInstance
  let token: string

  beforeAll(async () => {
    const clock = testClock()
    engine = createEngine({ store: pglite(), workflows: [demoWorkflow], clock, scheduler: false, logger: log })
    await engine.start()
    const dev = devTokens({ now: () => clock.now() })
    app = await buildServer({ engine, auth: dev.auth, province: "demo", now: () => clock.now(), logger: log })
    token = await dev.mint(A.officer)
    const res = await app.inject({ method: "POST", url: "/v1/cases?token=abc", headers: { authorization: `Bearer ${token}` }, payload: { workflow: "demo", input: { title: "Nhật ký" } } })
    expect(res.statusCode).toBe(201)
  })
  afterAll(async () => {
    await app.close()
    await engine.close()
  })

  it("writes every line, the engine's debug lines and Fastify's request lines alike, as pino JSON", () => {
    const parsed = lines.map((l) => JSON.parse(l) as { level: number; msg: string; time: number; [k: string]: unknown })
    for (const p of parsed) expect(p).toEqual(expect.objectContaining({ level: expect.any(Number), time: expect.any(Number), msg: expect.any(String) }))
    const committed = parsed.find((p) => p.msg === "transition committed")
    expect(committed).toEqual(expect.objectContaining({ level: 20, workflow: "demo", rev: 1, event: "case.created" }))
    expect(parsed.some((p) => p.msg === "incoming request" && p.level === 30)).toBe(true)
  })

  it("never writes a token or a secret", () => {
    log.info({ smtp: { host: "mail", auth: { user: "u", pass: "hunter2" } }, subscription: { secret: "whsec_abc" }, token: "tkn" }, "configuration")
    const text = lines.join("\n")
    for (const secret of [token, "hunter2", "whsec_abc", '"tkn"', "token=abc"]) expect(text).not.toContain(secret)
    expect(text).toContain('"pass":"[redacted]"')
    expect(text).toContain("token=[redacted]")
  })
})
