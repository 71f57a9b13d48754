import { type Kysely, sql } from "kysely"
import { AccessPolicy } from "../../engine/access.js"
import { slaReport } from "../../reports/sla-report.js"
import type { CivicaseDatabase } from "../../storage/schema.js"
import { type Plugin, definePlugin } from "../plugin.js"

/** Time spent in one state, over the stints that ended (the case left the state). */
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
  /** Transitions recorded in history. */
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

/** The operator's view: the system actor this policy issues for a province passes every visibility rule. */
const operator = new AccessPolicy()

/**
 * The SLA metrics plugin (theo dõi thời hạn), a small example of a plugin that
 * reads the engine's database from `onStart`: `report()` gives, per province,
 * workflow and owning agency, case counts by state, transitions, time in each
 * state and deadlines met or missed. The figures are those of
 * `engine.reports.sla` (computed from history, so exact across restarts and
 * servers), for every province, without an actor: expose them only to
 * operators. Embedders serving people use `engine.reports.sla(filter, actor)`,
 * which authorizes.
 *
 * @example
 * const sla = slaMetricsPlugin()
 * const engine = createEngine({ store, workflows, plugins: [sla] })
 * const rows = await sla.report({ workflow: "press-response" })
 * // [{ workflow: "press-response", agency: "so-tttt", casesByState: { triage: 2 }, deadlines: [{ name: "triageDeadline", met: 5, missed: 1 }], ... }]
 */
export function slaMetricsPlugin(): SlaMetricsPlugin {
  let db: Kysely<CivicaseDatabase> | undefined
  const plugin: SlaMetricsPlugin = {
    ...definePlugin<Plugin>({
      name: "civicase.sla-metrics",
      hooks: {
        onStart(ctx) {
          db = ctx.db
        },
      },
    }),
    async report(filter = {}) {
      if (!db) throw new Error("slaMetricsPlugin.report: the engine has not started; call engine.start() first")
      const provinces = filter.province
        ? [filter.province]
        : (await sql<{ province: string }>`select distinct province from civicase_cases order by province`.execute(db)).rows.map((r) => r.province)
      const rows: SlaRow[] = []
      for (const province of provinces) {
        const report = await slaReport(db, operator, { ...(filter.workflow ? { workflow: filter.workflow } : {}), ...(filter.agency ? { agency: filter.agency } : {}) }, operator.systemActor(province))
        for (const r of report) {
          rows.push({
            province: r.province,
            workflow: r.workflow,
            agency: r.agency,
            casesByState: r.casesByState,
            casesDone: r.casesDone,
            transitions: r.transitions,
            timeInState: r.timeInState.map(({ state, stints, totalMs, averageMs }) => ({ state, stints, totalMs, averageMs })),
            deadlines: r.deadlines,
          })
        }
      }
      return rows.sort((x, y) => x.province.localeCompare(y.province) || x.workflow.localeCompare(y.workflow) || x.agency.localeCompare(y.agency))
    },
  }
  return plugin
}
