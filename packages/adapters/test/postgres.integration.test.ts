import { sql } from "kysely"
import { afterAll, describe, expect, it } from "vitest"
import { TRANSITIONS_CHANNEL, createEngine, silentLogger, testClock } from "@civicase/core"
import { demoActors as A, demoWorkflow, storageContractSuite } from "@civicase/core/testing"
import { postgresTarget } from "./stores.js"

const url = process.env.DATABASE_URL

// Runs whenever DATABASE_URL names a server; .ci/run always sets it.
describe.runIf(url)("PostgreSQL server", () => {
  storageContractSuite("postgres", postgresTarget(url!))

  describe("cross-process announcements", () => {
    const cleanup: Array<() => Promise<void>> = []
    afterAll(async () => {
      for (const c of cleanup.reverse()) await c()
    })

    it("announces every commit with NOTIFY so other processes can fan it out", async () => {
      const handle = await postgresTarget(url!).fresh()
      const engine = createEngine({ store: handle.driver, workflows: [demoWorkflow], clock: testClock(), scheduler: false, logger: silentLogger })
      cleanup.push(handle.dispose, () => engine.close())
      await engine.start()
      const all: Array<Record<string, unknown>> = []
      // Another driver instance stands for another process on the same database.
      // The channel is database-wide, so other test files' commits arrive too: keep this case's.
      const stop = await handle.reopen().listen!(TRANSITIONS_CHANNEL, (payload) => all.push(JSON.parse(payload)))
      cleanup.push(stop)
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      const received = () => all.filter((n) => n.caseId === c.id)
      await engine.send(c.id, { type: "SUBMIT" }, A.head)
      await expect.poll(() => received().length, { timeout: 5000 }).toBe(2)
      expect(received()).toEqual([
        { caseId: c.id, rev: 1, province: "demo", workflow: "demo", agencies: ["agency-a"], status: "active" },
        { caseId: c.id, rev: 2, province: "demo", workflow: "demo", agencies: ["agency-a"], status: "active" },
      ])
    })

    it("re-establishes LISTEN after the connection is killed, and says so", async () => {
      const handle = await postgresTarget(url!).fresh()
      const engine = createEngine({ store: handle.driver, workflows: [demoWorkflow], clock: testClock(), scheduler: false, logger: silentLogger })
      cleanup.push(handle.dispose, () => engine.close())
      await engine.start()
      const tag = `reconnect-${Math.random().toString(36).slice(2)}`
      const all: Array<Record<string, unknown>> = []
      let reconnects = 0
      const stop = await handle.reopen().listen!(TRANSITIONS_CHANNEL, (payload) => all.push(JSON.parse(payload)), {
        onReconnect: () => reconnects++,
      })
      cleanup.push(stop)
      // Kill every connection listening on the channel from this test's application name, as a server restart would.
      await sql`select pg_terminate_backend(pid) from pg_stat_activity
        where pid <> pg_backend_pid() and query ilike ${"listen " + TRANSITIONS_CHANNEL}`.execute(engine.db)
      await expect.poll(() => reconnects, { timeout: 10_000 }).toBeGreaterThanOrEqual(1)
      const c = await engine.createCase("demo", { title: tag }, A.officer)
      await expect.poll(() => all.filter((n) => n.caseId === c.id).length, { timeout: 5000 }).toBe(1)
    })
  })
})
