import { type Kysely, type RawBuilder, sql } from "kysely"
import type { Actor } from "../actor.js"
import type { AccessPolicy } from "../engine/access.js"
import { ForbiddenError } from "../errors/errors.js"
import type { CivicaseDatabase } from "../storage/schema.js"
import { activityTypes } from "../activity/record-activity.js"
import { type CheckedSlaFilter, type SlaReportFilter, checkSlaFilter } from "./sla-filter.js"
import { stintsQuery } from "./sla-stints.js"

/**
 * Time spent in one state (thời gian xử lý ở mỗi bước), over the stints that
 * ended inside the window: a stint runs from entering the state to the next
 * transition into another state (staying in it, e.g. on a reminder, does not end it).
 */
export interface SlaStateTime {
  readonly state: string
  readonly stints: number
  readonly totalMs: number
  readonly averageMs: number
  readonly medianMs: number
  readonly p90Ms: number
}

/**
 * Deadlines of one name inside the window: met (đúng hạn) when the case moved
 * on at or before the due time, missed (trễ hạn) when the timer fired or the
 * case moved on after the due time.
 */
export interface SlaDeadlineFigures {
  readonly name: string
  readonly met: number
  readonly missed: number
}

/** SLA figures of one province, workflow and owning agency (đo lường hiệu quả). */
export interface SlaReportRow {
  readonly province: string
  readonly workflow: string
  /** The case's current owning agency (cơ quan chủ trì). */
  readonly agency: string
  /** Active cases in each state now (not limited by the window). */
  readonly casesByState: Readonly<Record<string, number>>
  /** Cases done now (not limited by the window). */
  readonly casesDone: number
  /** History rows inside the window, creations included; activities (assignments, comments, documents) are not transitions. */
  readonly transitions: number
  readonly timeInState: ReadonlyArray<SlaStateTime>
  readonly deadlines: ReadonlyArray<SlaDeadlineFigures>
  /** Deadline timers that fired inside the window (escalations and reminders: chuyển cấp). */
  readonly escalations: number
}

interface Figures {
  byState: Map<string, number>
  done: number
  transitions: number
  escalations: number
  times: SlaStateTime[]
  deadlines: Map<string, { met: number; missed: number }>
}

const n = (v: unknown) => Number(v ?? 0)

/**
 * The SLA report (báo cáo định kỳ) computed from the database, so it is exact
 * across restarts and servers: case counts from `civicase_cases`, the rest
 * from `civicase_history` (`lead(at)` over each case's entries into a state
 * gives time in state; `meta.deadline`, `meta.deadlinesMet` and
 * `meta.deadlinesMissed` give deadline outcomes). Only the actor's province;
 * roles that see the whole province get every agency, others only their own
 * agency (asking for another is `ForbiddenError`). Memory is bounded by the
 * number of rows returned, not by history.
 *
 * @example
 * const rows = await slaReport(db, access, { workflow: "press-response", from: "2025-03-01" }, coordinator)
 */
