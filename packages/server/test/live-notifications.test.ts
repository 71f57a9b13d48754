import type { AddressInfo } from "node:net"
import { type Actor, createEngine, silentLogger, testClock } from "@civicase/core"
import { notificationRules, peopleNotifications } from "@civicase/core/notifications"
import { pglite } from "@civicase/adapters"
import { buildServer, devTokens, personFeed } from "@civicase/server"
import { loadProvince, provinceEngineOptions, provinceFiles } from "@civicase/workflows"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import { openSocket } from "./live-client.js"

// The live feed as a channel: a person's open websockets receive their
// notifications, nobody else's; a person with no client open is not reached.
describe("people notifications on the live feed", () => {
  const province = loadProvince(provinceFiles.vinhPhuc)
  const feed = personFeed()
  const notifications = peopleNotifications({
    rules: notificationRules({ baseUrl: "https://civicase.example", rules: [{ on: "assigned", to: ["recipient"] }] }),
    channels: [feed],
    calendar: province.calendar,
  })
  const engine = createEngine({
    store: pglite(),
    ...provinceEngineOptions(province, { plugins: [notifications] }),
    clock: testClock(new Date("2025-03-03T02:00:00.000Z")),
    scheduler: false,
    outbox: { enabled: false },
    logger: silentLogger,
  })
  const dev = devTokens()
  let app: Awaited<ReturnType<typeof buildServer>>
  let base: string
  const actor = (id: string, agency: string, roles: string[]): Actor => ({ id, province: province.id, agency, roles })
  const coordinator = actor("coord-1", "so-tttt", ["coordinator"])
  const head = actor("pham.head", "so-khdt", ["agency_head"])

  beforeAll(async () => {
    await engine.start()
    app = await buildServer({ engine, auth: dev.auth, province: province.id, devTokens: dev, live: { personFeed: feed } })
    await app.listen({ port: 0, host: "127.0.0.1" })
    base = `127.0.0.1:${(app.server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await app.close()
    await engine.close()
  })

  const token = async (agency: string, roles: string[], sub: string) => {
    const res = await fetch(`http://${base}/v1/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ agency, roles, sub }) })
    return ((await res.json()) as { token: string }).token
  }

  it("pushes a notification to each client of the recipient only, and leaves the row unrouted when they are not connected", async () => {
    for (const p of [
      { id: "tran.thi.b", agency: "so-khdt", name: "Trần Thị Bình", roles: ["agency_officer"] },
      { id: "le.van.c", agency: "so-khdt", name: "Lê Văn Cường", roles: ["agency_officer"] },
    ]) {
      await engine.people.upsert(p, coordinator)
    }
    const b1 = await openSocket(`ws://${base}/v1/live?token=${await token("so-khdt", ["agency_officer"], "tran.thi.b")}`)
    const b2 = await openSocket(`ws://${base}/v1/live?token=${await token("so-khdt", ["agency_officer"], "tran.thi.b")}`)
    const c = await openSocket(`ws://${base}/v1/live?token=${await token("so-khdt", ["agency_officer"], "le.van.c")}`)
    const kase = await engine.createCase("press-response", { kind: "false_information", summary: "Tin sai về sạt lở", suspectedSeverity: "medium" }, actor("r", "so-khdt", ["agency_officer"]))
    await engine.send(kase.id, { type: "TRIAGE", payload: { severity: "medium", category: "false_information", responsibleAgency: "so-khdt", rationale: "r" } }, coordinator)
    await engine.assign(kase.id, { assignee: "tran.thi.b" }, head)
    expect(await engine.outbox.dispatch()).toMatchObject({ delivered: 1 })

    for (const socket of [b1, b2]) {
      const [m] = (await socket.collect((x) => x.type === "notification", 30_000)).filter((x) => x.type === "notification")
      expect(m.notification).toMatchObject({
        kind: "assigned",
        caseId: kase.id,
        caseUrl: `https://civicase.example/cases/${kase.id}`,
        subject: { vi: "Phân công: bạn được giao hồ sơ “Tin sai về sạt lở”", en: "Assigned: you were given case “Tin sai về sạt lở”" },
      })
      expect(m.notification.id).toMatch(/:tran\.thi\.b$/)
      expect(JSON.stringify(m)).not.toContain("email")
    }
    expect(feed.size).toBe(3)
    await c.close()
    await vi.waitFor(() => expect(feed.size).toBe(2))
    await engine.assign(kase.id, { assignee: "le.van.c" }, head)
    await engine.outbox.dispatch()
    const rows = (await engine.outbox.list({ topic: "notify.assigned" })).items
    expect(rows.map((r) => [(r.payload as { recipient: string }).recipient, r.status]).sort()).toEqual([
      ["le.van.c", "unrouted"],
      ["tran.thi.b", "delivered"],
    ])
    await b1.close()
    await b2.close()
  })
})
