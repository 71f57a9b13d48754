import { sql } from "kysely"
import pg from "pg"
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { type Engine, type Logger, classifyDatabaseError, createEngine, isCivicaseError, silentLogger, testClock } from "@civicase/core"
import { demoActors as A, type FaultProxy, demoWorkflow, faultProxy } from "@civicase/core/testing"
import { inProcessNotifier, postgres } from "@civicase/adapters"

const url = process.env.DATABASE_URL

/** Errors that escaped to the process (an `'error'` event nobody listened to, a rejection nobody caught). */
function escapes() {
  const seen: unknown[] = []
  const record = (e: unknown) => seen.push(e)
  process.on("uncaughtException", record)
  process.on("unhandledRejection", record)
  return {
    seen,
    stop() {
      process.off("uncaughtException", record)
      process.off("unhandledRejection", record)
    },
  }
}

/** The rejection of `promise`, which must fail. */
async function failure(promise: Promise<unknown>): Promise<any> {
  return promise.then(
    (v) => {
      throw new Error(`expected a failure, got ${JSON.stringify(v)}`)
    },
    (e: unknown) => e,
  )
}

/** Expects a `StorageError` for a lost or refused connection. */
async function expectOutage(promise: Promise<unknown>) {
  const e = await failure(promise)
  expect(isCivicaseError(e) ? { code: e.code, kind: (e as { kind?: unknown }).kind } : e).toEqual({ code: "CIVICASE_E_STORAGE", kind: "connection" })
}

const withAppName = (u: string, name: string) => `${u}${u.includes("?") ? "&" : "?"}application_name=${name}`

