import { sql } from "kysely"
import { afterEach, describe, expect, it } from "vitest"
import { type Engine, createEngine, silentLogger, testClock } from "@civicase/core"
import { type ContractTarget, type StoreHandle, demoActors as A, demoWorkflow, expectCode } from "@civicase/core/testing"

/**
 * Tampering with civicase_history directly (UPDATE, DELETE, INSERT, reorder)
 * must be caught by engine.verify / verifyAll / verifyCheckpoint. Run once per
 * driver.
 */
export function tamperSuite(name: string, target: ContractTarget): void {
  describe(`tamper detection: ${name}`, () => {
    const open: Array<{ engine: Engine; handle: StoreHandle }> = []

    afterEach(async () => {
      for (const { engine, handle } of open.splice(0)) {
        await engine.close()
        await handle.dispose()
      }
    })

    /** An engine with two cases: `a` at rev 5 (created, SUBMIT, NOTE x3) and `b` at rev 2. */
    async function setup() {
      const handle = await target.fresh()
      const engine = createEngine({ store: handle.driver, workflows: [demoWorkflow], clock: testClock(), scheduler: false, logger: silentLogger })
      open.push({ engine, handle })
      const a = await engine.createCase("demo", { title: "Kế hoạch TTĐN" }, A.officer)
      await engine.send(a.id, { type: "SUBMIT" }, A.head)
      for (const text of ["một", "hai", "ba"]) await engine.send(a.id, { type: "NOTE", payload: { text } }, A.coordinator)
      const b = await engine.createCase("demo", { title: "Đề án" }, A.otherOfficer)
      await engine.send(b.id, { type: "SUBMIT" }, A.otherHead)
      return { engine, a: a.id, b: b.id }
    }

    const run = (engine: Engine, q: ReturnType<typeof sql>) => q.execute(engine.db)

    it("passes an untouched database, in batches smaller than a case's chain", async () => {
      const { engine, a, b } = await setup()
      expect(await engine.verify(a, A.coordinator)).toEqual({ ok: true, checked: 5 })
      const progress: number[] = []
      const all = await engine.verifyAll({ batchSize: 1, onProgress: (p) => progress.push(p.checked) })
      expect(all).toMatchObject({ ok: true, cases: 2, checked: 7, broken: [], brokenCount: 0 })
      expect(progress.at(-1)).toBe(7)
      expect(progress.length).toBeGreaterThanOrEqual(2)
      expect(await engine.verify(b, A.otherHead)).toMatchObject({ ok: true, checked: 2 })
    })

    it("names the first modified row", async () => {
      const { engine, a, b } = await setup()
      await run(engine, sql`update civicase_history set payload = '{"text":"bốn"}'::jsonb where case_id = ${a} and rev = 4`)
      expect(await engine.verify(a, A.coordinator)).toEqual({ ok: false, checked: 5, firstBadRev: 4 })
      const all = await engine.verifyAll({ batchSize: 2 })
      expect(all).toMatchObject({ ok: false, cases: 2, checked: 7, brokenCount: 1, broken: [{ caseId: a, firstBadRev: 4 }] })
      expect(await engine.verify(b, A.otherHead)).toMatchObject({ ok: true })
    })

    it("catches a modified time or actor even when the stored hash is left alone", async () => {
      const { engine, a } = await setup()
      await run(engine, sql`update civicase_history set at = at - interval '1 day' where case_id = ${a} and rev = 2`)
      expect(await engine.verify(a, A.coordinator)).toMatchObject({ ok: false, firstBadRev: 2 })
    })

    it("catches a modified meta (chain format 2 covers it), and a row moved to format 1 to escape that", async () => {
      const { engine, a } = await setup()
      const formats = await run(engine, sql`select distinct chain_format from civicase_history`)
      expect(formats.rows).toEqual([{ chain_format: 2 }])
      await run(engine, sql`update civicase_history set meta = '{"deadlinesMet":["review"]}'::jsonb where case_id = ${a} and rev = 3`)
      expect(await engine.verify(a, A.coordinator)).toEqual({ ok: false, checked: 5, firstBadRev: 3 })
      await run(engine, sql`update civicase_history set chain_format = 1 where case_id = ${a} and rev = 3`)
      expect(await engine.verify(a, A.coordinator)).toEqual({ ok: false, checked: 5, firstBadRev: 3 })
    })

    it("refuses to vouch for a row of a chain format it does not know", async () => {
      const { engine, a } = await setup()
      await run(engine, sql`update civicase_history set chain_format = 3 where case_id = ${a} and rev = 2`)
      expect(await engine.verify(a, A.coordinator)).toEqual({ ok: false, checked: 5, firstBadRev: 2 })
      expect((await engine.verifyAll()).broken).toEqual([{ caseId: a, firstBadRev: 2 }])
    })

    it("names the gap left by a deleted row", async () => {
      const { engine, a } = await setup()
      await run(engine, sql`delete from civicase_history where case_id = ${a} and rev = 3`)
      expect(await engine.verify(a, A.coordinator)).toEqual({ ok: false, checked: 4, firstBadRev: 3 })
      expect((await engine.verifyAll()).broken).toEqual([{ caseId: a, firstBadRev: 3 }])
    })

    it("catches reordered rows (two revs swapped)", async () => {
      const { engine, a } = await setup()
      await run(engine, sql`update civicase_history set rev = -rev where case_id = ${a} and rev in (3, 4)`)
      await run(engine, sql`update civicase_history set rev = case rev when -3 then 4 else 3 end where case_id = ${a} and rev in (-3, -4)`)
      expect(await engine.verify(a, A.coordinator)).toMatchObject({ ok: false, firstBadRev: 3 })
      expect((await engine.verifyAll()).broken).toEqual([{ caseId: a, firstBadRev: 3 }])
    })

    it("catches an inserted row, in the middle or after the head, even with a well-formed hash", async () => {
      const { engine, a, b } = await setup()
      // Shift revs 4..5 up and slip a forged NOTE in at rev 4 that chains correctly from rev 3.
      await run(engine, sql`update civicase_history set rev = rev + 100 where case_id = ${a} and rev >= 4`)
      await run(engine, sql`update civicase_history set rev = rev - 99 where case_id = ${a} and rev >= 100`)
      const [row3] = (await engine.history(a, A.coordinator)).filter((h) => h.rev === 3)
      const { chainHash } = await import("@civicase/core")
      const at = new Date(new Date(row3!.at).getTime() + 1000)
      const forged = { type: "NOTE", payload: { text: "giả mạo" }, actor: A.coordinator, at, from: "review", to: "review" }
      const hash = chainHash(row3!.hash, { caseId: a, rev: 4, ...forged })
      await run(
        engine,
        sql`insert into civicase_history (case_id, rev, type, payload, actor, at, from_state, to_state, prev_hash, hash)
          values (${a}, 4, 'NOTE', ${JSON.stringify(forged.payload)}::jsonb, ${JSON.stringify(forged.actor)}::jsonb, ${at.toISOString()}::timestamptz, 'review', 'review', ${row3!.hash}, ${hash})`,
      )
      // The forged row verifies; the next one (the real rev 4, now at 5) no longer chains.
      expect(await engine.verify(a, A.coordinator)).toMatchObject({ ok: false, checked: 6, firstBadRev: 5 })

      // A row appended after b's head, hashed correctly, but head_hash not updated.
      const [last] = (await engine.history(b, A.coordinator)).slice(-1)
      const extra = { type: "APPROVE", payload: {}, actor: A.coordinator, at, from: "review", to: "approved" }
      const extraHash = chainHash(last!.hash, { caseId: b, rev: 3, ...extra })
      await run(
        engine,
        sql`insert into civicase_history (case_id, rev, type, payload, actor, at, from_state, to_state, prev_hash, hash)
          values (${b}, 3, 'APPROVE', '{}'::jsonb, ${JSON.stringify(extra.actor)}::jsonb, ${at.toISOString()}::timestamptz, 'review', 'approved', ${last!.hash}, ${extraHash})`,
      )
      expect(await engine.verify(b, A.coordinator)).toEqual({ ok: false, checked: 3, firstBadRev: 3 })
      const all = await engine.verifyAll({ batchSize: 3 })
      expect(all.brokenCount).toBe(2)
      expect([...all.broken].sort((x, y) => x.caseId.localeCompare(y.caseId))).toEqual(
        [
          { caseId: a, firstBadRev: 5 },
          { caseId: b, firstBadRev: 3 },
        ].sort((x, y) => x.caseId.localeCompare(y.caseId)),
      )
    })

    it("compares the last row with head_hash: a cut tail is caught", async () => {
      const { engine, a } = await setup()
      await run(engine, sql`delete from civicase_history where case_id = ${a} and rev >= 4`)
      expect(await engine.verify(a, A.coordinator)).toEqual({ ok: false, checked: 3, firstBadRev: 4 })
    })

    it("checkpoints catch a tail cut together with the case row, and a removed case", async () => {
      const { engine, a, b } = await setup()
      const cp = JSON.parse(JSON.stringify(await engine.checkpoint()))
      expect(cp).toMatchObject({ format: "civicase.checkpoint.v1", cases: 2, events: 7 })
      expect(await engine.verifyCheckpoint(cp)).toMatchObject({ ok: true, checked: 2, digestOk: true })
      // Life goes on: later transitions keep a checkpoint valid.
      await engine.send(b, { type: "NOTE", payload: { text: "sau" } }, A.coordinator)
      expect((await engine.verifyCheckpoint(cp)).ok).toBe(true)

      // A careful forger cuts a's tail and resets the case row, so the chain alone looks fine.
      const h = await engine.history(a, A.coordinator)
      await run(engine, sql`delete from civicase_history where case_id = ${a} and rev >= 4`)
      await run(engine, sql`update civicase_cases set rev = 3, head_hash = ${h[2]!.hash} where id = ${a}`)
      expect(await engine.verify(a, A.coordinator)).toMatchObject({ ok: true })
      expect(await engine.verifyCheckpoint(cp)).toMatchObject({ ok: false, digestOk: true, missingCases: [], changedCases: [{ caseId: a, rev: 5 }] })

      // And removes case b entirely.
      for (const table of ["civicase_outbox", "civicase_timers", "civicase_history"]) {
        await run(engine, sql`delete from ${sql.table(table)} where case_id = ${b}`)
      }
      await run(engine, sql`delete from civicase_cases where id = ${b}`)
      const r = await engine.verifyCheckpoint(cp)
      expect(r.missingCases).toEqual([b])

      // An edited checkpoint file does not match its own digest.
      const edited = { ...cp, heads: cp.heads.filter((x: [string]) => x[0] !== b) }
      expect((await engine.verifyCheckpoint(edited)).digestOk).toBe(false)
      await expectCode(engine.verifyCheckpoint({ ...cp, heads: [["x", 1, "y"]] }), "CIVICASE_E_VALIDATION")
    })

    it("verify requires that the actor can see the case", async () => {
      const { engine, a } = await setup()
      await expectCode(engine.verify(a, A.otherOfficer), "CIVICASE_E_CASE_NOT_FOUND")
      await expectCode(engine.verify(a, A.foreignCoordinator), "CIVICASE_E_CASE_NOT_FOUND")
      expect((await engine.verify(a, A.head)).ok).toBe(true)
    })
  })
}
