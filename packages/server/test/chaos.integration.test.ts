import { type ChildProcess, spawn } from "node:child_process"
import { createRequire } from "node:module"
import { fileURLToPath, pathToFileURL } from "node:url"
import { errorCodes } from "@civicase/core"
import pg from "pg"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type TestSocket, openSocket } from "./live-client.js"
import { type PrivateCluster, postgresBin, privateCluster } from "./private-postgres.js"

const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url))
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href
const bin = postgresBin()

/** Only the server's connections carry this name, so terminating them spares the test's own. */
const APP = "civicase_chaos"
/** What no client may read: driver messages name hosts, ports and system calls. */
const RAW = /ECONN|EPIPE|connect |terminat|storage error|127\.0\.0\.1|localhost|Connection/i
/** Bounds every request: a server that hangs fails the test instead of stalling it. */
const REQUEST_TIMEOUT_MS = 20_000

interface Answer {
  readonly status: number
  readonly type: string
  readonly body: any
  readonly retryAfter: string | null
  /** The rev an idempotent replay first committed at. */
  readonly replayedRev: string | null
}

/** One acknowledged write: the history of `caseId` must hold `type` at `rev`. */
interface Ack {
  readonly caseId: string
  readonly rev: number
  readonly type: string
}

// civicase serve, run from source as a child process, on a PostgreSQL cluster
// of the test's own: started while the database is down, then loaded while
// every one of its connections is terminated again and again, then left
// without a database for a few seconds.
describe.runIf(bin)("civicase serve while PostgreSQL fails under it", { timeout: 240_000 }, () => {
  let cluster: PrivateCluster
  let child: ChildProcess
  let exited: { code: number | null; signal: string | null } | undefined
  let output = ""
  let api = ""
  const acks: Ack[] = []
  /** Every answer that was neither 2xx nor 503 problem+json CIVICASE_E_STORAGE. */
  const wrong: string[] = []
  const live: any[] = []
  let socket: TestSocket | undefined

  const alive = () => expect(exited, `the server exited; its output ended with:\n${output.slice(-4000)}`).toBeUndefined()

  async function call(method: string, path: string, token?: string, body?: unknown): Promise<Answer> {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    })
    const text = await res.text()
    const type = res.headers.get("content-type") ?? ""
    return {
      status: res.status,
      type,
      body: type.includes("json") ? JSON.parse(text) : text,
      retryAfter: res.headers.get("retry-after"),
      replayedRev: res.headers.get("idempotent-replayed-rev"),
    }
  }

  /** True for the answer an outage must give: 503, problem+json, the storage code, no driver text. */
  const isOutage = (a: Answer) =>
    a.status === 503 && a.type.startsWith("application/problem+json") && a.body.code === "CIVICASE_E_STORAGE" && a.retryAfter !== null && !RAW.test(JSON.stringify(a.body))

  /**
   * Sends until the server acknowledges; an outage answer is retried with the
   * same idempotency key (a bounded number of times), anything else is
   * recorded as wrong.
   */
  async function acknowledged(method: string, path: string, token: string, body: unknown): Promise<Answer> {
    for (let attempt = 1; ; attempt++) {
      const a = await call(method, path, token, body)
      if (a.status >= 200 && a.status < 300) return a
      if (!isOutage(a) || attempt === 500) {
        wrong.push(`${method} ${path} (attempt ${attempt}) → ${a.status} ${a.type} ${JSON.stringify(a.body)}`)
        return a
      }
      await new Promise((r) => setTimeout(r, 20))
    }
  }

  /** Starts PostgreSQL and asks /healthz until the server says it is healthy again, by itself; until then it must say 503. */
  async function startDatabase() {
    cluster.start()
    for (let attempt = 1; ; attempt++) {
      const h = await call("GET", "/healthz")
      if (h.status === 200) return
      expect(isOutage(h), JSON.stringify(h)).toBe(true)
      expect(attempt, "the server did not recover within 300 health checks").toBeLessThan(300)
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  const token = async (sub: string, agency: string, role: string) => {
    const a = await call("POST", "/v1/dev/token", undefined, { sub, agency, roles: [role] })
    expect(a.status).toBe(200)
    return a.body.token as string
  }

  /** Runs an SQL statement on a connection of the test's own, opened for it. */
  async function admin(text: string, values: unknown[] = []): Promise<pg.QueryResult> {
    const client = new pg.Client({ connectionString: cluster.url("chaos_admin") })
    client.on("error", () => undefined)
    await client.connect()
    try {
      return await client.query(text, values)
    } finally {
      await client.end()
    }
  }

  /** One worker's actors: the head of an agency that drafts plans, and a coordinator who reviews them. */
  interface Worker {
    readonly name: string
    readonly head: string
    readonly coordinator: string
  }
  const workers: Worker[] = []

  /**
   * A worker's plan case: created, then submitted, urged by the coordinator and
   * returned for revision by the agency's head, `cycles` times. Every write carries an idempotency key, so a
   * retry after a lost answer is applied once.
   */
  async function planCase(w: Worker, n: number, cycles: number): Promise<string | undefined> {
    const key = `${w.name}-case-${n}`
    const created = await acknowledged("POST", "/v1/cases", w.head, { workflow: "plan", input: { title: `Kế hoạch ${key}`, year: 2025 }, idempotencyKey: key })
    if (created.status >= 300) return undefined
    const caseId = created.body.id as string
    acks.push({ caseId, rev: 1, type: "case.created" })
    const steps = [
      { type: "SUBMIT", payload: { note: "trình" }, by: w.head },
      { type: "COMMENT", payload: { comments: "bổ sung chỉ tiêu", kind: "urging" }, by: w.coordinator },
      { type: "RETURN", payload: { comments: "bổ sung chỉ tiêu" }, by: w.head },
    ]
    for (let cycle = 0; cycle < cycles; cycle++) {
      for (const [i, step] of steps.entries()) {
        const a = await acknowledged("POST", `/v1/cases/${caseId}/events`, step.by, { type: step.type, payload: step.payload, idempotencyKey: `${key}-${cycle}-${i}` })
        if (a.status >= 300) return caseId
        acks.push({ caseId, rev: a.replayedRev === null ? a.body.rev : Number(a.replayedRev), type: step.type })
      }
    }
    return caseId
  }

  beforeAll(async () => {
    cluster = await privateCluster(bin!)
    // Started before its database: it must come up, say what it waits for, and answer 503.
    child = spawn(process.execPath, ["--conditions=source", "--import", tsx, cli, "serve", "--dev", "--port", "0", "--log-level", "warn", "--database-url", cluster.url(APP)], {
      stdio: ["ignore", "pipe", "pipe"],
    })
    const keep = (d: Buffer) => {
      output = (output + d.toString()).slice(-200_000)
    }
    child.stdout!.on("data", keep)
    child.stderr!.on("data", keep)
    child.on("exit", (code, signal) => (exited = { code, signal }))
    api = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no address printed:\n${output}`)), 120_000)
      const look = () => {
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
        if (m) {
          clearTimeout(timer)
          resolve(m[1]!)
        }
      }
      child.stdout!.on("data", look)
      child.on("exit", () => reject(new Error(`exited early:\n${output}`)))
    })
  })

  afterAll(async () => {
    await socket?.close()
    if (child && !exited) {
      const gone = new Promise((r) => child.once("exit", r))
      child.kill("SIGTERM")
      await gone
    }
    cluster?.destroy()
  })

  it("started while its database is down, it says what it waits for, answers 503, and starts by itself when the database comes", async () => {
    expect(output).toContain("cannot be reached")
    const health = await call("GET", "/healthz")
    expect(isOutage(health), JSON.stringify(health)).toBe(true)
    await startDatabase()
    alive()
  })

  it("under load, with every connection of the server terminated again and again, it answers each request with success or 503 and never exits", async () => {
    for (let i = 0; i < 3; i++) {
      workers.push({ name: `w${i}`, head: await token(`head-w${i}`, "so-noi-vu", "agency_head"), coordinator: await token(`coord-w${i}`, "so-tttt", "coordinator") })
    }
    // A live client watching one case: whatever happens, it must never read the driver's words.
    const watched = await planCase(workers[0]!, 0, 0)
    socket = await openSocket(`${api.replace("http", "ws")}/v1/live?token=${workers[0]!.coordinator}`)
    socket.ws.on("message", (data) => live.push(JSON.parse(String(data))))
    socket.send({ op: "subscribe", caseId: watched })
    await socket.collect((m) => m.type === "subscribed")

    let stop = false
    const load = workers.map(async (w) => {
      try {
        for (let n = 1; !stop; n++) await planCase(w, n, 2)
      } catch (e) {
        // A request that timed out (a hang) or a refused connection to the server itself.
        wrong.push(`${w.name}: ${String(e)}`)
      }
    })
    let terminated = 0
    for (let round = 1; round <= 6; round++) {
      // Each round waits for more acknowledged work, so the connections are busy when they die.
      const target = acks.length + 8
      while (acks.length < target && wrong.length === 0) await new Promise((r) => setTimeout(r, 10))
      terminated += (await admin("select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1", [APP])).rowCount ?? 0
      alive()
    }
    stop = true
    await Promise.all(load)
    expect(wrong).toEqual([])
    expect(terminated).toBeGreaterThan(0)
    alive()
  })

  it("with PostgreSQL stopped it answers 503 problem+json on every route and over the live feed, then recovers by itself when it starts again", async () => {
    const [w] = workers as [Worker]
    const someCase = acks[acks.length - 1]!.caseId
    cluster.stop()
    const routes: Array<[string, string, string | undefined, unknown?]> = [
      ["GET", "/healthz", undefined],
      ["GET", "/v1/cases?workflow=plan", w.coordinator],
      ["GET", `/v1/cases/${someCase}`, w.coordinator],
      ["GET", `/v1/cases/${someCase}/history`, w.coordinator],
      ["GET", `/v1/cases/${someCase}/verify`, w.coordinator],
      ["POST", "/v1/cases", w.head, { workflow: "plan", input: { title: "khi mất kết nối", year: 2025 } }],
      ["POST", `/v1/cases/${someCase}/events`, w.head, { type: "SUBMIT", payload: {} }],
      ["GET", "/v1/reports/sla", w.coordinator],
    ]
    // Several seconds without a database, asking all along.
    const downSince = Date.now()
    let rounds = 0
    while (rounds < 3 || Date.now() - downSince < 3000) {
      for (const [method, path, tok, body] of routes) {
        const a = await call(method, path, tok, body)
        expect(isOutage(a), `${method} ${path} → ${a.status} ${JSON.stringify(a.body)}`).toBe(true)
      }
      rounds++
      await new Promise((r) => setTimeout(r, 200))
    }
    socket!.send({ op: "subscribe", caseId: someCase })
    socket!.send({ op: "subscribe", workflow: "plan" })
    // Answers to those two, among any error the catch-up after a lost LISTEN may have sent.
    const storageErrorAbout = (caseId: string | undefined) => () => live.some((m) => m.type === "error" && m.code === "CIVICASE_E_STORAGE" && m.caseId === caseId)
    await expect.poll(storageErrorAbout(someCase), { timeout: 10_000 }).toBe(true)
    await expect.poll(storageErrorAbout(undefined), { timeout: 10_000 }).toBe(true)
    alive()

    await startDatabase()
    // Recovered: new work goes through at the first attempt.
    const before = wrong.length
    for (const [i, worker] of workers.entries()) {
      const a = await call("POST", "/v1/cases", worker.head, { workflow: "plan", input: { title: `sau sự cố ${i}`, year: 2025 } })
      expect(a.status).toBe(201)
      acks.push({ caseId: a.body.id, rev: 1, type: "case.created" })
      const e = await call("POST", `/v1/cases/${a.body.id}/events`, worker.head, { type: "SUBMIT", payload: {} })
      expect(e.status).toBe(200)
      acks.push({ caseId: a.body.id, rev: 2, type: "SUBMIT" })
    }
    expect(wrong.length).toBe(before)
    const seenBefore = live.length
    socket!.send({ op: "subscribe", caseId: acks[acks.length - 1]!.caseId })
    await expect.poll(() => live.slice(seenBefore).some((m) => m.type === "subscribed"), { timeout: 10_000 }).toBe(true)
    alive()
  })

  it("lost nothing it acknowledged: every acknowledged event is in its case's history, and every chain verifies", async () => {
    const reader = workers[0]!.coordinator
    const byCase = new Map<string, Ack[]>()
    for (const a of acks) byCase.set(a.caseId, [...(byCase.get(a.caseId) ?? []), a])
    expect(byCase.size).toBeGreaterThan(3)
    for (const [caseId, expected] of byCase) {
      const history = await call("GET", `/v1/cases/${caseId}/history`, reader)
      expect(history.status).toBe(200)
      const rows: Array<{ rev: number; type: string }> = history.body.items
      for (const ack of expected) expect(rows.find((r) => r.rev === ack.rev)?.type, `${caseId} rev ${ack.rev}`).toBe(ack.type)
      expect(rows.map((r) => r.rev)).toEqual(rows.map((_, i) => i + 1))
      const verified = await call("GET", `/v1/cases/${caseId}/verify`, reader)
      expect(verified.body).toMatchObject({ ok: true, checked: rows.length })
    }
    // The live client never read a driver's words, and every error it read carries a registered code.
    for (const m of live.filter((x) => x.type === "error")) {
      expect(Object.hasOwn(errorCodes, m.code), JSON.stringify(m)).toBe(true)
      expect(m.detail).not.toMatch(RAW)
    }
    alive()
    const gone = new Promise<number | null>((r) => child.once("exit", (code) => r(code)))
    child.kill("SIGTERM")
    expect(await gone).toBe(0)
  })
})
