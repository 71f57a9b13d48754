import { describe, expect, it } from "vitest"
import { sql } from "kysely"
import { pglite, postgres } from "@civicase/adapters"
import { type StorageDriver, createEngine, silentLogger, testClock } from "@civicase/core"
import { planWorkflow } from "@civicase/workflows"
import { people, vinhPhuc } from "./support.js"

const url = process.env.DATABASE_URL
const stores: Array<[string, () => { driver: StorageDriver; schema?: string }]> = [
  ["PGlite", () => ({ driver: pglite() })],
  ...(url
    ? [
        [
          "PostgreSQL",
          () => {
            const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
            return { driver: postgres({ connectionString: url, schema }), schema }
          },
        ] as [string, () => { driver: StorageDriver; schema?: string }],
      ]
    : []),
]

describe.each(stores)("a provisional deadline as the database keeps it (%s)", (_name, open) => {
  it("stores the calendar gaps with the case's deadline and in the history row, and lists the case among the provisional ones", async () => {
    const { driver, schema } = open()
    const clock = testClock(new Date("2027-02-08T02:00:00.000Z"))
    const engine = createEngine({ store: driver, workflows: [planWorkflow(vinhPhuc)], clock, scheduler: false, logger: silentLogger })
    try {
      const c = await engine.createCase("plan", { title: "Kế hoạch TTĐN 2027", year: 2027 }, people.vhOfficer)
      const gaps = [{ year: 2027, reason: "no-yearly-decision" }]
      const row = await engine.db.selectFrom("civicase_cases").select(["deadlines", "next_due_at"]).where("id", "=", c.id).executeTakeFirstOrThrow()
      expect(row.deadlines).toEqual([expect.objectContaining({ name: "submissionDeadline", dueAt: "2027-03-04T10:00:00.000Z", calendarGaps: gaps })])
      const history = await engine.db.selectFrom("civicase_history").select("meta").where("case_id", "=", c.id).execute()
      expect(history.map((h) => h.meta)).toEqual([{ provisionalDeadlines: [{ name: "submissionDeadline", dueAt: "2027-03-04T10:00:00.000Z", gaps }] }])
      // An operator finds them with one query on the history (docs/operations.md).
      const found = await sql<{ case_id: string }>`select distinct case_id from civicase_history where meta ? 'provisionalDeadlines'`.execute(engine.db)
      expect(found.rows.map((r) => r.case_id)).toEqual([c.id])
      // The view a reader gets after a reload says so too.
      expect((await engine.getCase(c.id, people.coordinator)).deadlines[0]!.calendarGaps).toEqual(gaps)
      // Submitting settles the deadline; the next one (the head's approval) is provisional as well.
      const next = await engine.send(c.id, { type: "SUBMIT" }, people.vhOfficer)
      expect(next.deadlines.map((d) => [d.name, d.calendarGaps])).toEqual([["approvalStepDeadline", gaps]])
    } finally {
      if (schema) await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(engine.db)
      await engine.close()
    }
  })
})
