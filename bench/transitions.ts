/**
 * Transition throughput of the engine, measured on the PostgreSQL server of
 * `DATABASE_URL`. Run with `npm run bench`; see docs/performance.md.
 *
 * First the gate of issue 15 (`minimal-gate.ts`): the engine on the
 * coordination workflow against a hand-written minimal transition (BEGIN;
 * SELECT … FOR UPDATE; UPDATE … WHERE rev; INSERT history; COMMIT), at
 * BENCH_GATE_CONCURRENCY (default 8), printing the ratio, its target and
 * PASS/FAIL. Then, with BENCH_REPLAY=1, the older comparison below against a
 * raw `pg` replay of the engine's own SQL.
 *
 * Each worker drives its own case with the demo workflow's `NOTE` self-loop.
 * The raw side replays statements recorded from the engine (same text, same
 * parameters, only the case id changed), through a pool of the same size.
 *
 * Settings (environment): DATABASE_URL, BENCH_TRANSITIONS (per run, default
 * 2000), BENCH_ROUNDS (default 5), BENCH_POOL (default 10),
 * BENCH_CONCURRENCY (replay, default "1,4,16,64"), BENCH_GATE_CONCURRENCY (default "8"),
 * BENCH_REPLAY (1 to run the replay comparison too), BENCH_NOTIFY (0: the gate's engine sends no NOTIFY).
 */
