import type { AddressInfo } from "node:net"
import { type Actor, type Engine, createEngine, silentLogger, testClock } from "@civicase/core"
import { pglite } from "@civicase/adapters"
import { loadProvince, provinceEngineOptions, provinceFiles } from "@civicase/workflows"
import { buildServer, devTokens } from "@civicase/server"
import type { FastifyInstance } from "fastify"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { openSocket } from "./live-client.js"

const vinhPhuc = loadProvince(provinceFiles.vinhPhuc)
const actor = (agency: string, role: string, province = "vinh-phuc"): Actor => ({ id: `${role}@${agency}`, province, agency, roles: [role] })

describe("a server over an engine built from the province file refuses what the file does not allow, as the engine does", () => {
  const clock = testClock(new Date("2025-03-03T02:00:00Z"))
  const dev = devTokens({ now: () => clock.now() })
  let engine: Engine
  let app: FastifyInstance
  let caseId: string
  const auth = async (a: Actor) => ({ authorization: `Bearer ${await dev.mint(a)}` })

  beforeAll(async () => {
    engine = createEngine({ store: pglite(), ...provinceEngineOptions(vinhPhuc), clock, scheduler: false, logger: silentLogger })
    app = await buildServer({ engine, auth: dev.auth, province: vinhPhuc.id, devTokens: dev, now: () => clock.now() })
    const reported = await engine.createCase("press-response", { kind: "false_information", summary: "Tin sai", suspectedSeverity: "high" }, actor("so-khdt", "agency_officer"))
    caseId = reported.id
  })
  afterAll(async () => {
    await app.close()
    await engine.close()
  })

  const refusals: Array<[string, Actor, number, string]> = [
    // Vĩnh Phúc gives coordinator_head to so-tttt only.
    ["a role the agency may not hold", actor("so-khdt", "coordinator_head"), 403, "CIVICASE_E_ROLE_NOT_HELD"],
    // Lào Cai's own approver role: Vĩnh Phúc has no such role at all.
    ["another province's custom role", actor("so-ngoai-vu", "foreign_affairs_head"), 403, "CIVICASE_E_ROLE_NOT_HELD"],
    ["an agency the province does not have", actor("so-y-te", "agency_officer"), 401, "CIVICASE_E_UNKNOWN_ACTOR"],
  ]

  it.each(refusals)("refuses %s on every route, with the engine's code", async (_what, who, status, code) => {
    const headers = await auth(who)
    const requests = [
      { method: "GET" as const, url: "/v1/workflows" },
      { method: "GET" as const, url: "/v1/cases" },
      { method: "GET" as const, url: `/v1/cases/${caseId}` },
      { method: "GET" as const, url: `/v1/cases/${caseId}/history` },
      { method: "GET" as const, url: "/v1/reports/sla" },
      { method: "POST" as const, url: "/v1/cases", payload: { workflow: "press-response", input: { kind: "incident", summary: "x", suspectedSeverity: "low" } } },
      { method: "POST" as const, url: `/v1/cases/${caseId}/events`, payload: { type: "TRIAGE", payload: { severity: "low", category: "incident", responsibleAgency: "so-khdt" } } },
    ]
    for (const r of requests) {
      const res = await app.inject({ ...r, headers })
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(status)
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/)
      expect(res.json()).toMatchObject({ code, status })
    }
    const after = await engine.getCase(caseId, engine.access.systemActor("vinh-phuc"))
    expect({ rev: after.rev, state: after.state }).toEqual({ rev: 1, state: "reported" })
    expect((await engine.listCases({}, engine.access.systemActor("vinh-phuc"))).items).toHaveLength(1)
  })

  it("refuses the live feed's upgrade to such a token, before any case is read", async () => {
    await app.listen({ port: 0, host: "127.0.0.1" })
    const url = `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1/live`
    for (const [, who, status] of refusals) await expect(openSocket(url, await auth(who))).rejects.toMatchObject({ status })
    const coordinator = await openSocket(url, await auth(actor("so-tttt", "coordinator")))
    coordinator.send({ op: "subscribe", caseId })
    expect((await coordinator.collect((m) => m.type === "subscribed"))[0]).toMatchObject({ type: "case", case: { id: caseId } })
    await coordinator.close()
  })

  it("mints no development token for an actor the engine would refuse", async () => {
    const mint = (body: object) => app.inject({ method: "POST", url: "/v1/dev/token", payload: body })
    const wrongRole = await mint({ agency: "so-khdt", roles: ["coordinator_head"] })
    expect(wrongRole.statusCode).toBe(403)
    expect(wrongRole.json()).toMatchObject({ code: "CIVICASE_E_ROLE_NOT_HELD", detail: expect.stringContaining("held by: so-tttt") })
    const unknown = await mint({ agency: "so-y-te", roles: ["agency_officer"] })
    expect(unknown.statusCode).toBe(401)
    expect(unknown.json().code).toBe("CIVICASE_E_UNKNOWN_ACTOR")
    const fine = await mint({ agency: "so-tttt", roles: ["coordinator_head"] })
    expect(fine.statusCode).toBe(200)
    const listed = await app.inject({ url: "/v1/cases", headers: { authorization: `Bearer ${fine.json().token}` } })
    expect(listed.statusCode).toBe(200)
    expect(listed.json().items).toHaveLength(1)
  })
})
