import type { AddressInfo } from "node:net"
import { createEngine, silentLogger, testClock } from "@civicase/core"
import { pglite } from "@civicase/adapters"
import { buildServer, devTokens } from "@civicase/server"
import { loadProvince, provinceEngineOptions, provinceFiles } from "@civicase/workflows"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { openSocket } from "./live-client.js"

// The walkthrough of docs/http-api.md, step by step: a press-response case in
// Vĩnh Phúc from report to publication, through the API, watched live.
describe("docs/http-api.md walkthrough: press response from report to publication", () => {
  const province = loadProvince(provinceFiles.vinhPhuc)
  // As `npm start` builds it: the province's workflows and who may act in it.
  const engine = createEngine({ store: pglite(), ...provinceEngineOptions(province), clock: testClock(), scheduler: false, logger: silentLogger })
  const dev = devTokens()
  let app: Awaited<ReturnType<typeof buildServer>>
  let base: string

  beforeAll(async () => {
    await engine.start()
    app = await buildServer({ engine, auth: dev.auth, province: province.id, devTokens: dev })
    await app.listen({ port: 0, host: "127.0.0.1" })
    base = `127.0.0.1:${(app.server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await app.close()
    await engine.close()
  })

  const token = async (agency: string, roles: string[], sub?: string) => {
    const res = await fetch(`http://${base}/v1/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ agency, roles, ...(sub ? { sub } : {}) }) })
    expect(res.status).toBe(200)
    return ((await res.json()) as { token: string }).token
  }
  const call = async (tok: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`http://${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${tok}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: res.status, body: (await res.json()) as any }
  }

  it("runs every step of the walkthrough", async () => {
    const reporter = await token("so-khdt", ["agency_officer"], "nguyen.van.a")
    const coordinator = await token("so-tttt", ["coordinator"])
    const officer = await token("so-khdt", ["agency_officer"], "tran.thi.b")
    const spokesperson = await token("so-khdt", ["spokesperson"])
    const head = await token("so-tttt", ["coordinator_head"])

    const watcher = await openSocket(`ws://${base}/v1/live?token=${coordinator}`)
    watcher.send({ op: "subscribe", workflow: "press-response" })
    expect((await watcher.collect((m) => m.type === "subscribed", 30_000)).at(-1)).toMatchObject({ workflow: "press-response", cases: 0 })

    const created = await call(reporter, "POST", "/v1/cases", {
      workflow: "press-response",
      input: { kind: "false_information", summary: "Một trang mạng đăng tin sai về dự án khu công nghiệp", source: "https://example.com/bai-viet", suspectedSeverity: "medium" },
    })
    expect(created.status).toBe(201)
    expect(created.body.state).toBe("reported")
    const id = created.body.id as string

    const steps: Array<[string, string, Record<string, unknown>, string]> = [
      [coordinator, "TRIAGE", { severity: "medium", category: "false_information", responsibleAgency: "so-khdt", rationale: "Lan truyền nhanh" }, "responding.fact_finding"],
      [officer, "RECORD_FACTS", { findings: "Dự án đã được cấp phép đúng quy định", sources: ["Quyết định 123/QĐ-UBND"] }, "responding.drafting"],
      [spokesperson, "DRAFT_STATEMENT", { text: "Thông cáo báo chí: thông tin trên trang mạng là sai sự thật…" }, "responding.statement_drafted"],
      [spokesperson, "SUBMIT_FOR_REVIEW", {}, "responding.review"],
      [head, "APPROVE", { comment: "Đồng ý công bố" }, "responding.approved"],
      [spokesperson, "PUBLISH", { channels: ["press_release", "provincial_portal"], publishedAt: "2025-01-06T04:00:00Z", links: ["https://vinhphuc.gov.vn/thong-cao"] }, "published.monitoring"],
    ]
    let rev = 1
    for (const [tok, type, payload, state] of steps) {
      const res = await call(tok, "POST", `/v1/cases/${id}/events`, { type, payload, expectedRev: rev })
      expect(res.status, `${type}: ${JSON.stringify(res.body)}`).toBe(200)
      expect(res.body.state).toBe(state)
      rev = res.body.rev
    }
    expect(rev).toBe(7)

    const seen = await watcher.collect((m) => m.type === "transition" && m.rev === 7)
    expect(seen.map((m) => [m.rev, m.event])).toEqual([
      [1, "case.created"],
      [2, "TRIAGE"],
      [3, "RECORD_FACTS"],
      [4, "DRAFT_STATEMENT"],
      [5, "SUBMIT_FOR_REVIEW"],
      [6, "APPROVE"],
      [7, "PUBLISH"],
    ])
    const history = await call(coordinator, "GET", `/v1/cases/${id}/history`)
    expect(history.body.items).toHaveLength(7)
    expect((await call(coordinator, "GET", `/v1/cases/${id}/verify`)).body).toEqual({ ok: true, checked: 7 })
    await watcher.close()
  })
})
