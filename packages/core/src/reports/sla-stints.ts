import { type RawBuilder, sql } from "kysely"

/** A report window: either end may be open. */
export interface StintWindow {
  readonly from?: Date | undefined
  readonly to?: Date | undefined
}

/**
 * The SQL of the SLA report's time in state: every stint (from entering a
 * state to the next change of state) that ended inside the window, grouped by
 * workflow, owner agency and state, with count, total, median and p90 in ms.
 * `cases` is the condition on `civicase_cases c`.
 *
 * With a start, it reads only the history inside the window: each change of
 * state there (found through the index on `at`) closes the stint that the
 * case's previous change of state opened, found by a backward seek on the
 * history key `(case_id, rev)`. So the cost follows the window, not all the
 * history before it. Without a start every stint before the end counts, and
 * the history before the end is read once, in order per case.
 *
 * @example
 * const rows = (await stintsQuery(sql`c.province = ${province}`, { from, to }).execute(db)).rows
 */
export function stintsQuery(cases: RawBuilder<unknown>, window: StintWindow): RawBuilder<{
  workflow: string
  agency: string
  state: string
  stints: unknown
  total: unknown
  median: unknown
  p90: unknown
}> {
  const before = (column: RawBuilder<unknown>) => (window.to ? sql` and ${column} < ${window.to.toISOString()}::timestamptz` : sql``)
  const stints = window.from
    ? sql`select l.workflow, l.owner_agency, e.to_state, extract(epoch from (l.at - e.at))::float8 * 1000 as ms
        from (
          select c.workflow, c.owner_agency, h.case_id, h.rev, h.at
          from civicase_history h join civicase_cases c on c.id = h.case_id
          where ${cases} and h.from_state is distinct from h.to_state and h.at >= ${window.from.toISOString()}::timestamptz${before(sql.ref("h.at"))}
        ) l cross join lateral (
          select p.to_state, p.at from civicase_history p
          where p.case_id = l.case_id and p.rev < l.rev and p.from_state is distinct from p.to_state
          order by p.rev desc limit 1
        ) e`
    : sql`select workflow, owner_agency, to_state, extract(epoch from (left_at - at))::float8 * 1000 as ms
        from (
          select c.workflow, c.owner_agency, h.to_state, h.at, lead(h.at) over (partition by h.case_id order by h.rev) as left_at
          from civicase_history h join civicase_cases c on c.id = h.case_id
          where ${cases} and h.from_state is distinct from h.to_state${before(sql.ref("h.at"))}
        ) entries
        where left_at is not null`
  return sql`with stints as (${stints})
    select workflow, owner_agency as agency, to_state as state, count(*) as stints, sum(ms) as total,
      percentile_cont(0.5) within group (order by ms) as median,
      percentile_cont(0.9) within group (order by ms) as p90
    from stints group by workflow, owner_agency, to_state`
}
