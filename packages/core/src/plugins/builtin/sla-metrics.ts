import { type Kysely, sql } from "kysely"
import type { CommittedTransition } from "../../engine/types.js"
import type { CivicaseDatabase } from "../../storage/schema.js"
import { type Plugin, definePlugin } from "../plugin.js"

/** Time spent in one state, over the stints that ended while the engine watched. */
export interface StateTime {
  readonly state: string
  /** Stints that ended (the case left the state). */
  readonly stints: number
  readonly totalMs: number
  readonly averageMs: number
}

/** Deadlines of one name: met (left in time) or missed (the timer fired, or left late). */
export interface DeadlineOutcome {
  readonly name: string
  readonly met: number
  readonly missed: number
}

/** SLA figures for one workflow and owning agency (đo lường hiệu quả). */
export interface SlaRow {
  readonly province: string
  readonly workflow: string
  readonly agency: string
  /** Cases now in each state (active cases), read from the database. */
  readonly casesByState: Readonly<Record<string, number>>
  /** Cases done, read from the database. */
  readonly casesDone: number
  /** Transitions committed by this engine since it started. */
  readonly transitions: number
  readonly timeInState: ReadonlyArray<StateTime>
  readonly deadlines: ReadonlyArray<DeadlineOutcome>
}

/** Filters of `report`. */
export interface SlaFilter {
  readonly province?: string
  readonly workflow?: string
  readonly agency?: string
}

/** The SLA plugin, with its `report` method. */
export interface SlaMetricsPlugin extends Plugin {
  /** Figures per province, workflow and owning agency, sorted. Needs a started engine. */
  report(filter?: SlaFilter): Promise<SlaRow[]>
}

interface Bucket {
  transitions: number
  states: Map<string, { stints: number; totalMs: number }>
  deadlines: Map<string, { met: number; missed: number }>
}

interface Watched {
  key: string
  state: string
  /** Unknown for cases already open when the engine started. */
  enteredAt: number | undefined
  pending: Map<string, string>
}

const keyOf = (province: string, workflow: string, agency: string) => JSON.stringify([province, workflow, agency])

/**
 * The SLA metrics plugin (theo dõi thời hạn): counts transitions, time spent
 * in each state, and deadlines met or missed, per workflow and owning
 * agency, from the commits it sees after `afterCommit`, and reads case counts
 * by state from the database. It compares each case's pending deadlines
 * before and after a commit: a deadline that disappears because its timer
 * fired is missed; one cancelled because the case moved on before its due
 * time is met. Deadlines pending at start are loaded from the database, so
 * a restart loses only time-in-state of stints then open. Figures are per
 * engine process: with several servers, add their reports up. An example
 * of `afterCommit`: for figures to publish, use `engine.reports.sla`, which
 * computes them from the database and is exact across restarts and servers.
 *
 * @example
 * const sla = slaMetricsPlugin()
 * const engine = createEngine({ store, workflows, plugins: [sla] })
 * const rows = await sla.report({ workflow: "press-response" })
 * // [{ workflow: "press-response", agency: "so-tttt", casesByState: { triage: 2 }, deadlines: [{ name: "triageDeadline", met: 5, missed: 1 }], ... }]
 */
