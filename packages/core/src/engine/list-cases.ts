import type { Actor } from "../actor.js"
import { withAssigneeNames } from "../people/person-names.js"
import { checkCaseFilter } from "../search/case-filter.js"
import { caseListQuery, cursorAfter } from "../search/case-query.js"
import type { CaseRow, Executor } from "../storage/case-store.js"
import type { AccessPolicy } from "./access.js"
import type { CaseFilter, CasePage, CaseView } from "./types.js"

/**
 * Lists the cases `actor` may see, filtered (work lists, search, dates), in
 * a stable order with keyset pagination: a page never repeats or skips a
 * row, even while cases are added, and costs the same at any depth because
 * the keyset is an index condition. Bare dates are read in `timeZone`.
 *
 * @example
 * const page = await listCases(db, access, { actionable: true, q: "sat lo" }, actor, now, "Asia/Ho_Chi_Minh", toView)
 */
export async function listCases(
  db: Executor,
  access: AccessPolicy,
  filter: CaseFilter,
  actor: Actor,
  now: Date,
  timeZone: string,
  toView: (row: CaseRow) => CaseView,
): Promise<CasePage> {
  const f = checkCaseFilter(filter, timeZone)
  const scope = { actor, ownAgency: access.seesWholeProvince(actor) ? null : actor.agency }
  const rows = (await caseListQuery(f, scope, now).execute(db)).rows
  const page = await withAssigneeNames(db, rows.slice(0, f.limit))
  const items = page.map(toView)
  const last = page[page.length - 1]
  if (rows.length <= f.limit || !last) return { items }
  return { items, nextCursor: cursorAfter(last, f.orderBy) }
}
