import { CompiledQuery, type RawBuilder, sql } from "kysely"
import { describe, expect, it } from "vitest"
import type { Engine } from "../engine/engine.js"
import { stintsQuery } from "../reports/sla-stints.js"
import type { ContractSetup } from "./contract-suite.js"
import { demoActors as A } from "./demo-workflow.js"

/** The plan PostgreSQL chooses for a query (EXPLAIN, with its parameters bound). */
async function planOf(engine: Engine, query: RawBuilder<unknown>): Promise<string> {
  const compiled = query.compile(engine.db)
  const r = await engine.db.executeQuery<Record<string, string>>(CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]))
  return r.rows.map((row) => Object.values(row)[0]).join("\n")
}

/** Reports whose cost must follow their window, not the history before it (issue 15). */
export function reportPlansContract(setup: ContractSetup): void {
  describe("report plans", () => {
    it("reads only the SLA window's history for time in state (EXPLAIN on two years of history)", async () => {
      const { engine } = await setup()
      const c = await engine.createCase("demo", { title: "Kế hoạch" }, A.officer)
      // 1,000 cases copied from this one, each with 40 history rows a week apart, each a change of state (draft and review in turn): two years of history, 40,000 rows.
      await sql`insert into civicase_cases (id, province, workflow, version, state, state_value, status, context, snapshot, rev, owner_agency,
          cooperating_agencies, agencies, deadlines, next_due_at, head_hash, created_by, created_at, updated_at, waiting, title)
        select ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, province, workflow, version, state, state_value, status, context, snapshot, 40,
          owner_agency, cooperating_agencies, agencies, deadlines, next_due_at, head_hash, created_by, created_at, updated_at, waiting, title
        from civicase_cases, generate_series(1, 1000) as g where id = ${c.id}`.execute(engine.db)
      await sql`insert into civicase_history (case_id, rev, type, payload, actor, at, from_state, to_state, prev_hash, hash)
        select ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, r, 'SUBMIT', '{}', '{}',
          timestamptz '2023-01-02' + make_interval(days => 7 * r, mins => g), case when r = 1 then null when r % 2 = 0 then 'draft' else 'review' end, case when r % 2 = 0 then 'review' else 'draft' end, '', ''
        from generate_series(1, 1000) as g, generate_series(1, 40) as r`.execute(engine.db)
      await sql`vacuum analyze civicase_cases`.execute(engine.db)
      await sql`vacuum analyze civicase_history`.execute(engine.db)

      const window = { from: new Date("2023-09-01T00:00:00.000Z"), to: new Date("2023-10-01T00:00:00.000Z") }
      const plan = await planOf(engine, stintsQuery(sql`c.province = ${A.officer.province}`, window))
      expect(plan).toMatch(/civicase_history_at/)
      expect(plan).toMatch(/Index Cond: .*at >= /)
      // The stint each change closes is found by its key, not by reading the case's history.
      expect(plan).toMatch(/Index Cond: .*case_id = .*rev < /)
      expect(plan).not.toMatch(/Seq Scan on civicase_history/)

      // And the figures are those of the window: each case changes state four times in it (weekly), each stint a week long.
      const rows = (await stintsQuery(sql`c.province = ${A.officer.province}`, window).execute(engine.db)).rows
      const week = 7 * 86_400_000
      const total = rows.reduce((n, r) => n + Number(r.stints), 0)
      expect(total).toBeGreaterThanOrEqual(4000)
      expect(total).toBeLessThanOrEqual(5000)
      for (const r of rows) expect(Number(r.median)).toBe(week)
    })
  })
}
