import { readFileSync } from "node:fs"
import { afterEach, describe, expect, it } from "vitest"
import { type Engine, chainHash, createEngine, silentLogger, testClock } from "@civicase/core"
import { demoActors as A, demoWorkflow } from "@civicase/core/testing"
import { pglite } from "@civicase/adapters"

// Rows written by an earlier release (cases, history and timers of one case in review).
// Today's code must read and continue them: a change that cannot breaks running cases.
const golden = JSON.parse(readFileSync(new URL("./fixtures/golden-case-v1.json", import.meta.url), "utf8"))

const json = (v: unknown) => JSON.stringify(v)

describe("golden case persisted by schema version 1", () => {
  let engine: Engine
  afterEach(() => engine?.close())

  it("is read, continued and its timers fire with today's engine", async () => {
    const clock = testClock(new Date("2025-03-03T02:30:00.000Z"))
    engine = createEngine({ store: pglite(), workflows: [demoWorkflow], clock, scheduler: false, logger: silentLogger })
    await engine.start()
    for (const row of golden.cases) {
      await engine.db
        .insertInto("civicase_cases")
        .values({ ...row, state_value: json(row.state_value), context: json(row.context), snapshot: json(row.snapshot), deadlines: json(row.deadlines) })
        .execute()
    }
    for (const row of golden.history) {
      await engine.db.insertInto("civicase_history").values({ ...row, payload: json(row.payload), actor: json(row.actor), meta: row.meta === null ? null : json(row.meta) }).execute()
    }
    for (const row of golden.timers) await engine.db.insertInto("civicase_timers").values({ ...row, event: json(row.event) }).execute()

    const id = golden.cases[0].id as string
    // Written before work lists: nothing on them until the backfill (or the case's next write) fills it in.
    expect((await engine.listCases({ actionable: true }, A.coordinator)).items).toEqual([])
    expect(await engine.worklist.backfill()).toEqual({ filled: 1, skipped: 0 })
    const c = await engine.getCase(id, A.coordinator)
    expect(c).toMatchObject({ state: "review", rev: 3, context: { notes: ["ghi chú"] }, waitingFor: ["coordinator@*"], assignee: null })
    expect((await engine.listCases({ actionable: true, q: "ghi chu" }, A.coordinator)).items.map((x) => x.id)).toEqual([id])
    expect(c.allowedEvents).toEqual(expect.arrayContaining(["APPROVE", "RETURN"]))

    // Each stored hash still matches the chain as today's code computes it: rows written before chain formats are format 1.
    const history = await engine.history(id, A.coordinator)
    expect(history.map((h) => h.chainFormat)).toEqual([1, 1, 1])
    let prev = history[0]!.prevHash
    for (const h of history) {
      expect(chainHash(prev, { caseId: id, rev: h.rev, type: h.type, payload: h.payload, actor: h.actor, at: new Date(h.at), from: h.from, to: h.to })).toBe(h.hash)
      prev = h.hash
    }
    expect(await engine.verify(id, A.coordinator)).toMatchObject({ ok: true, checked: 3 })

    clock.advance("PT1H")
    expect(await engine.runDueTimers()).toBe(1)
    const approved = await engine.send(id, { type: "APPROVE", payload: { comment: "đạt" } }, A.coordinator)
    expect(approved).toMatchObject({ state: "approved", rev: 5, deadlines: [] })
    const after = await engine.history(id, A.coordinator)
    expect(after.map((h) => h.type)).toEqual(["case.created", "NOTE", "SUBMIT", "xstate.after.reminder.demo.review", "APPROVE"])
    expect(after[3]!.prevHash).toBe(history[2]!.hash)
    // New rows are format 2 (RFC 8785, meta covered), chained onto the old ones; the whole chain verifies.
    expect(after.map((h) => h.chainFormat)).toEqual([1, 1, 1, 2, 2])
    for (const h of after.slice(3)) {
      const fields = { caseId: id, rev: h.rev, type: h.type, payload: h.payload, actor: h.actor, at: new Date(h.at), from: h.from, to: h.to, meta: h.meta }
      expect(chainHash(h.prevHash, { ...fields, chainFormat: 2 })).toBe(h.hash)
      expect(chainHash(h.prevHash, fields)).not.toBe(h.hash)
    }
    expect(after[3]!.meta).toEqual({ deadline: "reminder" })
    expect(await engine.verify(id, A.coordinator)).toMatchObject({ ok: true, checked: 5 })
  })
})
