/**
 * Work-list and search queries of the engine against hand-written plain SQL
 * returning the same rows, at growing numbers of cases, on the PostgreSQL
 * server of `DATABASE_URL`. Run with
 * `npx tsx --conditions=source bench/worklist.ts [sizes]`; see docs/performance.md.
 *
 * The cases: a sample made through the engine (demo workflow, ten agencies,
 * every state, some claimed), then copied in bulk with SQL: `civicase_cases`
 * and `civicase_case_text` rows exactly as the engine wrote them for the
 * sample (waiting tokens, title, search text), with new ids, times an hour
 * older per generation, and assignees renamed per generation (each person
 * keeps a list of their own size). Open work is bounded by the people who do
 * it, history grows: the first OPEN_GENERATIONS copy every sample case, later
 * ones only the done cases. History, timer and outbox rows are not copied
 * (none of the measured queries reads them).
 *
 * Settings: argument or BENCH_CASES, comma-separated sizes (default
 * "10000,100000"); BENCH_ROUNDS (default 15).
 */
import pg from "pg"
import { type Actor, type CaseFilter, type Engine, createEngine, silentLogger } from "@civicase/core"
import { demoActors, demoWorkflow } from "@civicase/core/demo"
import { postgres } from "@civicase/adapters"
import { median } from "./report.js"
import { admin } from "./admin.js"

