import { type Actor, type Engine, createEngine, silentLogger, testClock } from "@civicase/core"
import { pglite } from "@civicase/adapters"
import { loadProvince, provinceConfiguration, provinceEngineOptions, provinceFiles } from "@civicase/workflows"
import { buildServer, devTokens } from "@civicase/server"
import type { FastifyInstance } from "fastify"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ResponseLog, undeclared } from "./response-log.js"

const province = loadProvince(provinceFiles.vinhPhuc)
const head: Actor = { id: "vp-head", province: "vinh-phuc", agency: "so-tttt", roles: ["coordinator_head"] }
const officer: Actor = { id: "vp-officer", province: "vinh-phuc", agency: "so-ngoai-vu", roles: ["agency_officer"] }

describe("province configuration over the API (/v1/config)", () => {
  const clock = testClock(new Date("2026-03-02T02:00:00.000Z"))
  const dev = devTokens({ now: () => clock.now() })
  let engine: Engine
  let app: FastifyInstance
  let log: ResponseLog
  const auth = async (actor: Actor) => ({ authorization: `Bearer ${await dev.mint(actor)}` })
  const call = async (method: "GET" | "POST", url: string, actor: Actor, payload?: unknown) => {
    const res = await app.inject({ method, url, headers: await auth(actor), ...(payload === undefined ? {} : { payload: payload as object }) })
    log.record(method, res)
    return res
  }

  beforeAll(async () => {
    engine = createEngine({ store: pglite(), ...provinceEngineOptions(province), configuration: provinceConfiguration(province, { pollMs: 0 }), clock, scheduler: false, logger: silentLogger })
    await engine.start()
    app = await buildServer({ engine, auth: dev.auth, province: "vinh-phuc", now: () => clock.now() })
    log = new ResponseLog(app)
  })
  afterAll(async () => {
    await app.close()
    await engine.close()
  })

  it("lets coordinators read, dry-run and apply a version; refuses others and bad files by path", async () => {
    const current = await call("GET", "/v1/config", head)
    expect(current.statusCode).toBe(200)
    expect(current.json()).toMatchObject({ province: "vinh-phuc", version: 0, appliedBy: null, diff: [] })
    expect((await call("GET", "/v1/config", officer)).statusCode).toBe(403)
    expect((await call("GET", "/v1/config/history?limit=0", head)).statusCode).toBe(400)

    const next = structuredClone(province) as Record<string, any>
    next.workflows.plan.deadlines.review = { workingDays: 12 }
    const bad = structuredClone(next)
    bad.roles.coordinator = ["khong-co"]
    const refused = await call("POST", "/v1/config", head, bad)
    expect(refused.statusCode).toBe(400)
    expect(refused.json()).toMatchObject({ code: "CIVICASE_E_VALIDATION" })
    expect(JSON.stringify(refused.json())).toContain("/roles/coordinator/0")
    expect((await call("POST", "/v1/config", officer, next)).statusCode).toBe(403)

    const dry = await call("POST", "/v1/config?dryRun=true", head, next)
    expect(dry.statusCode).toBe(200)
    expect(dry.json()).toMatchObject({ applied: false, dryRun: true, version: 1, diff: [{ op: "replace", path: "/workflows/plan/deadlines/review/workingDays", value: 12 }] })
    expect((await call("GET", "/v1/config/history", head)).json()).toEqual({ items: [] })

    const applied = await call("POST", "/v1/config", head, next)
    expect(applied.json()).toMatchObject({ applied: true, version: 1 })
    const history = await call("GET", "/v1/config/history", head)
    expect(history.json().items).toEqual([{ version: 1, appliedBy: head, appliedAt: "2026-03-02T02:00:00.000Z", diff: dry.json().diff }])
    expect((await call("GET", "/v1/config", head)).json()).toMatchObject({ version: 1, appliedBy: head })
    expect(undeclared(app.swagger(), log.observed())).toEqual([])
  })
})
