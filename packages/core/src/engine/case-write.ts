import type { AssignmentColumns, CaseRow, CaseWrite, StoredDeadline } from "../storage/case-store.js"
import type { CalendarGap } from "../timers/calendar-year.js"
import type { WorkflowDefinition } from "../workflow/define-workflow.js"
import type { MachineStep } from "./machine-step.js"
import type { CaseParties } from "./types.js"

/**
 * The agencies the workflow names for `context`; the owner defaults to
 * `fallbackOwner` (the creator's agency, or the case's current owner).
 *
 * @example
 * const parties = partiesOf(def, snapshot.context, actor.agency) // { owner, lead, cooperating }
 */
export function partiesOf(def: WorkflowDefinition, context: unknown, fallbackOwner: string): CaseParties {
  const p = def.parties?.(context)
  const owner = p?.owner || fallbackOwner
  const cooperating = [...new Set((p?.cooperating ?? []).filter(Boolean))]
  return { owner, lead: p?.lead || null, cooperating }
}

/**
 * Every agency party to a case, once each: what visibility checks match against.
 *
 * @example
 * agenciesOf({ owner: "a", lead: "b", cooperating: ["a", "c"] }) // ["a", "b", "c"]
 */
export function agenciesOf(parties: CaseParties): string[] {
  return [...new Set([parties.owner, ...(parties.lead ? [parties.lead] : []), ...parties.cooperating])]
}

/**
 * The pending timers after a step: cancelled ones (and the one that just
 * fired) dropped, scheduled ones (re)set to `now` plus their delay, with the
 * calendar gaps the step's delays found (`gaps`, by deadline name); sorted by
 * due time, with the timer rows to delete and to upsert.
 *
 * @example
 * const { deadlines, deletes, upserts } = nextDeadlines(row.deadlines, step, now, context.time.gaps, firedTimerId)
 */
export function nextDeadlines(
  pending: ReadonlyArray<StoredDeadline>,
  step: MachineStep,
  now: Date,
  gaps: ReadonlyMap<string, ReadonlyArray<CalendarGap>>,
  fired?: string,
) {
  const byId = new Map(pending.map((d) => [d.id, d]))
  const deletes = new Set<string>()
  if (fired) {
    byId.delete(fired)
    deletes.add(fired)
  }
  for (const id of step.cancelled) {
    if (byId.delete(id)) deletes.add(id)
  }
  const upserts: StoredDeadline[] = []
  for (const t of step.scheduled) {
    const calendarGaps = gaps.get(t.name)
    const d: StoredDeadline = {
      id: t.id,
      name: t.name,
      event: t.event as StoredDeadline["event"],
      dueAt: new Date(now.getTime() + t.delayMs).toISOString(),
      ...(calendarGaps?.length ? { calendarGaps } : {}),
    }
    byId.set(t.id, d)
    deletes.delete(t.id)
    upserts.push(d)
  }
  const deadlines = [...byId.values()].sort((a, b) => a.dueAt.localeCompare(b.dueAt))
  return { deadlines, deletes: [...deletes], upserts }
}

/**
 * What a transition's history row records of the provisional deadlines it
 * set (`meta.provisionalDeadlines`): each one's name, due time and calendar
 * gaps; undefined when it set none.
 *
 * @example
 * provisionalDeadlines(upserts) // [{ name: "submissionDeadline", dueAt: "2027-03-04T10:00:00.000Z", gaps: [{ year: 2027, reason: "no-yearly-decision" }] }]
 */
export function provisionalDeadlines(upserts: ReadonlyArray<StoredDeadline>) {
  const out = upserts.filter((d) => d.calendarGaps?.length).map((d) => ({ name: d.name, dueAt: d.dueAt, gaps: d.calendarGaps! }))
  return out.length ? out : undefined
}

/**
 * The names of pending deadlines a transition settles without firing them,
 * for its history `meta` (what the SLA report counts from the database): a
 * deadline removed or re-set at or before its due time was met (đúng hạn);
 * one removed after its due time, before its timer fired, was missed. The
 * timer that fired (`meta.deadline`) is neither.
 *
 * @example
 * settledDeadlines(row.deadlines, nextPending, now, firedTimerId) // { met: ["reviewDeadline"], missed: [] }
 */
export function settledDeadlines(pending: ReadonlyArray<StoredDeadline>, next: ReadonlyArray<StoredDeadline>, now: Date, fired?: string) {
  const kept = new Map(next.map((d) => [d.id, d.dueAt]))
  const met: string[] = []
  const missed: string[] = []
  for (const d of pending) {
    if (d.id === fired || kept.get(d.id) === d.dueAt) continue
    ;(now.getTime() <= Date.parse(d.dueAt) ? met : missed).push(d.name)
  }
  return { met, missed }
}

/**
 * The case row a committed write leaves, without reading it back. `base`
 * holds the columns the write does not change (and the assignment, unless
 * the write sets it).
 *
 * @example
 * const row = rowFromWrite(write, { province, workflow, version, createdBy: actor.id, createKey: null, createdAt: now })
 */
export function rowFromWrite(
  w: CaseWrite,
  base: { province: string; workflow: string; version: number; createdBy: string; createKey: string | null; createdAt: Date; assignment?: AssignmentColumns },
): CaseRow {
  const assignment = w.assignment ?? base.assignment ?? { assignee: null, scope: null }
  return {
    id: w.id,
    province: base.province,
    workflow: base.workflow,
    version: base.version,
    state: w.state,
    state_value: w.stateValue,
    status: w.status,
    context: w.context,
    snapshot: w.snapshot,
    rev: w.rev,
    owner_agency: w.owner,
    lead_agency: w.lead,
    cooperating_agencies: w.cooperating,
    agencies: w.agencies,
    deadlines: w.deadlines,
    next_due_at: w.nextDueAt ? new Date(w.nextDueAt) : null,
    head_hash: w.headHash,
    created_by: base.createdBy,
    create_key: base.createKey,
    created_at: base.createdAt,
    updated_at: w.at,
    waiting: w.waiting,
    title: w.title,
    assignee: assignment.assignee,
    assignee_scope: assignment.scope,
  }
}