function positiveInts(name: string, raw: string): number[] {
  return raw.split(",").map((s) => {
    const n = Number(s.trim().replace(/k$/i, "000"))
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must list positive integers (10000 or 10k), got "${s}"`)
    return n
  })
}

const url = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test"
const sizes = positiveInts("sizes", process.argv[2] ?? process.env.BENCH_CASES ?? "10000,100000").sort((a, b) => a - b)
const rounds = positiveInts("BENCH_ROUNDS", process.env.BENCH_ROUNDS ?? "15")[0]!
const schema = `bench_wl_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
const searchPath = `-c search_path=${schema},public`
const PROVINCE = "demo"
const AGENCIES = Array.from({ length: 10 }, (_, i) => `so-${String.fromCharCode(97 + i)}`)
const PER_AGENCY = 16
const OPEN_GENERATIONS = 25
const TOPICS = ["Sạt lở đất", "Ngập lụt", "Kế hoạch tuyên truyền", "Phản ánh báo chí", "Vi phạm hành chính", "Khen thưởng tập thể", "Cháy rừng", "Ô nhiễm môi trường"]
const PLACES = ["Tam Đảo", "Vĩnh Yên", "Phúc Yên", "Lập Thạch", "Sông Lô", "Bình Xuyên", "Yên Lạc", "Tam Dương", "Vĩnh Tường"]

const officer = (agency: string): Actor => ({ id: `officer-${agency}`, province: PROVINCE, agency, roles: ["agency_officer"] })
const head = (agency: string): Actor => ({ id: `head-${agency}`, province: PROVINCE, agency, roles: ["agency_head"] })
const coordinator = demoActors.coordinator
const progress = (text: string) => process.stderr.write(process.stderr.isTTY ? `\r\x1b[K${text}` : `${text}\n`)

/** The sample, through the engine: per agency, cases in draft, review, approved and closed; a few claimed. */
async function makeSample(engine: Engine): Promise<string[]> {
  for (const agency of AGENCIES) {
    for (const a of [officer(agency), head(agency)]) await engine.people.upsert({ id: a.id, agency, name: `Cán bộ ${a.id}`, roles: [...a.roles] }, coordinator)
  }
  await engine.people.upsert({ id: coordinator.id, agency: coordinator.agency, name: "Điều phối viên", roles: [...coordinator.roles] }, coordinator)
  const ids: string[] = []
  let n = 0
  for (const agency of AGENCIES) {
    for (let i = 0; i < PER_AGENCY; i++, n++) {
      const title = `${TOPICS[n % TOPICS.length]} ở ${PLACES[Math.floor(n / TOPICS.length) % PLACES.length]} (${agency} ${i})`
      const c = await engine.createCase("demo", { title }, officer(agency))
      ids.push(c.id)
      const stage = i % 4
      if (stage === 0 && i % 8 === 0) await engine.assign(c.id, { assignee: head(agency).id }, head(agency))
      if (stage >= 1) await engine.send(c.id, { type: "SUBMIT" }, head(agency))
      if (stage === 1 && i % 8 === 1) await engine.assign(c.id, { assignee: coordinator.id }, coordinator)
      if (stage >= 2) await engine.send(c.id, { type: "APPROVE" }, coordinator)
      if (stage === 3) await engine.send(c.id, { type: "CLOSE", payload: { result: "xong", reason: "đã xử lý" } }, head(agency))
    }
  }
  return ids
}

const COLUMNS =
  "province, workflow, version, state, state_value, status, context, snapshot, rev, owner_agency, lead_agency, cooperating_agencies, agencies, deadlines, next_due_at, head_hash, created_by, waiting, title, assignee_scope"

/** Copies sample rows until the database holds `target` cases; generation g is g hours older than the sample. */
async function fillTo(pool: pg.Pool, sample: ReadonlyArray<string>, target: number, state: { cases: number; generation: number }): Promise<void> {
  while (state.cases < target) {
    const batch = Math.min(target - state.cases, 20_000)
    const { rows } = await pool.query<{ g: number; n: number }>(
      `with src as materialized (
         select gen_random_uuid() as nid, s.id as sid, g
         from civicase_cases s cross join generate_series($2::int, $2::int + 5000) g
         where s.id = any($1::uuid[]) and (g < ${OPEN_GENERATIONS} or s.status = 'done')
         order by g, s.id limit $3
       ), cases as (
         insert into civicase_cases (id, ${COLUMNS}, create_key, created_at, updated_at, assignee)
         select src.nid, ${COLUMNS.split(", ").map((c) => `s.${c}`).join(", ")}, null,
                s.created_at - make_interval(hours => src.g), s.updated_at - make_interval(hours => src.g),
                case when s.assignee is null then null else s.assignee || '~' || src.g end
         from src join civicase_cases s on s.id = src.sid
         returning id
       ), texts as (
         insert into civicase_case_text (case_id, province, doc)
         select src.nid, t.province, t.doc from src join civicase_case_text t on t.case_id = src.sid
         returning case_id
       )
       select max(g)::int as g, count(*)::int as n from src`,
      [sample, state.generation, batch],
    )
    state.cases += rows[0]!.n
    state.generation = rows[0]!.g + 1
    progress(`filled ${state.cases} cases…`)
  }
}

/** One query, timed through the engine and as plain SQL, checked to return the same rows. */
interface Probe {
  readonly name: string
  readonly actor: Actor
  readonly filter: CaseFilter
  readonly sql: string
  readonly params: ReadonlyArray<unknown>
}

const probes: ReadonlyArray<Probe> = [
  {
    name: "assignee=me&actionable=true (agency head)",
    actor: head("so-a"),
    filter: { assignee: head("so-a").id, actionable: true },
    sql: `select * from civicase_cases where province = $1 and agencies @> array[$2]::text[] and assignee = $3 and status = 'active'
          and waiting && $4::text[] order by created_at, id limit 50`,
    params: [PROVINCE, "so-a", head("so-a").id, ["agency_head@so-a", "agency_head@*"]],
  },
  {
    name: "actionable=true (coordinator, province-wide)",
    actor: coordinator,
    filter: { actionable: true },
    sql: `select * from civicase_cases where province = $1 and status = 'active' and waiting && $2::text[] and (assignee is null or assignee = $3)
          order by created_at, id limit 50`,
    params: [PROVINCE, [`coordinator@${coordinator.agency}`, "coordinator@*"], coordinator.id],
  },
  {
    name: 'q="sat lo" (coordinator)',
    actor: coordinator,
    filter: { q: "sat lo" },
    sql: `select c.* from civicase_cases c join civicase_case_text t on t.case_id = c.id
          where c.province = $1 and t.doc @@ to_tsquery('simple', 'sat:* & lo:*') order by c.created_at, c.id limit 50`,
    params: [PROVINCE],
  },
  {
    name: 'q="sat lo tam dao" (coordinator)',
    actor: coordinator,
    filter: { q: "sat lo tam dao" },
    sql: `select c.* from civicase_cases c join civicase_case_text t on t.case_id = c.id
          where c.province = $1 and t.doc @@ to_tsquery('simple', 'sat:* & lo:* & tam:* & dao:*') order by c.created_at, c.id limit 50`,
    params: [PROVINCE],
  },
]

interface Timing {
  readonly engineMs: number
  readonly rawMs: number
  readonly ratio: number
  readonly rows: number
}

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6

async function measure(engine: Engine, pool: pg.Pool, probe: Probe): Promise<Timing> {
  const viaEngine = async () => (await engine.listCases(probe.filter, probe.actor)).items.map((c) => c.id)
  const viaSql = async () => (await pool.query<{ id: string }>(probe.sql, [...probe.params])).rows.map((r) => r.id)
  const [e0, r0] = [await viaEngine(), await viaSql()]
  if (JSON.stringify(e0) !== JSON.stringify(r0)) throw new Error(`${probe.name}: the engine returned ${e0.length} rows, plain SQL ${r0.length}, not the same: the baseline no longer matches the engine's query`)
  for (let i = 0; i < 3; i++) await Promise.all([viaEngine(), viaSql()])
  const e: number[] = []
  const r: number[] = []
  for (let round = 0; round < rounds; round++) {
    // Alternate which side goes first so drift in machine load falls on both.
    for (const side of round % 2 ? ["sql", "engine"] : ["engine", "sql"]) {
      const start = process.hrtime.bigint()
      if (side === "engine") await viaEngine()
      else await viaSql()
      ;(side === "engine" ? e : r).push(ms(start))
    }
  }
  return { engineMs: median(e), rawMs: median(r), ratio: median(e.map((x, i) => x / r[i]!)), rows: e0.length }
}

async function main(): Promise<void> {
  try {
    await admin(url, (c) => c.query(`create schema "${schema}"`))
  } catch (e) {
    throw new Error(`cannot create a schema on ${url.replace(/:[^:@/]*@/, ":***@")} (set DATABASE_URL to a PostgreSQL server): ${(e as Error).message}`)
  }
  process.once("SIGINT", () => void admin(url, (c) => c.query(`drop schema if exists "${schema}" cascade`)).finally(() => process.exit(130)))
  const engine = createEngine({ store: postgres({ connectionString: url, schema, max: 4 }), workflows: [demoWorkflow], scheduler: false, logger: silentLogger })
  const pool = new pg.Pool({ connectionString: url, max: 4, options: searchPath })
  try {
    await engine.start()
    progress("creating the sample through the engine…")
    const sample = await makeSample(engine)
    const results = new Map<number, Timing[]>()
    const filled = { cases: sample.length, generation: 1 }
    for (const size of sizes) {
      await fillTo(pool, sample, size, filled)
      await pool.query("vacuum analyze civicase_cases")
      await pool.query("vacuum analyze civicase_case_text")
      const { rows } = await pool.query<{ n: number; open: number }>("select count(*)::int as n, count(*) filter (where status = 'active')::int as open from civicase_cases")
      progress(`${rows[0]!.n} cases (${rows[0]!.open} open): timing…`)
      const timings: Timing[] = []
      for (const probe of probes) timings.push(await measure(engine, pool, probe))
      results.set(size, timings)
      if (process.stderr.isTTY) process.stderr.write("\n")
    }
    console.log(`\nlistCases (first page of 50) against plain SQL returning the same rows, median of ${rounds} rounds; ratio: median of each round's engine/SQL pair\n`)
    console.log("| query | cases | rows | engine ms | SQL ms | engine/SQL |")
    console.log("|---|---:|---:|---:|---:|---:|")
    for (const [size, timings] of results) {
      timings.forEach((t, i) => console.log(`| ${probes[i]!.name} | ${size.toLocaleString("en-US")} | ${t.rows} | ${t.engineMs.toFixed(2)} | ${t.rawMs.toFixed(2)} | ${t.ratio.toFixed(2)} |`))
    }
    if (sizes.length > 1) {
      const [small, large] = [sizes[0]!, sizes[sizes.length - 1]!]
      console.log(`\ngrowth from ${small.toLocaleString("en-US")} to ${large.toLocaleString("en-US")} cases (${(large / small).toFixed(0)}× the cases):\n`)
      console.log("| query | engine | SQL |")
      console.log("|---|---:|---:|")
      probes.forEach((p, i) => {
        const a = results.get(small)![i]!
        const b = results.get(large)![i]!
        console.log(`| ${p.name} | ${(b.engineMs / a.engineMs).toFixed(2)}× | ${(b.rawMs / a.rawMs).toFixed(2)}× |`)
      })
    }
  } finally {
    await engine.close()
    await pool.end()
    await admin(url, (c) => c.query(`drop schema if exists "${schema}" cascade`))
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e)
  process.exitCode = 1
})
