import pg from "pg"
import { type Engine, createEngine, silentLogger } from "@civicase/core"
import { postgres } from "@civicase/adapters"
import { coordinationWorkflow } from "@civicase/workflows"
import { backendCpu, walBytes, walPosition } from "./backend-cpu.js"
import { STEPS, type RecordedSteps, createTask, recordSteps, sendSteps, vinhPhuc } from "./coordination-load.js"
import { createMinimalCases, createMinimalTables, minimalRevisions, runMinimal } from "./minimal-transition.js"
import { median } from "./report.js"

/** Settings of the gate. */
export interface GateOptions {
  readonly url: string
  readonly schema: string
  readonly perRun: number
  readonly rounds: number
  readonly poolSize: number
  readonly concurrencies: ReadonlyArray<number>
  readonly progress: (text: string) => void
  /** False to run the engine with `notify: false` (no NOTIFY per commit), to see what NOTIFY costs. */
  readonly notify: boolean
}

/** What one timed run measured, per transition. */
interface Measured {
  readonly rate: number
  /** This process's CPU, µs per transition. */
  readonly nodeCpu: number
  /** The side's PostgreSQL backends' CPU, µs per transition (NaN when not readable). */
  readonly pgCpu: number
  /** Cluster-wide WAL bytes per transition. */
  readonly wal: number
}

/** One concurrency's medians. */
export interface GateRow {
  readonly concurrency: number
  readonly engine: Measured
  readonly minimal: Measured
  /** Median of each round's engine/minimal rate pair. */
  readonly ratio: number
}

const ENGINE_APP = "civicase_bench_engine"
const MINIMAL_APP = "civicase_bench_minimal"
/** The target for engine/minimal at the best concurrency. */
export const GATE_TARGET = 0.7

async function measure(admin: pg.Pool, app: string, workers: number, count: number, run: (w: number) => Promise<void>): Promise<Measured> {
  const cpuBefore = process.cpuUsage()
  const pgBefore = await backendCpu(admin, app)
  const walBefore = await walPosition(admin)
  const started = process.hrtime.bigint()
  await Promise.all(Array.from({ length: workers }, (_, w) => run(w)))
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const cpu = process.cpuUsage(cpuBefore)
  const pgAfter = await backendCpu(admin, app)
  const wal = await walBytes(admin, walBefore, await walPosition(admin))
  const n = workers * count
  return {
    rate: n / seconds,
    nodeCpu: (cpu.user + cpu.system) / n,
    pgCpu: pgBefore === null || pgAfter === null ? Number.NaN : ((pgAfter - pgBefore) * 1e6) / n,
    wal: wal / n,
  }
}

async function engineRun(engine: Engine, admin: pg.Pool, workers: number, count: number): Promise<Measured> {
  const cases = Math.ceil(count / STEPS.length)
  const ids: string[][] = []
  for (let w = 0; w < workers; w++) {
    const mine: string[] = []
    for (let i = 0; i < cases; i++) mine.push(await createTask(engine))
    ids.push(mine)
  }
  return measure(admin, ENGINE_APP, workers, count, (w) => sendSteps(engine, ids[w]!, count))
}

async function minimalRun(pool: pg.Pool, admin: pg.Pool, recorded: RecordedSteps, workers: number, count: number): Promise<Measured> {
  const cases = Math.ceil(count / STEPS.length)
  const ids: string[][] = []
  for (let w = 0; w < workers; w++) ids.push(await createMinimalCases(pool, recorded, cases))
  const before = await minimalRevisions(pool, ids.flat())
  const m = await measure(admin, MINIMAL_APP, workers, count, (w) => runMinimal(pool, recorded, ids[w]!, count))
  if ((await minimalRevisions(pool, ids.flat())) - before !== workers * count) throw new Error("the minimal side did not apply every transition")
  return m
}

const medianOf = (xs: ReadonlyArray<Measured>): Measured => ({
  rate: median(xs.map((x) => x.rate)),
  nodeCpu: median(xs.map((x) => x.nodeCpu)),
  pgCpu: median(xs.map((x) => x.pgCpu)),
  wal: median(xs.map((x) => x.wal)),
})