import pg from "pg"
import { type Engine, createEngine, silentLogger } from "@civicase/core"
import { demoActors, demoWorkflow } from "@civicase/core/demo"
import { postgres } from "@civicase/adapters"
import { type RawScript, type RecordedCase, createRawCases, rawScript, runRawScript } from "./raw-baseline.js"
import { type Row, best, median, table } from "./report.js"
import { SqlRecorder } from "./sql-recorder.js"
import { gateReport, minimalGate } from "./minimal-gate.js"
import { admin } from "./admin.js"

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === "") return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`)
  return n
}

const url = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test"
const perRun = positiveInt("BENCH_TRANSITIONS", 2000)
const rounds = positiveInt("BENCH_ROUNDS", 5)
const poolSize = positiveInt("BENCH_POOL", 10)
function positiveInts(name: string, fallback: string): number[] {
  return (process.env[name] || fallback).split(",").map((s) => {
    const n = Number(s.trim())
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must list positive integers, got "${s}"`)
    return n
  })
}
const concurrencies = positiveInts("BENCH_CONCURRENCY", "1,4,16,64")
const gateConcurrencies = positiveInts("BENCH_GATE_CONCURRENCY", "8")
const replay = process.env.BENCH_REPLAY === "1"
/** Notes per case before a worker moves to a fresh case, so documents stay a realistic size. */
const NOTES_PER_CASE = 50
const actor = demoActors.officer
const schema = `bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
const searchPath = `-c search_path=${schema},public`

const noteOf = (i: number) => ({ type: "NOTE", payload: { text: `note ${i % NOTES_PER_CASE}` } })
const progress = (text: string) => process.stderr.write(process.stderr.isTTY ? `\r\x1b[K${text}` : `${text}\n`)

/** Records what the engine sends to create a case and apply NOTES_PER_CASE notes, one call at a time. */
async function record(): Promise<RecordedCase> {
  const recorder = new SqlRecorder({ connectionString: url, max: 1, options: searchPath })
  const engine = createEngine({ store: postgres({ pool: recorder.pool }), workflows: [demoWorkflow], scheduler: false, logger: silentLogger })
  try {
    await engine.start()
    let caseId = ""
    const create = await recorder.during(async () => {
      caseId = (await engine.createCase("demo", { title: "bench" }, actor)).id
    })
    const transitions = []
    for (let i = 0; i < NOTES_PER_CASE; i++) transitions.push(await recorder.during(() => engine.send(caseId, noteOf(i), actor)))
    return { caseId, create, transitions }
  } finally {
    await engine.close()
    await recorder.pool.end()
  }
}

/** What one timed run measured. */
interface Measured {
  /** Transitions per second. */
  readonly rate: number
  /** This process's CPU time (user + system) per transition, in microseconds: the client-side cost, which machine load does not inflate as it does wall time. */
  readonly cpu: number
}

/** Runs `workers` concurrently after `prepare` (untimed). */
async function timed<P>(workers: number, prepare: (w: number) => Promise<P>, run: (p: P) => Promise<void>, count: number): Promise<Measured> {
  const prepared = await Promise.all(Array.from({ length: workers }, (_, w) => prepare(w)))
  const cpuBefore = process.cpuUsage()
  const started = process.hrtime.bigint()
  await Promise.all(prepared.map(run))
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const cpu = process.cpuUsage(cpuBefore)
  return { rate: (workers * count) / seconds, cpu: (cpu.user + cpu.system) / (workers * count) }
}

async function engineRun(engine: Engine, workers: number, count: number): Promise<Measured> {
  return timed(
    workers,
    async () => {
      const ids: string[] = []
      for (let i = 0; i < Math.ceil(count / NOTES_PER_CASE); i++) ids.push((await engine.createCase("demo", { title: "bench" }, actor)).id)
      return ids
    },
    async (ids) => {
      for (let i = 0; i < count; i++) await engine.send(ids[Math.floor(i / NOTES_PER_CASE)]!, noteOf(i), actor)
    },
    count,
  )
}

async function rawRun(pool: pg.Pool, recorded: RecordedCase, workers: number, count: number): Promise<Measured> {
  const scripts: RawScript[] = []
  const measured = await timed(
    workers,
    async () => {
      const script = rawScript(recorded, count)
      await createRawCases(pool, script)
      scripts.push(script)
      return script
    },
    (script) => runRawScript(pool, script),
    count,
  )
  // The replay must really have moved every case (an optimistic check that matched nothing would flatter the baseline).
  const ids = scripts.flatMap((s) => s.caseIds)
  const expected = scripts.reduce((n, s) => n + s.transitions.length + s.caseIds.length, 0)
  const { rows } = await pool.query<{ n: number }>("select coalesce(sum(rev), 0)::int as n from civicase_cases where id = any($1::uuid[])", [ids])
  if (rows[0]?.n !== expected) throw new Error(`raw replay applied ${rows[0]?.n} revisions, expected ${expected}: the recorded statements no longer replay`)
  return measured
}

let interrupted = false

async function main(): Promise<void> {
  try {
    await admin(url, (c) => c.query(`create schema "${schema}"`))
  } catch (e) {
    throw new Error(`cannot create a schema on ${url.replace(/:[^:@/]*@/, ":***@")} (set DATABASE_URL to a PostgreSQL server): ${(e as Error).message}`)
  }
  // Ctrl-C mid-run would otherwise leave the schema behind.
  process.once("SIGINT", () => {
    interrupted = true
    void admin(url, (c) => c.query(`drop schema if exists "${schema}" cascade`)).finally(() => process.exit(130))
  })
  let engine: Engine | undefined
  let pool: pg.Pool | undefined
  try {
    const gate = await minimalGate({ url, schema, perRun, rounds, poolSize, concurrencies: gateConcurrencies, progress, notify: process.env.BENCH_NOTIFY !== "0" })
    console.log(
      `\nengine (coordination workflow${process.env.BENCH_NOTIFY === "0" ? ", notify: false" : ""}) against the minimal transition, ${perRun} transitions per run, median of ${rounds} rounds (ratio: median of each round's pair), pool ${poolSize}\n`,
    )
    console.log(gateReport(gate))
    if (!replay) return
    progress("recording the engine's statements…")
    const recorded = await record()
    const counts = [...new Set(recorded.transitions.map((t) => t.length))].sort()
    const statementsPerTransition = counts.join(" or ")
    engine = createEngine({ store: postgres({ connectionString: url, schema, max: poolSize }), workflows: [demoWorkflow], scheduler: false, logger: silentLogger })
    await engine.start()
    pool = new pg.Pool({ connectionString: url, max: poolSize, options: searchPath })

    progress("warming up…")
    for (let i = 0; i < 2; i++) {
      await engineRun(engine, 4, 250)
      await rawRun(pool, recorded, 4, 250)
    }

    const rows: Row[] = []
    for (const c of concurrencies) {
      const count = Math.ceil(perRun / c)
      const e: Measured[] = []
      const r: Measured[] = []
      for (let round = 1; round <= rounds; round++) {
        // Alternate which side goes first so drift in machine load falls on both.
        const sides = round % 2 ? (["engine", "raw"] as const) : (["raw", "engine"] as const)
        for (const side of sides) {
          progress(`concurrency ${c}: round ${round}/${rounds}, ${side}…`)
          if (side === "engine") e.push(await engineRun(engine, c, count))
          else r.push(await rawRun(pool, recorded, c, count))
        }
      }
      const row: Row = {
        concurrency: c,
        engine: median(e.map((x) => x.rate)),
        raw: median(r.map((x) => x.rate)),
        ratio: median(e.map((x, i) => x.rate / r[i]!.rate)),
        engineCpu: median(e.map((x) => x.cpu)),
        rawCpu: median(r.map((x) => x.cpu)),
      }
      rows.push(row)
      progress(`concurrency ${c}: engine ${Math.round(row.engine)} tx/s, raw ${Math.round(row.raw)} tx/s, ratio ${row.ratio.toFixed(2)}`)
      if (process.stderr.isTTY) process.stderr.write("\n")
    }

    const top = best(rows)
    const peakRaw = Math.max(...rows.map((x) => x.raw))
    console.log(
      `\nsend() throughput, demo workflow NOTE self-loop, ${perRun} transitions per run, median of ${rounds} rounds (ratio: median of each round's engine/raw pair), pool ${poolSize}, ` +
        `${statementsPerTransition} statements (round trips) per transition\n`,
    )
    console.log(table(rows))
    console.log(`\npeak engine / peak raw: ${(top.engine / peakRaw).toFixed(2)}`)
    console.log(`best concurrency: ${top.concurrency}`)
    console.log(`ratio engine/raw: ${top.ratio.toFixed(2)}`)
  } finally {
    await engine?.close()
    await pool?.end()
    await admin(url, (c) => c.query(`drop schema if exists "${schema}" cascade`))
  }
}

main().catch((e) => {
  if (interrupted) return // the schema was dropped under the running queries
  console.error(e instanceof Error ? e.message : e)
  process.exitCode = 1
})
