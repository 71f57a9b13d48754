import { type Actor, type Engine, ForbiddenError, StorageError, ValidationError, type ValidationIssue, classifyDatabaseError } from "@civicase/core"
import { sql } from "kysely"

/** What `planIndicatorReport` covers: one plan year, one agency; the province is always the actor's. */
export interface IndicatorReportFilter {
  readonly year?: number
  readonly agency?: string
}

/** One period of one indicator: the sum of the values the agencies reported for it. */
export interface IndicatorPeriodFigure {
  /** The report period's id (`q1`, `h1`, `year`). */
  readonly period: string
  /** Sum over accepted reports (báo cáo đã được chấp nhận). */
  readonly reported: number
  /** Agencies whose accepted report gave a value. */
  readonly agencies: number
  /** Sum over reports submitted and not yet accepted. */
  readonly pending: number
}

/** One agency's part of an indicator: its target and its accepted values by period. */
export interface IndicatorAgencyFigure {
  readonly agency: string
  /** The agency's target (summed over its plans), or null when it set none but reported. */
  readonly target: number | null
  readonly values: Readonly<Record<string, number>>
}

/**
 * One indicator of one plan year, rolled up over the agencies of the province
 * (tổng hợp chỉ tiêu): targets set in issued plans, values reported per
 * period. Report values count since the start of the year (lũy kế), so a
 * period's sum is what the province reached by then.
 */
export interface IndicatorRollup {
  readonly province: string
  readonly year: number
  readonly indicator: string
  /** Agencies that set a target. */
  readonly plans: number
  /** Sum of the targets. */
  readonly target: number
  /** In the order the periods come in the plans. */
  readonly periods: ReadonlyArray<IndicatorPeriodFigure>
  readonly agencies: ReadonlyArray<IndicatorAgencyFigure>
}

function checkFilter(filter: IndicatorReportFilter): IndicatorReportFilter {
  if (typeof filter !== "object" || filter === null) throw new ValidationError([{ path: "", message: "must be an object" }], "filter")
  const issues: ValidationIssue[] = []
  if (filter.year !== undefined && (!Number.isInteger(filter.year) || filter.year < 2000 || filter.year > 2100)) issues.push({ path: "/year", message: "must be a year from 2000 to 2100" })
  if (filter.agency !== undefined && (typeof filter.agency !== "string" || filter.agency.length === 0 || filter.agency.length > 200)) {
    issues.push({ path: "/agency", message: "must be a non-empty string of at most 200 characters" })
  }
  if (issues.length) throw new ValidationError(issues, "filter")
  return filter
}

const num = (v: unknown) => Number(v ?? 0)

/**
 * The plan indicators of the periodic report (báo cáo định kỳ: kết quả thực
 * hiện chỉ tiêu), computed from the database so it is exact across restarts
 * and servers: targets from the issued, not cancelled plans (version 2) of the
 * actor's province, values from their period reports, summed as exact
 * decimals in SQL. Authorized like the SLA report: the actor is admitted as
 * by every engine call (`engine.access.admit`), then roles that see the whole
 * province get every agency (or the one asked for), others only their own
 * (asking for another is `ForbiddenError`). A database failure is `StorageError`.
 *
 * @example
 * const rows = await planIndicatorReport(engine, { year: 2025 }, coordinator)
 * rows[0] // { indicator: "articles_published", target: 220, periods: [{ period: "q1", reported: 45, agencies: 2, pending: 0 }, …], … }
 */
