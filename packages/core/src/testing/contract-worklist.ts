import { CompiledQuery, type RawBuilder, sql } from "kysely"
import { describe, expect, it } from "vitest"
import type { Engine } from "../engine/engine.js"
import { type CheckedCaseFilter, checkCaseFilter } from "../search/case-filter.js"
import { caseListQuery } from "../search/case-query.js"
import type { CaseFilter } from "../engine/types.js"
import type { Actor } from "../actor.js"
import { seedPeople } from "./contract-fixtures.js"
import type { ContractSetup } from "./contract-suite.js"
import { demoActors as A } from "./demo-workflow.js"
import { expectCode } from "./expect-code.js"

/** The plan PostgreSQL chooses for a case-list query (EXPLAIN, with its parameters bound). */
async function planOf(engine: Engine, query: RawBuilder<unknown>): Promise<string> {
  const compiled = query.compile(engine.db)
  const r = await engine.db.executeQuery<Record<string, string>>(CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]))
  return r.rows.map((row) => Object.values(row)[0]).join("\n")
}

/** The SQL `listCases` runs for `filter`, as `actor` (not a province-wide one). */
function listQuery(filter: CaseFilter, actor: Actor, ownAgency: string | null): RawBuilder<unknown> {
  const f: CheckedCaseFilter = checkCaseFilter(filter, "Asia/Ho_Chi_Minh")
  return caseListQuery(f, { actor, ownAgency }, new Date("2025-03-03T02:00:00.000Z"))
}

