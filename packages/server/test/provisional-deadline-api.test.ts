import { createEngine, silentLogger, testClock } from "@civicase/core"
import { pglite } from "@civicase/adapters"
import { buildServer, devTokens } from "@civicase/server"
import { loadProvince, provinceFiles, workflows } from "@civicase/workflows"
import { afterAll, describe, expect, it } from "vitest"

describe("a provisional deadline through the HTTP API", () => {
  const province = loadProvince(provinceFiles.vinhPhuc)
  const clock = testClock(new Date("2027-02-08T02:00:00.000Z"))
  const engine = createEngine({ store: pglite(), workflows: workflows(province), clock, scheduler: false, logger: silentLogger })
  const dev = devTokens({ now: () => clock.now() })
  afterAll(() => engine.close())

  it("carries the calendar gaps of the deadline in the case the API answers with, and in the history", async () => {
    await engine.start()
    const app = await buildServer({ engine, auth: dev.auth, province: province.id, now: () => clock.now() })
    try {
      const authorization = `Bearer ${await dev.mint({ id: "vh-1", province: "vinh-phuc", agency: "so-vhttdl", roles: ["agency_officer"] })}`
      const created = await app.inject({ method: "POST", url: "/v1/cases", headers: { authorization }, payload: { workflow: "plan", input: { title: "Kế hoạch TTĐN 2027", year: 2027 } } })
      expect(created.statusCode).toBe(201)
      expect(created.json().deadlines).toEqual([
        expect.objectContaining({ name: "submissionDeadline", dueAt: "2027-03-04T10:00:00.000Z", calendarGaps: [{ year: 2027, reason: "no-yearly-decision" }] }),
      ])
      const history = await app.inject({ method: "GET", url: `/v1/cases/${created.json().id}/history`, headers: { authorization } })
      expect(JSON.stringify(history.json())).toContain('"provisionalDeadlines"')
    } finally {
      await app.close()
    }
  })
})
