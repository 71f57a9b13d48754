import { sql } from "kysely"
import type { Actor } from "../actor.js"
import type { AccessPolicy } from "../engine/access.js"
import type { CheckedCaseFilter } from "../search/case-filter.js"
import { caseConditions } from "../search/case-query.js"
import type { Executor } from "../storage/case-store.js"

/**
 * Counts for an actor's work-list badges (số việc), open cases only, among
 * the cases the actor may see.
 *
 * @example
 * const s = await engine.worklist.summary(officer) // { actionable: 3, assigned: 1, agency: 12, overdue: 2 }
 */
export interface WorklistSummary {
  /** Cases the actor can act on now and nobody else is assigned (`listCases({ actionable: true })`). */
  readonly actionable: number
  /** Cases assigned to the actor (`listCases({ assignee: actor.id, status: "active" })`). */
  readonly assigned: number
  /** Open cases the actor's agency is a party to (`listCases({ agency: actor.agency, status: "active" })`). */
  readonly agency: number
  /** Open cases past a deadline (`listCases({ overdue: true })`). */
  readonly overdue: number
}

const none: CheckedCaseFilter = { overdue: false, actionable: false, words: [], orderBy: "created", direction: "asc", limit: 1 }

/**
 * The four badge counts in one statement of four scalar subqueries, each
 * answered by its own index (the work-list GIN index, the assignee index,
 * the agencies GIN index, the deadline index), so the cost grows with what
 * is counted, not with the province's cases.
 *
 * @example
 * const counts = await worklistSummary(db, access, actor, clock.now())
 */
export async function worklistSummary(db: Executor, access: AccessPolicy, actor: Actor, now: Date): Promise<WorklistSummary> {
  const scope = { actor, ownAgency: access.seesWholeProvince(actor) ? null : actor.agency }
  const count = (f: Partial<CheckedCaseFilter>) =>
    sql`(select count(*) from civicase_cases c where ${sql.join(caseConditions({ ...none, status: "active", ...f }, scope, now), sql` and `)})`
  const r = await sql<{ actionable: string | number; assigned: string | number; agency: string | number; overdue: string | number }>`select
    ${count({ actionable: true })} as actionable,
    ${count({ assignee: actor.id })} as assigned,
    ${count({ agency: actor.agency })} as agency,
    ${count({ overdue: true })} as overdue`.execute(db)
  const row = r.rows[0]!
  return { actionable: Number(row.actionable), assigned: Number(row.assigned), agency: Number(row.agency), overdue: Number(row.overdue) }
}
