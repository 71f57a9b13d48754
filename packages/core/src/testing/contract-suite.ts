import { sql } from "kysely"
import { afterEach, describe, expect, it } from "vitest"
import type { Actor } from "../actor.js"
import { type TestClock, testClock } from "../clock/clock.js"
import { createEngine } from "../engine/create-engine.js"
import type { Engine, EngineOptions } from "../engine/engine.js"
import { silentLogger } from "../engine/logger.js"
import { definePlugin, refuse } from "../plugins/plugin.js"
import type { StorageDriver } from "../storage/driver.js"
import { migrations } from "../storage/migrations.js"
import { assignmentContract } from "./contract-assignment.js"
import { commentsContract } from "./contract-comments.js"
import { documentsContract } from "./contract-documents.js"
import { peopleContract } from "./contract-people.js"
import { searchContract } from "./contract-search.js"
import { worklistContract } from "./contract-worklist.js"
import { reportPlansContract } from "./contract-report-plans.js"
import { demoActors as A, demoWorkflow, memoWorkflow } from "./demo-workflow.js"
import { expectCode } from "./expect-code.js"

export { expectCode }

/** A store handed to one test: the driver, a way to open the same data again, and clean-up. */
export interface StoreHandle {
  readonly driver: StorageDriver
  /** A new driver on the same data (the same PGlite folder, a new pool on the same schema). */
  reopen(): StorageDriver
  dispose(): Promise<void>
}

/** How the suite gets stores from a driver package. */
export interface ContractTarget {
  /** A fresh, empty store; `durable` asks for one that `reopen()` can open again. */
  fresh(options?: { durable?: boolean }): Promise<StoreHandle>
}

/** What the suite's parts receive: a fresh engine on a fresh store for each call, closed after the test. */
export type ContractSetup = (options?: Partial<EngineOptions> & { durable?: boolean }) => Promise<{ engine: Engine; clock: TestClock; handle: StoreHandle }>

/**
 * The storage contract: every driver runs this same suite against a real
 * database (PGlite always, a PostgreSQL server when one is configured).
 *
 * @example
 * import { storageContractSuite } from "@civicase/core/testing"
 * storageContractSuite("pglite", { fresh: async () => { const d = pglite(); return { driver: d, reopen: () => d, dispose: async () => {} } } })
 */