// Each test's connections carry their own application_name, so terminating them touches nobody else's.
describe.runIf(url)("PostgreSQL connections that fail under the engine", () => {
  const tag = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`
  const schema = `t_faults_${tag}`
  let admin: pg.Client
  let escaped: ReturnType<typeof escapes>
  const closers: Array<() => Promise<unknown>> = []

  const terminate = async (appName: string, where = "") =>
    (await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 ${where}`, [appName])).rowCount ?? 0
  const engineOn = (connectionString: string, more: { connectTimeoutMs?: number } = {}): Engine => {
    const engine = createEngine({ store: postgres({ connectionString, schema, ...more }), workflows: [demoWorkflow], scheduler: false, logger: silentLogger })
    closers.push(() => engine.close())
    return engine
  }

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: url })
    await admin.connect()
  })
  afterAll(async () => {
    await admin.query(`drop schema if exists "${schema}" cascade`)
    await admin.end()
  })
  beforeEach(() => {
    escaped = escapes()
  })
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close()
    escaped.stop()
  })

  it("classifies a lost or refused connection the same, whatever the driver says", () => {
    const kind = (e: unknown) => classifyDatabaseError(e).kind
    expect(kind(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }))).toBe("connection")
    expect(kind(Object.assign(new Error("the database system is shutting down"), { code: "57P03" }))).toBe("connection")
    expect(kind(Object.assign(new Error("sorry, too many clients already"), { code: "53300" }))).toBe("connection")
    expect(kind(new Error("Connection terminated unexpectedly"))).toBe("connection")
    expect(kind(new Error("timeout exceeded when trying to connect"))).toBe("connection")
    expect(kind(new Error("Client has encountered a connection error and is not queryable"))).toBe("connection")
    const refusedEverywhere = new AggregateError([Object.assign(new Error("connect ECONNREFUSED ::1:5432"), { code: "ECONNREFUSED" })], "")
    expect(kind(refusedEverywhere)).toBe("connection")
    expect(kind(Object.assign(new Error('relation "x" does not exist'), { code: "42P01" }))).toBe("other")
    expect(kind(new TypeError("x is not a function"))).toBe("other")
  })

  it("a client checked out of the pool whose session is terminated fails its query, crashes nothing, and the next call succeeds", async () => {
    const appName = `civicase_faults_out_${tag}`
    const engine = engineOn(withAppName(url!, appName))
    const c = await engine.createCase("demo", { title: "checked out" }, A.officer)
    // A transaction holds its client checked out while the query runs (its failure is taken at once, not left unhandled).
    const inFlight = failure(engine.db.transaction().execute((trx) => sql`select pg_sleep(30)`.execute(trx)))
    await expect.poll(async () => (await admin.query("select 1 from pg_stat_activity where application_name = $1 and query like '%pg_sleep%'", [appName])).rowCount, { timeout: 10_000 }).toBe(1)
    expect(await terminate(appName)).toBeGreaterThanOrEqual(1)
    expect(classifyDatabaseError(await inFlight).kind).toBe("connection")
    const again = await engine.send(c.id, { type: "SUBMIT" }, A.head)
    expect(again.rev).toBe(2)
    expect(escaped.seen).toEqual([])
  })

  it("an embedder's pool without an error listener survives its idle and checked-out clients being terminated; the engine takes its listener away on close", async () => {
    const appName = `civicase_faults_pool_${tag}`
    await admin.query(`create schema if not exists "${schema}"`)
    const pool = new pg.Pool({ connectionString: withAppName(url!, appName), max: 3, options: `-c search_path=${schema},public` })
    closers.push(() => pool.end())
    const engine = createEngine({ store: postgres({ pool }), workflows: [demoWorkflow], scheduler: false, logger: silentLogger })
    closers.push(() => engine.close())
    const c = await engine.createCase("demo", { title: "embedded" }, A.officer)
    const inFlight = failure(engine.db.transaction().execute((trx) => sql`select pg_sleep(30)`.execute(trx)))
    await expect.poll(async () => (await admin.query("select 1 from pg_stat_activity where application_name = $1 and query like '%pg_sleep%'", [appName])).rowCount, { timeout: 10_000 }).toBe(1)
    // A read while that client is out opens a second one, which goes back to the pool idle.
    await engine.getCase(c.id, A.officer)
    expect(pool.idleCount).toBe(1)
    expect(await terminate(appName)).toBeGreaterThanOrEqual(2)
    expect(classifyDatabaseError(await inFlight).kind).toBe("connection")
    // The dead idle clients leave the pool (pg-pool emits 'error' on the pool for each).
    await expect.poll(() => pool.idleCount, { timeout: 10_000 }).toBe(0)
    expect((await engine.getCase(c.id, A.officer)).rev).toBe(1)
    expect(escaped.seen).toEqual([])
    await engine.close()
    expect(pool.listenerCount("error")).toBe(0)
  })

  describe("through a proxy that refuses and cuts connections", () => {
    let proxy: FaultProxy
    beforeEach(async () => {
      const u = new URL(url!)
      proxy = await faultProxy({ host: u.hostname, port: Number(u.port || 5432) })
      closers.push(() => proxy.close())
    })

    it("an engine whose database is unreachable fails every call with StorageError, and starts by itself once it answers", async () => {
      await proxy.down()
      const engine = engineOn(proxy.url(url!))
      await expectOutage(engine.start())
      await expectOutage(engine.listCases({}, A.coordinator))
      await proxy.up()
      const c = await engine.createCase("demo", { title: "after the outage" }, A.officer)
      // Started, then the database goes: every kind of call reports the outage, none a raw driver error.
      await proxy.down()
      await expectOutage(engine.listCases({}, A.coordinator))
      await expectOutage(engine.getCase(c.id, A.officer))
      await expectOutage(engine.history(c.id, A.officer))
      await expectOutage(engine.send(c.id, { type: "SUBMIT" }, A.head))
      await expectOutage(engine.createCase("demo", { title: "refused" }, A.officer))
      await expectOutage(engine.verify(c.id, A.officer))
      await expectOutage(engine.reports.sla({}, A.coordinator))
      await expectOutage(engine.outbox.stats())
      await proxy.up()
      expect((await engine.send(c.id, { type: "SUBMIT" }, A.head)).rev).toBe(2)
      expect((await engine.listCases({}, A.coordinator)).items.map((x) => x.id)).toContain(c.id)
      expect(escaped.seen).toEqual([])
    })

    it("a connection cut while it creates the schema fails that start only; the next start creates it", async () => {
      const engine = engineOn(proxy.url(url!))
      proxy.cutAtFirstQuery()
      await expectOutage(engine.start())
      await engine.start()
      expect((await engine.createCase("demo", { title: "schema made" }, A.officer)).rev).toBe(1)
      expect(escaped.seen).toEqual([])
    })

    it("a cut connection in the pool fails the call that used it; the next call opens a fresh one", async () => {
      const engine = engineOn(proxy.url(url!))
      const c = await engine.createCase("demo", { title: "cut" }, A.officer)
      expect(proxy.open).toBeGreaterThanOrEqual(1)
      proxy.cut()
      // The pooled client may or may not have heard of the reset before this call takes it: both must end well.
      await engine.getCase(c.id, A.officer).catch((e: unknown) => expect(isCivicaseError(e) && e.code).toBe("CIVICASE_E_STORAGE"))
      expect((await engine.getCase(c.id, A.officer)).rev).toBe(1)
      expect(escaped.seen).toEqual([])
    })

    it("the timer scheduler and the outbox dispatcher log while the database is away and resume by themselves", async () => {
      const clock = testClock()
      const lines: string[] = []
      const logger: Logger = { debug() {}, info() {}, warn: (_f, m) => void lines.push(m), error: (_f, m) => void lines.push(m) }
      const delivered: string[] = []
      const engine = createEngine({
        store: postgres({ connectionString: proxy.url(url!), schema }),
        workflows: [demoWorkflow],
        clock,
        logger,
        scheduler: { maxIdleMs: 100 },
        outbox: { maxIdleMs: 100 },
        notifiers: [inProcessNotifier((m) => void delivered.push(`${m.caseId} ${m.topic}`))],
      })
      closers.push(() => engine.close())
      const c = await engine.createCase("demo", { title: "loops" }, A.officer)
      await engine.send(c.id, { type: "SUBMIT" }, A.head)
      await proxy.down()
      // The reminder falls due while the database is away: the scheduler's pass fails, is logged, and is tried again.
      clock.advance("PT2H")
      await expect.poll(() => lines.filter((l) => l.startsWith("timer scheduler pass failed")).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2)
      await expect.poll(() => lines.filter((l) => l.startsWith("outbox dispatch pass failed")).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1)
      // Nobody calls the engine: both loops find their work once the database answers.
      await proxy.up()
      await expect.poll(() => delivered, { timeout: 10_000 }).toEqual([`${c.id} demo.reminder`])
      expect((await engine.history(c.id, A.officer)).map((h) => h.type)).toContain("xstate.after.reminder.demo.review")
      expect(escaped.seen).toEqual([])
    })

    it("LISTEN started while the database is unreachable retries, reports each failure, and hears notifications once it connects and after a cut", async () => {
      const channel = `civicase_faults_${tag}`
      await proxy.down()
      const driver = postgres({ connectionString: proxy.url(url!) })
      const heard: string[] = []
      const errors: unknown[] = []
      let reconnects = 0
      const stop = await driver.listen!(channel, (payload) => heard.push(payload), { onReconnect: () => reconnects++, onError: (e) => errors.push(e) })
      closers.push(stop)
      expect(errors.length).toBeGreaterThanOrEqual(1)
      expect(classifyDatabaseError(errors[0]).kind).toBe("connection")
      await proxy.up()
      await expect.poll(() => reconnects, { timeout: 10_000 }).toBe(1)
      await admin.query(`notify ${channel}, 'first'`)
      await expect.poll(() => heard, { timeout: 5000 }).toEqual(["first"])
      proxy.cut()
      await expect.poll(() => reconnects, { timeout: 10_000 }).toBe(2)
      await admin.query(`notify ${channel}, 'second'`)
      await expect.poll(() => heard, { timeout: 5000 }).toEqual(["first", "second"])
      expect(escaped.seen).toEqual([])
    })
  })
})