/**
 * The gate of issue 15: the engine on the coordination workflow against the
 * hand-written minimal transition, interleaved round by round in one run.
 *
 * @example
 * const rows = await minimalGate({ url, schema, perRun: 2000, rounds: 5, poolSize: 10, concurrencies: [8], progress })
 */
export async function minimalGate(o: GateOptions): Promise<GateRow[]> {
  const searchPath = `-c search_path=${o.schema},public`
  const enginePool = new pg.Pool({ connectionString: o.url, max: o.poolSize, idleTimeoutMillis: 0, options: searchPath, application_name: ENGINE_APP })
  const pool = new pg.Pool({ connectionString: o.url, max: o.poolSize, idleTimeoutMillis: 0, options: searchPath, application_name: MINIMAL_APP })
  const admin = new pg.Pool({ connectionString: o.url, max: 1, application_name: "civicase_bench_admin" })
  const engine = createEngine({ store: postgres({ pool: enginePool, schema: o.schema }), workflows: [coordinationWorkflow(vinhPhuc)], scheduler: false, logger: silentLogger, notify: o.notify })
  try {
    await engine.start()
    await createMinimalTables(pool)
    const recorded = await recordSteps(engine)
    o.progress("minimal gate: warming up…")
    for (let i = 0; i < 2; i++) {
      await engineRun(engine, admin, 4, STEPS.length * 2)
      await minimalRun(pool, admin, recorded, 4, STEPS.length * 2)
    }
    const rows: GateRow[] = []
    for (const c of o.concurrencies) {
      const count = Math.ceil(o.perRun / c)
      const e: Measured[] = []
      const m: Measured[] = []
      for (let round = 1; round <= o.rounds; round++) {
        const sides = round % 2 ? (["engine", "minimal"] as const) : (["minimal", "engine"] as const)
        for (const side of sides) {
          o.progress(`minimal gate, concurrency ${c}: round ${round}/${o.rounds}, ${side}…`)
          if (side === "engine") e.push(await engineRun(engine, admin, c, count))
          else m.push(await minimalRun(pool, admin, recorded, c, count))
        }
      }
      rows.push({ concurrency: c, engine: medianOf(e), minimal: medianOf(m), ratio: median(e.map((x, i) => x.rate / m[i]!.rate)) })
    }
    return rows
  } finally {
    await engine.close()
    await enginePool.end().catch(() => undefined)
    await pool.end()
    await admin.end()
  }
}

const fmt = (n: number) => (Number.isNaN(n) ? "n/a" : Math.round(n).toLocaleString("en-US"))

/** The gate's table and verdict, in Markdown. */
export function gateReport(rows: ReadonlyArray<GateRow>): string {
  const lines = [
    "| concurrency | side | tx/s | Node CPU µs/tx | PostgreSQL CPU µs/tx | WAL B/tx (cluster) | engine/minimal |",
    "|---:|---|---:|---:|---:|---:|---:|",
  ]
  for (const r of rows) {
    lines.push(`| ${r.concurrency} | engine | ${fmt(r.engine.rate)} | ${fmt(r.engine.nodeCpu)} | ${fmt(r.engine.pgCpu)} | ${fmt(r.engine.wal)} | ${r.ratio.toFixed(2)} |`)
    lines.push(`| ${r.concurrency} | minimal | ${fmt(r.minimal.rate)} | ${fmt(r.minimal.nodeCpu)} | ${fmt(r.minimal.pgCpu)} | ${fmt(r.minimal.wal)} | |`)
  }
  const top = rows.reduce((a, b) => (b.engine.rate > a.engine.rate ? b : a))
  lines.push("", `ratio engine/minimal (concurrency ${top.concurrency}): ${top.ratio.toFixed(2)} — target ≥ ${GATE_TARGET}: ${top.ratio >= GATE_TARGET ? "PASS" : "FAIL"}`)
  return lines.join("\n")
}