export function storageContractSuite(name: string, target: ContractTarget): void {
  describe(`storage contract: ${name}`, () => {
    const open: Array<{ engine: Engine; handle?: StoreHandle }> = []
    const start = new Date("2025-03-03T02:00:00.000Z") // Monday 09:00 in Hà Nội

    async function setup(options: Partial<EngineOptions> & { durable?: boolean } = {}) {
      const handle = await target.fresh({ durable: options.durable ?? false })
      const clock = options.clock ?? testClock(start)
      const engine = createEngine({ store: handle.driver, workflows: [demoWorkflow], clock, scheduler: false, logger: silentLogger, ...options })
      open.push({ engine, handle })
      await engine.start()
      return { engine, clock: clock as TestClock, handle }
    }

    afterEach(async () => {
      for (const { engine, handle } of open.splice(0)) {
        await engine.close()
        await handle?.dispose()
      }
    })

    async function historyRows(engine: Engine, caseId: string) {
      return engine.history(caseId, A.coordinator)
    }

    it("creates a case and reads it back with its first history row", async () => {
      const { engine } = await setup()
      const c = await engine.createCase("demo", { title: "Kế hoạch TTĐN 2025" }, A.officer)
      expect(c).toMatchObject({ workflow: "demo", version: 1, state: "draft", status: "active", rev: 1, province: "demo" })
      expect(c.parties.owner).toBe("agency-a")
      expect(c.context.title).toBe("Kế hoạch TTĐN 2025")
      expect(c.allowedEvents).toEqual(["NOTE"])
      const again = await engine.getCase(c.id, A.head)
      expect([...again.allowedEvents].sort()).toEqual(["NOTE", "SUBMIT"])
      expect(again.createdAt).toBe(start.toISOString())
      const h = await historyRows(engine, c.id)
      expect(h).toHaveLength(1)
      expect(h[0]).toMatchObject({ rev: 1, type: "case.created", from: null, to: "draft", payload: { title: "Kế hoạch TTĐN 2025" } })
    })

    it("applies events in order, chaining history hashes", async () => {
      const { engine } = await setup()
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      const s = await engine.send(c.id, { type: "SUBMIT" }, A.head)
      expect(s).toMatchObject({ state: "review", rev: 2 })
      const a = await engine.send(c.id, { type: "APPROVE", payload: { comment: "ok" } }, A.coordinator, { expectedRev: 2 })
      expect(a).toMatchObject({ state: "approved", rev: 3 })
      expect(a.context.reviewer).toBe("coord-1")
      const done = await engine.send(c.id, { type: "CLOSE", payload: { result: "all indicators met", reason: "year ended" } }, A.head)
      expect(done).toMatchObject({ state: "closed", status: "done", rev: 4, allowedEvents: [], deadlines: [] })
      const h = await historyRows(engine, c.id)
      expect(h.map((r) => [r.rev, r.type, r.from, r.to])).toEqual([
        [1, "case.created", null, "draft"],
        [2, "SUBMIT", "draft", "review"],
        [3, "APPROVE", "review", "approved"],
        [4, "CLOSE", "approved", "closed"],
      ])
      for (let i = 1; i < h.length; i++) expect(h[i]!.prevHash).toBe(h[i - 1]!.hash)
      expect(h[3]!.actor.id).toBe("head-1")
    })

    it("refuses bad events with typed errors and leaves no trace", async () => {
      const { engine } = await setup()
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      await engine.send(c.id, { type: "SUBMIT" }, A.head)
      const before = await engine.getCase(c.id, A.coordinator)
      const beforeHistory = await historyRows(engine, c.id)

      const v = await expectCode(engine.send(c.id, { type: "RETURN", payload: { comment: 5, extra: true } }, A.coordinator), "CIVICASE_E_VALIDATION")
      expect(v.issues.map((i: { path: string }) => i.path).sort()).toEqual(["/comment", "/extra"])
      const missing = await expectCode(engine.send(c.id, { type: "RETURN", payload: {} }, A.coordinator), "CIVICASE_E_VALIDATION")
      expect(missing.issues[0].path).toBe("/comment")
      await expectCode(engine.send(c.id, { type: "APPROVE" }, A.officer), "CIVICASE_E_FORBIDDEN")
      await expectCode(engine.send(c.id, { type: "NOTE", payload: { text: "x" } }, A.otherOfficer), "CIVICASE_E_CASE_NOT_FOUND")
      const wrongState = await expectCode(engine.send(c.id, { type: "SUBMIT" }, A.head), "CIVICASE_E_EVENT_NOT_ACCEPTED")
      expect(wrongState.state).toBe("review")
      expect(wrongState.accepted).toEqual(expect.arrayContaining(["APPROVE", "RETURN", "NOTE"]))
      expect(wrongState.message).toContain('"review"')
      const guard = await expectCode(engine.send(c.id, { type: "RETURN", payload: { comment: "" } }, A.coordinator), "CIVICASE_E_EVENT_NOT_ACCEPTED")
      expect(guard.eventType).toBe("RETURN")
      expect(guard.reason).toBe("condition")
      expect(wrongState.reason).toBe("state")
      await expectCode(engine.send(c.id, { type: "NO_SUCH_EVENT" }, A.coordinator), "CIVICASE_E_EVENT_NOT_ACCEPTED")
      await expectCode(engine.send(c.id, { type: "xstate.after.reviewDeadline.demo.review" }, A.coordinator), "CIVICASE_E_EVENT_NOT_ACCEPTED")
      const stale = await expectCode(engine.send(c.id, { type: "APPROVE" }, A.coordinator, { expectedRev: 1 }), "CIVICASE_E_REVISION_CONFLICT")
      expect(stale.actualRev).toBe(2)
      await expectCode(engine.send(c.id, { type: "APPROVE" }, A.foreignCoordinator), "CIVICASE_E_CASE_NOT_FOUND")
      await expectCode(engine.send("not-a-uuid", { type: "APPROVE" }, A.coordinator), "CIVICASE_E_CASE_NOT_FOUND")
      await expectCode(engine.send("00000000-0000-4000-8000-000000000000", { type: "APPROVE" }, A.coordinator), "CIVICASE_E_CASE_NOT_FOUND")
      await expectCode(engine.createCase("demo", { title: "" }, A.officer), "CIVICASE_E_VALIDATION")
      await expectCode(engine.createCase("demo", { title: "t" }, A.coordinator), "CIVICASE_E_FORBIDDEN")
      await expectCode(engine.createCase("nope", {}, A.officer), "CIVICASE_E_WORKFLOW_NOT_FOUND")

      expect(await engine.getCase(c.id, A.coordinator)).toEqual(before)
      expect(await historyRows(engine, c.id)).toEqual(beforeHistory)
      const timers = await sql<{ n: number }>`select count(*)::int as n from civicase_timers where case_id = ${c.id}`.execute(engine.db)
      expect(timers.rows[0]!.n).toBe(2)
    })

    it("refuses events on a closed case", async () => {
      const { engine } = await setup()
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      await engine.send(c.id, { type: "SUBMIT" }, A.head)
      await engine.send(c.id, { type: "APPROVE" }, A.coordinator)
      await engine.send(c.id, { type: "CLOSE", payload: { result: "r", reason: "why" } }, A.head)
      await expectCode(engine.send(c.id, { type: "NOTE", payload: { text: "late" } }, A.head), "CIVICASE_E_CASE_CLOSED")
      expect((await engine.getCase(c.id, A.head)).rev).toBe(4)
    })

    it("replays a repeated idempotency key (the case as it is now) and writes nothing", async () => {
      const { engine } = await setup()
      const c1 = await engine.createCase("demo", { title: "t" }, A.officer, { idempotencyKey: "create-1" })
      const c2 = await engine.createCase("demo", { title: "t" }, A.officer, { idempotencyKey: "create-1" })
      expect(c2.id).toBe(c1.id)
      expect(c2.replayed).toBe(true)
      const other = await engine.createCase("demo", { title: "t" }, A.head, { idempotencyKey: "create-1" })
      expect(other.id).not.toBe(c1.id)
      const first = await engine.send(c1.id, { type: "NOTE", payload: { text: "once" } }, A.officer, { idempotencyKey: "note-1" })
      const second = await engine.send(c1.id, { type: "NOTE", payload: { text: "once" } }, A.officer, { idempotencyKey: "note-1" })
      expect(first.rev).toBe(2)
      expect(second).toMatchObject({ rev: 2, replayed: true, replayedRev: 2 })
      expect(second.context.notes).toEqual(["once"])
      const concurrent = await Promise.all(
        Array.from({ length: 8 }, () => engine.send(c1.id, { type: "NOTE", payload: { text: "race" } }, A.officer, { idempotencyKey: "note-2" })),
      )
      expect(concurrent.filter((r) => !r.replayed)).toHaveLength(1)
      expect((await historyRows(engine, c1.id)).map((h) => h.rev)).toEqual([1, 2, 3])
    })

    it("serialises 50 concurrent sends to one case: each commits once, in order, with no gap", async () => {
      const { engine } = await setup()
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      const texts = Array.from({ length: 50 }, (_, i) => `n${i}`)
      const results = await Promise.allSettled(texts.map((text) => engine.send(c.id, { type: "NOTE", payload: { text } }, A.officer)))
      const ok = results.filter((r) => r.status === "fulfilled").map((r) => (r as PromiseFulfilledResult<any>).value)
      const failed = results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason)
      for (const f of failed) expect(f.code).toBe("CIVICASE_E_REVISION_CONFLICT")
      const h = await historyRows(engine, c.id)
      expect(h.map((r) => r.rev)).toEqual(Array.from({ length: ok.length + 1 }, (_, i) => i + 1))
      const final = await engine.getCase(c.id, A.officer)
      expect(final.rev).toBe(ok.length + 1)
      expect([...final.context.notes].sort()).toEqual(ok.map((r) => r.context.notes.at(-1)).sort())
      expect(new Set(ok.map((r) => r.rev)).size).toBe(ok.length)
      expect(ok.length).toBeGreaterThanOrEqual(45)
    })

    it("lets exactly one of many sends with the same expectedRev commit", async () => {
      const { engine } = await setup()
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => engine.send(c.id, { type: "NOTE", payload: { text: `n${i}` } }, A.officer, { expectedRev: 1 })),
      )
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1)
      for (const r of results) if (r.status === "rejected") expect(r.reason.code).toBe("CIVICASE_E_REVISION_CONFLICT")
      expect((await historyRows(engine, c.id)).map((h) => h.rev)).toEqual([1, 2])
    })

    it("lists with filters, visibility and stable cursor pagination", async () => {
      const { engine, clock } = await setup()
      const ids: string[] = []
      for (let i = 0; i < 13; i++) {
        const actor: Actor = i % 3 === 0 ? A.otherOfficer : A.officer
        const c = await engine.createCase("demo", { title: `c${i}` }, actor)
        if (i % 2 === 0 && actor === A.officer) await engine.send(c.id, { type: "SUBMIT" }, A.head)
        ids.push(c.id)
        if (i % 4 === 0) clock.advance(1000)
      }
      const all: string[] = []
      let cursor: string | undefined
      do {
        const page = await engine.listCases({ limit: 4, cursor }, A.coordinator)
        expect(page.items.length).toBeLessThanOrEqual(4)
        all.push(...page.items.map((c) => c.id))
        cursor = page.nextCursor
      } while (cursor)
      expect(all).toHaveLength(13)
      expect(new Set(all).size).toBe(13)
      expect([...all].sort()).toEqual([...ids].sort())
      const mine = await engine.listCases({}, A.officer)
      expect(mine.items.every((c) => c.parties.owner === "agency-a")).toBe(true)
      expect(mine.items).toHaveLength(8)
      const theirs = await engine.listCases({ agency: "agency-b" }, A.coordinator)
      expect(theirs.items).toHaveLength(5)
      const inReview = await engine.listCases({ state: "review" }, A.coordinator)
      expect(inReview.items.map((c) => c.state)).toEqual(Array(inReview.items.length).fill("review"))
      expect(inReview.items.length).toBe(4)
      expect((await engine.listCases({ workflow: "demo", status: "done" }, A.coordinator)).items).toHaveLength(0)
      expect((await engine.listCases({}, A.foreignCoordinator)).items).toHaveLength(0)
      await expectCode(engine.listCases({ cursor: "garbage" }, A.coordinator), "CIVICASE_E_VALIDATION")
      await expectCode(engine.listCases({ limit: 0 }, A.coordinator), "CIVICASE_E_VALIDATION")
    })

    it("fires a due timer once, through history, and cancels timers when the state is left", async () => {
      const { engine, clock } = await setup()
      const seen: string[] = []
      engine.subscribe((t) => seen.push(`${t.rev}:${t.event}`))
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      const inReview = await engine.send(c.id, { type: "SUBMIT" }, A.head)
      expect(inReview.deadlines.map((d) => d.name)).toEqual(["reminder", "reviewDeadline"])
      // Monday 09:00 + 3 working days → Thursday 17:00 local (10:00 UTC).
      expect(inReview.deadlines[1]!.dueAt).toBe("2025-03-06T10:00:00.000Z")
      expect(await engine.runDueTimers()).toBe(0)
      clock.advance("PT1H")
      expect(await engine.runDueTimers()).toBe(1)
      expect(await engine.runDueTimers()).toBe(0)
      const afterReminder = await engine.getCase(c.id, A.head)
      expect(afterReminder).toMatchObject({ rev: 3, state: "review" })
      expect(afterReminder.deadlines.map((d) => d.name)).toEqual(["reviewDeadline"])
      const h = await historyRows(engine, c.id)
      expect(h[2]).toMatchObject({ type: "xstate.after.reminder.demo.review", actor: { id: "system" }, meta: { deadline: "reminder" } })
      await engine.send(c.id, { type: "APPROVE" }, A.coordinator)
      clock.advance("P10D")
      expect(await engine.runDueTimers()).toBe(0)
      expect((await engine.getCase(c.id, A.head)).deadlines).toEqual([])
      expect(seen).toEqual(["1:case.created", "2:SUBMIT", "3:xstate.after.reminder.demo.review", "4:APPROVE"])
      const outbox = await sql<{ topic: string }>`select topic from civicase_outbox where case_id = ${c.id} order by rev`.execute(engine.db)
      expect(outbox.rows.map((r) => r.topic)).toEqual(["demo.reminder", "demo.approved"])
    })

    it("lists overdue cases and orders by the nearest deadline", async () => {
      const { engine, clock } = await setup()
      const a = await engine.createCase("demo", { title: "a" }, A.officer)
      await engine.send(a.id, { type: "SUBMIT" }, A.head)
      clock.advance("PT30M")
      const b = await engine.createCase("demo", { title: "b" }, A.officer)
      await engine.send(b.id, { type: "SUBMIT" }, A.head)
      const none = await engine.createCase("demo", { title: "none" }, A.officer)
      const ordered = await engine.listCases({ orderBy: "deadline" }, A.coordinator)
      expect(ordered.items.map((c) => c.id)).toEqual([a.id, b.id, none.id])
      const paged = await engine.listCases({ orderBy: "deadline", limit: 1 }, A.coordinator)
      const second = await engine.listCases({ orderBy: "deadline", limit: 1, cursor: paged.nextCursor }, A.coordinator)
      expect(second.items.map((c) => c.id)).toEqual([b.id])
      expect((await engine.listCases({ overdue: true }, A.coordinator)).items).toHaveLength(0)
      clock.advance("PT45M")
      expect((await engine.listCases({ overdue: true }, A.coordinator)).items.map((c) => c.id)).toEqual([a.id])
    })

    it("keeps cases and timers across closing and reopening the store", async () => {
      const { engine, clock, handle } = await setup({ durable: true })
      const c = await engine.createCase("demo", { title: "durable" }, A.officer)
      await engine.send(c.id, { type: "SUBMIT" }, A.head)
      await engine.close()
      open.pop()
      clock.advance("P5D")
      const reopened = createEngine({ store: handle.reopen(), workflows: [demoWorkflow], clock, scheduler: false, logger: silentLogger })
      open.push({ engine: reopened, handle })
      const back = await reopened.getCase(c.id, A.head)
      expect(back).toMatchObject({ state: "review", rev: 2 })
      // Both timers fell due while the engine was closed: each fires once, in due order.
      expect(await reopened.runDueTimers()).toBe(2)
      const h = await reopened.history(c.id, A.head)
      expect(h.slice(2).map((r) => r.meta?.deadline)).toEqual(["reminder", "reviewDeadline"])
      const now = await reopened.getCase(c.id, A.head)
      expect(now.context.escalated).toBe(true)
      expect(now.deadlines.map((d) => d.name).sort()).toEqual(["reminder", "reviewDeadline"])
      await reopened.send(now.id, { type: "APPROVE" }, A.coordinator)
    })

    it("exposes the access policy it authorizes with, built from its provinceWideRoles", async () => {
      const { engine } = await setup({ provinceWideRoles: ["coordinator"] })
      const observer = { id: "obs-1", province: "demo", agency: "so-noi-vu", roles: ["observer"] }
      expect(engine.access.seesWholeProvince(A.coordinator)).toBe(true)
      expect(engine.access.seesWholeProvince(observer)).toBe(false)
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      expect(engine.access.canSee(observer, c.province, c.parties.owner ? [c.parties.owner] : [])).toBe(false)
      await expectCode(engine.getCase(c.id, observer), "CIVICASE_E_CASE_NOT_FOUND")
    })

    it("runs beforeEvent again when a retry meets a case another writer moved, so the plugin judges the row written", async () => {
      let release!: () => void
      const gate = new Promise<void>((resolve) => (release = resolve))
      let paused!: () => void
      const isPaused = new Promise<void>((resolve) => (paused = resolve))
      const judged: number[] = []
      const plugin = definePlugin({
        name: "blocker",
        hooks: {
          async beforeEvent(ctx) {
            const notes = (ctx.context as { notes: string[] }).notes
            if ((ctx.event.payload as { text?: string }).text === "slow") {
              judged.push(notes.length)
              if (judged.length === 1) {
                paused()
                await gate
              }
            }
            if (notes.includes("blocker")) throw refuse("a blocker note stops further notes")
            return { meta: { notesSeen: notes.length } }
          },
        },
      })
      const { engine } = await setup({ plugins: [plugin] })
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      const slow = engine.send(c.id, { type: "NOTE", payload: { text: "slow" } }, A.officer)
      await isPaused
      await engine.send(c.id, { type: "NOTE", payload: { text: "blocker" } }, A.officer)
      release()
      await expectCode(slow, "CIVICASE_E_REFUSED_BY_PLUGIN")
      expect(judged).toEqual([0, 1])
      expect((await historyRows(engine, c.id)).map((h) => [h.rev, h.meta])).toEqual([
        [1, null],
        [2, { notesSeen: 0 }],
      ])
    })

    it("replays a create key only for the same workflow and a case the actor still sees", async () => {
      const { engine } = await setup({ workflows: [demoWorkflow, memoWorkflow] })
      const c = await engine.createCase("demo", { title: "t" }, A.officer, { idempotencyKey: "form-1" })
      const wrong = await expectCode(engine.createCase("memo", { title: "t" }, A.officer, { idempotencyKey: "form-1" }), "CIVICASE_E_VALIDATION")
      expect(wrong.issues).toEqual([{ path: "/idempotencyKey", message: "was already used to start a demo case, not memo" }])
      // The same person, moved to another agency, no longer sees agency-a's case.
      const moved = { ...A.officer, agency: "agency-b" }
      await expectCode(engine.createCase("demo", { title: "t" }, moved, { idempotencyKey: "form-1" }), "CIVICASE_E_CASE_NOT_FOUND")
      expect(await engine.createCase("demo", { title: "t" }, A.officer, { idempotencyKey: "form-1" })).toMatchObject({ id: c.id, replayed: true })
      expect((await engine.listCases({}, A.coordinator)).items).toHaveLength(1)
    })

    it("replays a send key only for the same actor and event type, and replays a race lost to its own original", async () => {
      const { engine } = await setup()
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      await engine.send(c.id, { type: "NOTE", payload: { text: "a" } }, A.officer, { idempotencyKey: "k-1" })
      const otherType = await expectCode(engine.send(c.id, { type: "SUBMIT" }, A.officer, { idempotencyKey: "k-1" }), "CIVICASE_E_VALIDATION")
      expect(otherType.issues[0]).toEqual({ path: "/idempotencyKey", message: "was already used on this case for a NOTE event, not SUBMIT" })
      const otherActor = await expectCode(engine.send(c.id, { type: "NOTE", payload: { text: "b" } }, A.head, { idempotencyKey: "k-1" }), "CIVICASE_E_VALIDATION")
      expect(otherActor.issues[0].path).toBe("/idempotencyKey")
      expect(await engine.send(c.id, { type: "NOTE", payload: { text: "a" } }, A.officer, { idempotencyKey: "k-1" })).toMatchObject({ rev: 2, replayed: true })
      // Retries of one request, each with the rev its user saw: one commits, the others replay it (none gets 409).
      const retries = await Promise.all(
        Array.from({ length: 6 }, () => engine.send(c.id, { type: "NOTE", payload: { text: "r" } }, A.officer, { expectedRev: 2, idempotencyKey: "k-2" })),
      )
      expect(retries.filter((r) => !r.replayed)).toHaveLength(1)
      expect(retries.map((r) => r.rev)).toEqual(Array(6).fill(3))
      // A different request with a stale rev still conflicts.
      await expectCode(engine.send(c.id, { type: "NOTE", payload: { text: "s" } }, A.officer, { expectedRev: 2, idempotencyKey: "k-3" }), "CIVICASE_E_REVISION_CONFLICT")
      expect((await historyRows(engine, c.id)).map((h) => h.rev)).toEqual([1, 2, 3])
    })

    it("refuses text PostgreSQL cannot store (NUL, a lone surrogate) in input, payload or key with a ValidationError naming the path", async () => {
      const { engine } = await setup()
      const bad = await expectCode(engine.createCase("demo", { title: "a\u0000b" }, A.officer), "CIVICASE_E_VALIDATION")
      expect(bad.issues).toEqual([{ path: "/title", message: "must not contain the NUL character (\\u0000)" }])
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      const note = await expectCode(engine.send(c.id, { type: "NOTE", payload: { text: "x\u0000" } }, A.officer), "CIVICASE_E_VALIDATION")
      expect(note.issues.map((i: { path: string }) => i.path)).toEqual(["/text"])
      const key = await expectCode(engine.send(c.id, { type: "NOTE", payload: { text: "x" } }, A.officer, { idempotencyKey: "k\u0000" }), "CIVICASE_E_VALIDATION")
      expect(key.issues[0].path).toBe("/idempotencyKey")
      // A lone surrogate passes JSON and Ajv but not PostgreSQL: also the caller's mistake, named by path.
      const half = await expectCode(engine.send(c.id, { type: "NOTE", payload: { text: "x\ud800" } }, A.officer), "CIVICASE_E_VALIDATION")
      expect(half.issues).toEqual([{ path: "/text", message: expect.stringContaining("lone surrogate") }])
      await expectCode(engine.createCase("demo", { title: "\udc00" }, A.officer), "CIVICASE_E_VALIDATION")
      await expectCode(engine.send(c.id, { type: "NOTE", payload: { text: "x" } }, A.officer, { idempotencyKey: "k\ud800" }), "CIVICASE_E_VALIDATION")
      const pair = await engine.send(c.id, { type: "NOTE", payload: { text: "emoji \ud83d\ude00 ok" } }, A.officer)
      expect(pair.context.notes).toEqual(["emoji 😀 ok"])
      expect((await historyRows(engine, c.id)).map((h) => h.rev)).toEqual([1, 2])
    })

    it("records every migration once, in order, and migrating again applies nothing", async () => {
      const { engine } = await setup()
      const rows = await engine.db.selectFrom("civicase_migrations").select("version").orderBy("version").execute()
      expect(rows.map((r) => r.version)).toEqual(migrations.map((m) => m.version))
      expect(await engine.migrate()).toEqual([])
      const index = await sql<{ n: number }>`select count(*)::int as n from pg_indexes where indexname = 'civicase_history_at'`.execute(engine.db)
      expect(index.rows[0]!.n).toBeGreaterThanOrEqual(1)
    })

    it("wraps a failing history read in StorageError, and refuses migrate() after close()", async () => {
      const { engine } = await setup()
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      await sql`alter table civicase_history rename to civicase_history_gone`.execute(engine.db)
      await expectCode(engine.history(c.id, A.officer), "CIVICASE_E_STORAGE")
      await sql`alter table civicase_history_gone rename to civicase_history`.execute(engine.db)
      expect(await engine.migrate()).toEqual([])
      await engine.close()
      await expectCode(engine.migrate(), "CIVICASE_E_ENGINE_CLOSED")
    })

    it("fires timers from the running scheduler when the test clock jumps", async () => {
      const { engine, clock } = await setup({ scheduler: true })
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      await engine.send(c.id, { type: "SUBMIT" }, A.head)
      const fired = new Promise<string>((resolve) => engine.subscribe((t) => t.actor.id === "system" && resolve(t.event)))
      clock.advance("PT2H")
      expect(await fired).toBe("xstate.after.reminder.demo.review")
    })

    peopleContract(setup)
    assignmentContract(setup)
    worklistContract(setup)
    reportPlansContract(setup)
    searchContract(setup)
    documentsContract(setup)
    commentsContract(setup)
  })
}