export async function planIndicatorReport(engine: Pick<Engine, "db" | "access">, filter: IndicatorReportFilter, actor: Actor): Promise<IndicatorRollup[]> {
  engine.access.admit(actor)
  const f = checkFilter(filter)
  let agency = f.agency
  if (!engine.access.seesWholeProvince(actor)) {
    if (agency !== undefined && agency !== actor.agency) throw new ForbiddenError("read another agency's indicator report", "only roles that see the whole province may")
    agency = actor.agency
  }
  // Version 2 plans keep their targets in an object; issued and not cancelled ones count.
  const plans = sql`c.province = ${actor.province} and c.workflow = 'plan' and c.state <> 'cancelled'
    and jsonb_typeof(c.context -> 'targets') = 'object' and jsonb_typeof(c.context -> 'issued') = 'object'
    ${f.year !== undefined ? sql`and c.context ->> 'year' = ${String(f.year)}` : sql``}
    ${agency !== undefined ? sql`and c.owner_agency = ${agency}` : sql``}`

  const [targets, values] = await Promise.all([
    sql<{ year: unknown; indicator: string; agency: string | null; target: string; plans: unknown }>`
      select (c.context ->> 'year')::int as year, t.key as indicator, c.owner_agency as agency,
        sum((t.value #>> '{}')::numeric)::text as target, count(distinct c.owner_agency) as plans
      from civicase_cases c cross join lateral jsonb_each(c.context -> 'targets') t
      where ${plans} and jsonb_typeof(t.value) = 'number'
      group by grouping sets ((1, 2, 3), (1, 2))`.execute(engine.db),
    sql<{ year: unknown; indicator: string; agency: string | null; period: string; status: string; value: string; agencies: unknown; ord: unknown }>`
      select (c.context ->> 'year')::int as year, v.key as indicator, c.owner_agency as agency, p.value ->> 'id' as period,
        p.value ->> 'status' as status, sum((v.value #>> '{}')::numeric)::text as value,
        count(distinct c.owner_agency) as agencies, min(p.ord) as ord
      from civicase_cases c
      cross join lateral jsonb_array_elements(c.context -> 'periods') with ordinality as p(value, ord)
      cross join lateral jsonb_each(case when jsonb_typeof(p.value -> 'report' -> 'values') = 'object' then p.value -> 'report' -> 'values' else '{}'::jsonb end) v
      where ${plans} and p.value ->> 'status' in ('submitted', 'accepted') and jsonb_typeof(v.value) = 'number'
      group by grouping sets ((1, 2, 3, 4, 5), (1, 2, 4, 5))`.execute(engine.db),
  ]).catch((e: unknown) => {
    throw new StorageError(classifyDatabaseError(e).kind, e)
  })

  type Agency = { agency: string; target: number | null; values: Map<string, number> }
  const rows = new Map<string, { year: number; indicator: string; plans: number; target: number; periods: Map<string, IndicatorPeriodFigure & { ord: number }>; agencies: Map<string, Agency> }>()
  const entry = (year: number, indicator: string) => {
    const key = JSON.stringify([year, indicator])
    let e = rows.get(key)
    if (!e) rows.set(key, (e = { year, indicator, plans: 0, target: 0, periods: new Map(), agencies: new Map() }))
    return e
  }
  const agencyOf = (e: ReturnType<typeof entry>, id: string): Agency => {
    let a = e.agencies.get(id)
    if (!a) e.agencies.set(id, (a = { agency: id, target: null, values: new Map() }))
    return a
  }
  for (const t of targets.rows) {
    const e = entry(num(t.year), t.indicator)
    if (t.agency === null) Object.assign(e, { plans: num(t.plans), target: num(t.target) })
    else agencyOf(e, t.agency).target = num(t.target)
  }
  for (const v of values.rows) {
    const e = entry(num(v.year), v.indicator)
    if (v.agency !== null) {
      if (v.status === "accepted") agencyOf(e, v.agency).values.set(v.period, num(v.value))
      continue
    }
    const p = e.periods.get(v.period) ?? { period: v.period, reported: 0, agencies: 0, pending: 0, ord: num(v.ord) }
    const figure = v.status === "accepted" ? { ...p, reported: num(v.value), agencies: num(v.agencies) } : { ...p, pending: num(v.value) }
    e.periods.set(v.period, { ...figure, ord: Math.min(p.ord, num(v.ord)) })
  }
  return [...rows.values()]
    .map((e) => ({
      province: actor.province,
      year: e.year,
      indicator: e.indicator,
      plans: e.plans,
      target: e.target,
      periods: [...e.periods.values()].sort((a, b) => a.ord - b.ord).map(({ ord: _ord, ...p }) => p),
      // Period ids come from stored cases: an own property each, whatever its name.
      agencies: [...e.agencies.values()].map((a) => ({ ...a, values: Object.fromEntries(a.values) })).sort((a, b) => a.agency.localeCompare(b.agency)),
    }))
    .sort((a, b) => a.year - b.year || a.indicator.localeCompare(b.indicator))
}
