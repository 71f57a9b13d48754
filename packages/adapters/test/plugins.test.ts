import { sql } from "kysely"
import { afterEach, describe, expect, it, vi } from "vitest"
import {
  type AuditRecord,
  type Engine,
  type EngineOptions,
  type Logger,
  type OutgoingNotification,
  auditPlugin,
  createEngine,
  definePlugin,
  notificationsPlugin,
  refuse,
  silentLogger,
  slaMetricsPlugin,
  testClock,
  withAuditContext,
} from "@civicase/core"
import { demoActors as A, demoWorkflow, expectCode } from "@civicase/core/testing"
import { pglite } from "@civicase/adapters"

function collectingLogger() {
  const calls: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = []
  const logger: Logger = {
    debug: () => undefined,
    info: (fields, message) => void calls.push({ level: "info", message, fields }),
    warn: (fields, message) => void calls.push({ level: "warn", message, fields }),
    error: (fields, message) => void calls.push({ level: "error", message, fields }),
  }
  return { logger, calls }
}

describe("plugins (PGlite)", () => {
  const open: Engine[] = []
  afterEach(async () => {
    for (const e of open.splice(0)) await e.close()
  })
  function engine(options: Partial<EngineOptions>) {
    const e = createEngine({ store: pglite(), workflows: [demoWorkflow], clock: testClock(), scheduler: false, logger: silentLogger, ...options })
    open.push(e)
    return e
  }
  const counts = async (e: Engine) =>
    (await sql<{ cases: number; history: number; outbox: number }>`select (select count(*)::int from civicase_cases) as cases,
      (select count(*)::int from civicase_history) as history, (select count(*)::int from civicase_outbox) as outbox`.execute(e.db)).rows[0]

  it("logs an after-commit hook that throws; the commit stands and later plugins still run, in order", async () => {
    const { logger, calls } = collectingLogger()
    const order: string[] = []
    const e = engine({
      logger,
      plugins: [
        definePlugin({ name: "first", hooks: { afterCommit: (t) => void order.push(`first:${t.rev}`) } }),
        definePlugin({
          name: "broken",
          hooks: {
            afterCommit(t) {
              order.push(`broken:${t.rev}`)
              throw new Error("search index down")
            },
          },
        }),
        definePlugin({ name: "last", hooks: { afterCommit: async (t) => void order.push(`last:${t.rev}`) } }),
      ],
    })
    const c = await e.createCase("demo", { title: "Kế hoạch" }, A.officer)
    const after = await e.send(c.id, { type: "SUBMIT" }, A.head)
    expect(after.rev).toBe(2)
    await vi.waitFor(() => expect(order).toHaveLength(6))
    expect(order).toEqual(["first:1", "broken:1", "last:1", "first:2", "broken:2", "last:2"])
    const errors = calls.filter((c) => c.level === "error")
    expect(errors).toHaveLength(2)
    expect(errors[1]).toEqual({
      level: "error",
      message: "after-commit hook failed; the commit stands",
      fields: { plugin: "broken", caseId: c.id, rev: 2, error: "search index down" },
    })
    expect((await e.getCase(c.id, A.head)).state).toBe("review")
    expect((await e.verify(c.id, A.head)).ok).toBe(true)
  })

  it("a before-hook refusal names the plugin, stops later hooks, and leaves no trace", async () => {
    const later = vi.fn()
    const e = engine({
      plugins: [
        definePlugin({
          name: "enrich",
          hooks: { beforeEvent: () => ({ meta: { enriched: true }, outbox: [{ topic: "search.reindex", payload: { n: 1 } }] }) },
        }),
        definePlugin({
          name: "no-submit-on-friday",
          hooks: {
            beforeCreate: ({ input }) => {
              if ((input as { title: string }).title === "cấm") throw refuse("title not allowed")
            },
            beforeEvent: ({ event }) => {
              if (event.type === "SUBMIT") throw refuse("submissions are closed")
            },
          },
        }),
        definePlugin({ name: "later", hooks: { beforeEvent: later, beforeCreate: later } }),
      ],
    })
    const c = await e.createCase("demo", { title: "Kế hoạch" }, A.officer)
    const before = await counts(e)
    const err = await expectCode(e.send(c.id, { type: "SUBMIT" }, A.head), "CIVICASE_E_REFUSED_BY_PLUGIN")
    expect(err).toMatchObject({ plugin: "no-submit-on-friday", reason: "submissions are closed" })
    const created = await expectCode(e.createCase("demo", { title: "cấm" }, A.officer), "CIVICASE_E_REFUSED_BY_PLUGIN")
    expect(created.plugin).toBe("no-submit-on-friday")
    expect(await counts(e)).toEqual(before)
    expect((await e.getCase(c.id, A.head)).rev).toBe(1)
    expect(later).toHaveBeenCalledTimes(1) // only for the first, accepted createCase

    // Accepted events carry the metadata and outbox messages of the hooks before them.
    await e.send(c.id, { type: "NOTE", payload: { text: "ok" } }, A.head)
    const [row] = (await e.history(c.id, A.head)).filter((h) => h.rev === 2)
    expect(row!.meta).toEqual({ enriched: true })
    expect((await e.outbox.list({ topic: "search.reindex" })).items).toMatchObject([{ caseId: c.id, rev: 2, payload: { n: 1 } }])
  })

  it("checks plugins: every problem by path, names registered twice", () => {
    expect(() => definePlugin({ name: "bad name", hooks: { afterComit: () => {} } as never })).toThrow(/\/name: must be .*\n.*\/hooks\/afterComit: is not a hook/)
    const p = definePlugin({ name: "twice" })
    expect(() => createEngine({ store: pglite(), plugins: [p, p] })).toThrow(/\/plugins\/1\/name: plugin twice is registered twice/)
  })

  it("audit: records the request context in meta.audit and sends every commit to the sink", async () => {
    const records: AuditRecord[] = []
    const e = engine({ plugins: [auditPlugin({ sink: (r) => void records.push(r) })] })
    const c = await withAuditContext({ requestId: "req-1", source: "http", ip: "10.0.0.7" }, () => e.createCase("demo", { title: "Kế hoạch" }, A.officer))
    await withAuditContext({ requestId: "req-2", source: "cli" }, async () => {
      await Promise.resolve()
      await e.send(c.id, { type: "SUBMIT" }, A.head)
    })
    await e.send(c.id, { type: "NOTE", payload: { text: "không có ngữ cảnh" } }, A.head)
    const h = await e.history(c.id, A.head)
    expect(h.map((r) => r.meta)).toEqual([{ audit: { requestId: "req-1", source: "http", ip: "10.0.0.7" } }, { audit: { requestId: "req-2", source: "cli" } }, null])
    await vi.waitFor(() => expect(records).toHaveLength(3))
    expect(records[1]).toEqual({
      caseId: c.id,
      province: "demo",
      workflow: "demo",
      rev: 2,
      event: "SUBMIT",
      actor: { id: A.head.id, agency: "agency-a", roles: ["agency_head"] },
      at: h[1]!.at,
      from: "draft",
      to: "review",
      audit: { requestId: "req-2", source: "cli" },
    })
    expect(() => withAuditContext({ requestId: "x".repeat(201) }, () => 1)).toThrow(/requestId must be a string of at most 200/)
  })

  it("SLA metrics: time in state and deadlines met and missed per workflow and agency; notifications from emitted events", async () => {
    const clock = testClock(new Date("2025-03-03T02:00:00.000Z")) // a Monday
    const sla = slaMetricsPlugin()
    const sent: OutgoingNotification[] = []
    const notifications = notificationsPlugin({
      rules: {
        "demo.escalated": (_event, kase) => ({ to: ["coordinator", kase.owner], subject: { vi: "Quá hạn thẩm định", en: "Review overdue" } }),
        "demo.reminder": () => undefined,
      },
      send: async (n) => void sent.push(n),
    })
    const e = engine({ clock, plugins: [sla, notifications], outbox: { enabled: false } })
    await e.start()
    const a = await e.createCase("demo", { title: "A" }, A.officer)
    const b = await e.createCase("demo", { title: "B" }, A.otherOfficer)
    clock.advance("PT30M")
    await e.send(a.id, { type: "SUBMIT" }, A.head)
    await e.send(b.id, { type: "SUBMIT" }, A.otherHead)
    clock.advance("PT2H") // a's and b's reminders (1 h) fire: passed
    expect(await e.runDueTimers()).toBe(2)
    await e.send(a.id, { type: "APPROVE" }, A.coordinator) // a: review deadline met
    clock.advance("P5D") // b: the 3-working-day review deadline fires and escalates
    expect(await e.runDueTimers()).toBe(1)

    await vi.waitFor(async () => {
      const rows = await sla.report({ workflow: "demo" })
      expect(rows.map((r) => r.agency)).toEqual(["agency-a", "agency-b"])
      const [ra, rb] = rows
      expect(ra).toMatchObject({ province: "demo", casesByState: { approved: 1 }, casesDone: 0, transitions: 4 })
      expect(ra!.deadlines).toEqual([
        { name: "reminder", met: 0, missed: 1 },
        { name: "reviewDeadline", met: 1, missed: 0 },
      ])
      expect(ra!.timeInState).toEqual([
        { state: "draft", stints: 1, totalMs: 30 * 60_000, averageMs: 30 * 60_000 },
        { state: "review", stints: 1, totalMs: 2 * 3_600_000, averageMs: 2 * 3_600_000 },
      ])
      expect(rb).toMatchObject({ casesByState: { review: 1 }, transitions: 4 })
      expect(rb!.deadlines).toEqual([
        { name: "reminder", met: 0, missed: 1 },
        { name: "reviewDeadline", met: 0, missed: 1 },
      ])
    })
    expect(await sla.report({ agency: "nobody" })).toEqual([])

    expect(await e.outbox.dispatch()).toMatchObject({ delivered: 3, retried: 0, failed: 0, unrouted: 1 })
    const [row] = (await e.outbox.list({ topic: "demo.escalated" })).items
    expect(sent).toEqual([
      { to: ["coordinator", "agency-b"], subject: { vi: "Quá hạn thẩm định", en: "Review overdue" }, deliveryId: row!.id, caseId: b.id, rev: row!.rev, topic: "demo.escalated", attempt: 1 },
    ])
  })
})