/** Work lists (danh sách việc): what waits on whom, assignee lists, badge counts, and that indexes answer them. */
export function worklistContract(setup: ContractSetup): void {
  describe("work lists", () => {
    it("lists what each actor can act on now, by role, agency and assignment, with badge counts", async () => {
      const { engine, clock } = await setup()
      await seedPeople(engine)
      // One second apart, so that creation order is list order.
      const make = async (title: string, by: Actor = A.officer) => {
        clock.advance(1000)
        return (await engine.createCase("demo", { title }, by)).id
      }
      const d1 = await make("d1")
      const d2 = await make("d2")
      const d3 = await make("d3")
      const r1 = await make("r1")
      const a1 = await make("a1")
      await make("b1", A.otherOfficer)
      const closed = await make("closed")
      await engine.assign(d2, { assignee: "officer-1" }, A.head)
      await engine.assign(d3, { assignee: "head-1" }, A.head)
      await engine.send(r1, { type: "SUBMIT" }, A.head)
      for (const id of [a1, closed]) {
        await engine.send(id, { type: "SUBMIT" }, A.head)
        await engine.send(id, { type: "APPROVE" }, A.coordinator)
      }
      await engine.send(closed, { type: "CLOSE", payload: { result: "r", reason: "x" } }, A.head)
      expect((await engine.getCase(a1, A.head)).waitingFor).toEqual(["agency_head@agency-a", "coordinator@*"])

      const ids = async (filter: CaseFilter, actor: Actor) => (await engine.listCases(filter, actor)).items.map((c) => c.context.title)
      expect(await ids({ actionable: true }, A.head)).toEqual(["d1", "d3", "a1"])
      expect(await ids({ actionable: true }, A.coordinator)).toEqual(["r1", "a1"])
      expect(await ids({ actionable: true }, A.otherHead)).toEqual(["b1"])
      expect(await ids({ actionable: true }, A.officer)).toEqual([])
      expect(await ids({ assignee: "officer-1" }, A.officer)).toEqual(["d2"])
      expect(await ids({ assignee: null, status: "active", agency: "agency-a" }, A.coordinator)).toEqual(["d1", "r1", "a1"])
      expect(await ids({ actionable: true, orderBy: "created", direction: "desc" }, A.head)).toEqual(["a1", "d3", "d1"])
      const first = await engine.listCases({ actionable: true, limit: 2 }, A.head)
      const rest = await engine.listCases({ actionable: true, limit: 2, cursor: first.nextCursor }, A.head)
      expect([...first.items, ...rest.items].map((c) => c.id)).toEqual([d1, d3, a1])
      expect(rest.nextCursor).toBeUndefined()

      clock.advance("PT2H") // r1's one-hour reminder is past due
      expect(await engine.worklist.summary(A.head)).toEqual({ actionable: 3, assigned: 1, agency: 5, overdue: 1 })
      expect(await engine.worklist.summary(A.coordinator)).toEqual({ actionable: 2, assigned: 0, agency: 0, overdue: 1 })
      expect(await engine.worklist.summary(A.otherHead)).toEqual({ actionable: 1, assigned: 0, agency: 1, overdue: 0 })
      expect(await engine.worklist.summary(A.foreignCoordinator)).toEqual({ actionable: 0, assigned: 0, agency: 0, overdue: 0 })

      const bad = await expectCode(engine.listCases({ actionable: "yes", orderBy: "title", direction: "up" } as never, A.head), "CIVICASE_E_VALIDATION")
      expect(bad.issues.map((i: { path: string }) => i.path).sort()).toEqual(["/actionable", "/direction", "/orderBy"])
    })

    it("answers work lists, search and every keyset page with index conditions (EXPLAIN on a filled table)", async () => {
      const { engine } = await setup()
      await seedPeople(engine)
      const c = await engine.createCase("demo", { title: "Sạt lở đất ở Tam Đảo" }, A.officer)
      // 4000 more cases of other agencies, copied from this one, so the planner weighs indexes as it would in production.
      await sql`insert into civicase_cases (id, province, workflow, version, state, state_value, status, context, snapshot, rev, owner_agency,
          cooperating_agencies, agencies, deadlines, next_due_at, head_hash, created_by, created_at, updated_at, waiting, title, assignee, assignee_scope)
        select gen_random_uuid(), province, workflow, version, state, state_value, case when g % 4 = 0 then 'done' else 'active' end, context, snapshot, rev,
          'agency-' || (g % 200), cooperating_agencies, array['agency-' || (g % 200)], deadlines,
          case when g % 3 = 0 then null else created_at + make_interval(mins => g) end, head_hash, created_by,
          created_at + make_interval(secs => g), created_at + make_interval(secs => g), array['agency_head@agency-' || (g % 200)], title,
          case when g % 10 = 0 then 'officer-' || (g % 50) end, case when g % 10 = 0 then 'step' end
        from civicase_cases, generate_series(1, 4000) as g where id = ${c.id}`.execute(engine.db)
      // Texts of a realistic length: a title and a few fields, some forty words each.
      await sql`insert into civicase_case_text (case_id, province, doc)
        select id, province, to_tsvector('simple', 'ke hoach thong tin doi ngoai ' || (select string_agg(left(md5(id::text || i), 8), ' ') from generate_series(1, 40) as i))
        from civicase_cases where id <> ${c.id}`.execute(engine.db)
      // As autovacuum would: statistics, and GIN entries moved out of the pending list.
      await sql`vacuum analyze civicase_cases`.execute(engine.db)
      await sql`vacuum analyze civicase_case_text`.execute(engine.db)
      const later = { k: "2025-03-03T02:30:00.000Z", id: "80000000-0000-4000-8000-000000000000" }
      const cursor = Buffer.from(JSON.stringify(later)).toString("base64url")

      const work = await planOf(engine, listQuery({ actionable: true }, A.coordinator, null))
      expect(work).toMatch(/civicase_cases_waiting/)
      expect(work).toMatch(/Index Cond: .*waiting &&/)
      // An agency's own list may start from the agencies index instead: either way, no scan of the table.
      expect(await planOf(engine, listQuery({ actionable: true }, A.head, "agency-a"))).not.toMatch(/Seq Scan/)
      const mine = await planOf(engine, listQuery({ assignee: "officer-7" }, A.coordinator, null))
      expect(mine).toMatch(/civicase_cases_assignee/)
      const search = await planOf(engine, listQuery({ q: "sat lo" }, A.coordinator, null))
      expect(search).toMatch(/civicase_case_text_doc/)
      expect(search).toMatch(/Index Cond: .*doc @@/)
      const created = await planOf(engine, listQuery({ cursor }, A.coordinator, null))
      expect(created).toMatch(/civicase_cases_list/)
      expect(created).toMatch(/Index Cond: .*ROW\(.*created_at, .*id\) > ROW\(/)
      const updated = await planOf(engine, listQuery({ orderBy: "updated", direction: "desc", cursor }, A.coordinator, null))
      expect(updated).toMatch(/Index Scan Backward using civicase_cases_updated/)
      expect(updated).toMatch(/Index Cond: .*ROW\(.*updated_at, .*id\) < ROW\(/)
      const deadline = await planOf(engine, listQuery({ orderBy: "deadline", cursor }, A.coordinator, null))
      expect(deadline).toMatch(/civicase_cases_deadline/)
      expect(deadline).toMatch(/Index Cond: .*ROW\(COALESCE\(.*next_due_at/)
      const overdue = await planOf(engine, listQuery({ overdue: true, orderBy: "deadline" }, A.coordinator, null))
      expect(overdue).toMatch(/Index Cond: .*COALESCE\(.*next_due_at.* < /)
    })
  })
}
