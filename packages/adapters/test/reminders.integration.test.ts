import { afterAll, describe, expect, it } from "vitest"
import { type Engine, createEngine, silentLogger, testClock } from "@civicase/core"
import { type PeopleNotificationsPlugin, notificationRules, peopleNotifications } from "@civicase/core/notifications"
import { type StoreHandle, demoActors as A, demoWorkflow } from "@civicase/core/testing"
import { postgresTarget } from "./stores.js"

const url = process.env.DATABASE_URL

describe.runIf(url)("reminders on a PostgreSQL server", () => {
  let handle: StoreHandle
  const engines: Engine[] = []
  afterAll(async () => {
    for (const e of engines) await e.close()
    await handle?.dispose()
  })

  it("two engines writing due reminders at once write each reminder once, and none for a deadline left behind", async () => {
    handle = await postgresTarget(url!).fresh({ durable: true })
    // Monday 3 March 2025, 09:00 in Hà Nội.
    const clock = testClock(new Date("2025-03-03T02:00:00.000Z"))
    const rules = notificationRules({ rules: [{ id: "eve", on: "reminder", before: { workingDays: 1 }, deadlines: ["reviewDeadline"], to: ["assignee"] }] })
    const make = (driver = handle.reopen()): [Engine, PeopleNotificationsPlugin] => {
      const plugin = peopleNotifications({ rules, channels: [] })
      const engine = createEngine({ store: driver, workflows: [demoWorkflow], plugins: [plugin], clock, scheduler: false, logger: silentLogger, outbox: { enabled: false } })
      engines.push(engine)
      return [engine, plugin]
    }
    const [one, first] = make(handle.driver)
    const [, second] = make()
    for (const e of engines) await e.start()
    const cases = []
    for (let i = 0; i < 6; i++) {
      const c = await one.createCase("demo", { title: `Kế hoạch ${i}` }, A.officer)
      await one.send(c.id, { type: "SUBMIT" }, A.head)
      cases.push(c.id)
    }
    // One case leaves review before its reminder: its deadline no longer applies.
    await one.send(cases[0]!, { type: "APPROVE" }, A.coordinator)
    // reviewDeadline: 3 working days from Monday → Thursday 17:00; reminded Wednesday 17:00.
    clock.set(new Date("2025-03-05T09:59:00.000Z"))
    expect(await first.runDueReminders()).toBe(0)
    clock.set(new Date("2025-03-05T10:00:00.000Z"))
    const written = await Promise.all([first.runDueReminders(), second.runDueReminders(), first.runDueReminders(), second.runDueReminders()])
    // The engines' own reminder loops wake on the clock jump too: together, every writer wrote at most the 5 rows there are.
    expect(written.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(5)
    const rows = (await one.outbox.list({ topic: "notify.reminder", limit: 100 })).items
    expect(rows.map((r) => r.caseId).sort()).toEqual(cases.slice(1).sort())
    expect(rows.every((r) => (r.payload as { dueAt: string }).dueAt === "2025-03-06T10:00:00.000Z")).toBe(true)
    // No channel: the reminders are unrouted, not delivered.
    expect((await one.outbox.dispatch()).unrouted).toBeGreaterThanOrEqual(5)
    expect((await one.outbox.list({ topic: "notify.reminder", status: "unrouted", limit: 100 })).items).toHaveLength(5)
  })
})