export function slaMetricsPlugin(): SlaMetricsPlugin {
  const buckets = new Map<string, Bucket>()
  const cases = new Map<string, Watched>()
  let db: Kysely<CivicaseDatabase> | undefined

  const bucket = (key: string): Bucket => {
    let b = buckets.get(key)
    if (!b) buckets.set(key, (b = { transitions: 0, states: new Map(), deadlines: new Map() }))
    return b
  }
  const outcome = (b: Bucket, name: string, met: boolean) => {
    const d = b.deadlines.get(name) ?? { met: 0, missed: 0 }
    if (met) d.met++
    else d.missed++
    b.deadlines.set(name, d)
  }

  function observe(t: CommittedTransition): void {
    const key = keyOf(t.province, t.workflow, t.agencies[0] ?? "")
    const b = bucket(key)
    b.transitions++
    const at = Date.parse(t.at)
    const fired = typeof t.meta.deadline === "string" ? t.meta.deadline : undefined
    const known = cases.get(t.caseId)
    const watched: Watched = known ?? { key, state: t.to, enteredAt: t.from === null ? at : undefined, pending: new Map() }
    if (known) {
      for (const [name, dueAt] of known.pending) {
        const still = t.deadlines.some((d) => d.name === name && d.dueAt === dueAt)
        if (!still) outcome(b, name, fired !== name && at <= Date.parse(dueAt))
      }
      if (t.to !== known.state) {
        if (known.enteredAt !== undefined) {
          const s = b.states.get(known.state) ?? { stints: 0, totalMs: 0 }
          s.stints++
          s.totalMs += at - known.enteredAt
          b.states.set(known.state, s)
        }
        watched.state = t.to
        watched.enteredAt = at
      }
    } else if (fired) {
      outcome(b, fired, false)
    }
    watched.pending = new Map(t.deadlines.map((d) => [d.name, d.dueAt]))
    if (t.status === "done") cases.delete(t.caseId)
    else cases.set(t.caseId, watched)
  }

  const plugin: SlaMetricsPlugin = {
    ...definePlugin<Plugin>({
      name: "civicase.sla-metrics",
      hooks: {
        async onStart(ctx) {
          db = ctx.db
          let after = "00000000-0000-0000-0000-000000000000"
          for (;;) {
            const rows = (
              await sql<{ id: string; province: string; workflow: string; owner_agency: string; state: string; deadlines: Array<{ name: string; dueAt: string }> }>`
                select id, province, workflow, owner_agency, state, deadlines from civicase_cases
                where status = 'active' and id > ${after} order by id limit 1000`.execute(ctx.db)
            ).rows
            for (const r of rows) {
              if (cases.has(r.id)) continue
              cases.set(r.id, {
                key: keyOf(r.province, r.workflow, r.owner_agency),
                state: r.state,
                enteredAt: undefined,
                pending: new Map((r.deadlines ?? []).map((d) => [d.name, d.dueAt])),
              })
            }
            if (rows.length < 1000) break
            after = rows[rows.length - 1]!.id
          }
        },
        afterCommit: observe,
      },
    }),
    async report(filter = {}) {
      if (!db) throw new Error("slaMetricsPlugin.report: the engine has not started; call engine.start() first")
      const counts = (
        await sql<{ province: string; workflow: string; owner_agency: string; state: string; status: string; n: string | number }>`
          select province, workflow, owner_agency, state, status, count(*) as n from civicase_cases
          where true
          ${filter.province ? sql`and province = ${filter.province}` : sql``}
          ${filter.workflow ? sql`and workflow = ${filter.workflow}` : sql``}
          ${filter.agency ? sql`and owner_agency = ${filter.agency}` : sql``}
          group by province, workflow, owner_agency, state, status`.execute(db)
      ).rows
      const rows = new Map<string, { byState: Record<string, number>; done: number }>()
      const entry = (key: string) => {
        let e = rows.get(key)
        if (!e) rows.set(key, (e = { byState: {}, done: 0 }))
        return e
      }
      for (const c of counts) {
        const e = entry(keyOf(c.province, c.workflow, c.owner_agency))
        if (c.status === "done") e.done += Number(c.n)
        else e.byState[c.state] = (e.byState[c.state] ?? 0) + Number(c.n)
      }
      for (const key of buckets.keys()) {
        const [province, workflow, agency] = JSON.parse(key) as [string, string, string]
        if ((filter.province && province !== filter.province) || (filter.workflow && workflow !== filter.workflow) || (filter.agency && agency !== filter.agency)) continue
        entry(key)
      }
      return [...rows.entries()]
        .map(([key, e]): SlaRow => {
          const [province, workflow, agency] = JSON.parse(key) as [string, string, string]
          const b = buckets.get(key)
          return {
            province,
            workflow,
            agency,
            casesByState: e.byState,
            casesDone: e.done,
            transitions: b?.transitions ?? 0,
            timeInState: [...(b?.states ?? new Map<string, { stints: number; totalMs: number }>())]
              .map(([state, s]) => ({ state, stints: s.stints, totalMs: s.totalMs, averageMs: Math.round(s.totalMs / s.stints) }))
              .sort((x, y) => x.state.localeCompare(y.state)),
            deadlines: [...(b?.deadlines ?? new Map<string, { met: number; missed: number }>())]
              .map(([name, d]) => ({ name, ...d }))
              .sort((x, y) => x.name.localeCompare(y.name)),
          }
        })
        .sort((x, y) => x.province.localeCompare(y.province) || x.workflow.localeCompare(y.workflow) || x.agency.localeCompare(y.agency))
    },
  }
  return plugin
}