export async function slaReport(db: Kysely<CivicaseDatabase>, access: AccessPolicy, filter: SlaReportFilter, actor: Actor): Promise<SlaReportRow[]> {
  const f: CheckedSlaFilter = checkSlaFilter(filter)
  let agency = f.agency
  if (!access.seesWholeProvince(actor)) {
    if (agency !== undefined && agency !== actor.agency) throw new ForbiddenError("read another agency's SLA report", "only roles that see the whole province may")
    agency = actor.agency
  }
  const cases = sql`c.province = ${actor.province}${f.workflow ? sql` and c.workflow = ${f.workflow}` : sql``}${agency ? sql` and c.owner_agency = ${agency}` : sql``}`
  const within = (column: RawBuilder<unknown>) =>
    sql`${f.from ? sql` and ${column} >= ${f.from.toISOString()}::timestamptz` : sql``}${f.to ? sql` and ${column} < ${f.to.toISOString()}::timestamptz` : sql``}`

  const [counts, activity, times, deadlines] = await Promise.all([
    sql<{ workflow: string; agency: string; state: string; status: string; n: unknown }>`
      select c.workflow, c.owner_agency as agency, c.state, c.status, count(*) as n
      from civicase_cases c where ${cases}
      group by c.workflow, c.owner_agency, c.state, c.status`.execute(db),
    sql<{ workflow: string; agency: string; transitions: unknown; fired: unknown }>`
      select c.workflow, c.owner_agency as agency, count(*) as transitions,
        count(*) filter (where jsonb_typeof(h.meta -> 'deadline') = 'string') as fired
      from civicase_history h join civicase_cases c on c.id = h.case_id
      where ${cases}${within(sql.ref("h.at"))} and h.type not in (${sql.join([...activityTypes])})
      group by c.workflow, c.owner_agency`.execute(db),
    stintsQuery(cases, f).execute(db),
    sql<{ workflow: string; agency: string; name: string; outcome: "met" | "missed"; n: unknown }>`
      select c.workflow, c.owner_agency as agency, d.name, d.outcome, count(*) as n
      from civicase_history h join civicase_cases c on c.id = h.case_id
      cross join lateral (
        select h.meta ->> 'deadline' as name, 'missed' as outcome where jsonb_typeof(h.meta -> 'deadline') = 'string'
        union all
        select e, 'met' from jsonb_array_elements_text(case when jsonb_typeof(h.meta -> 'deadlinesMet') = 'array' then h.meta -> 'deadlinesMet' else '[]'::jsonb end) e
        union all
        select e, 'missed' from jsonb_array_elements_text(case when jsonb_typeof(h.meta -> 'deadlinesMissed') = 'array' then h.meta -> 'deadlinesMissed' else '[]'::jsonb end) e
      ) d
      where h.meta is not null and ${cases}${within(sql.ref("h.at"))}
      group by c.workflow, c.owner_agency, d.name, d.outcome`.execute(db),
  ])

  const rows = new Map<string, Figures>()
  const entry = (workflow: string, agency: string): Figures => {
    const key = JSON.stringify([workflow, agency])
    let e = rows.get(key)
    if (!e) rows.set(key, (e = { byState: new Map(), done: 0, transitions: 0, escalations: 0, times: [], deadlines: new Map() }))
    return e
  }
  for (const c of counts.rows) {
    const e = entry(c.workflow, c.agency)
    if (c.status === "done") e.done += n(c.n)
    else e.byState.set(c.state, (e.byState.get(c.state) ?? 0) + n(c.n))
  }
  for (const a of activity.rows) {
    const e = entry(a.workflow, a.agency)
    e.transitions = n(a.transitions)
    e.escalations = n(a.fired)
  }
  for (const t of times.rows) {
    const stints = n(t.stints)
    const totalMs = Math.round(n(t.total))
    entry(t.workflow, t.agency).times.push({ state: t.state, stints, totalMs, averageMs: Math.round(totalMs / stints), medianMs: Math.round(n(t.median)), p90Ms: Math.round(n(t.p90)) })
  }
  for (const d of deadlines.rows) {
    const figures = entry(d.workflow, d.agency).deadlines
    const o = figures.get(d.name) ?? { met: 0, missed: 0 }
    o[d.outcome] += n(d.n)
    figures.set(d.name, o)
  }
  return [...rows.entries()]
    .map(([key, e]): SlaReportRow => {
      const [workflow, agency] = JSON.parse(key) as [string, string]
      return {
        province: actor.province,
        workflow,
        agency,
        casesByState: Object.fromEntries(e.byState),
        casesDone: e.done,
        transitions: e.transitions,
        timeInState: e.times.sort((x, y) => x.state.localeCompare(y.state)),
        deadlines: [...e.deadlines].map(([name, o]) => ({ name, ...o })).sort((x, y) => x.name.localeCompare(y.name)),
        escalations: e.escalations,
      }
    })
    .sort((x, y) => x.workflow.localeCompare(y.workflow) || x.agency.localeCompare(y.agency))
}
