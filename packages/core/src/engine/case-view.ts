import type { AnyMachineSnapshot } from "xstate"
import type { Actor } from "../actor.js"
import { ownValue } from "../input/own-value.js"
import type { CaseRow } from "../storage/case-store.js"
import type { AccessPolicy } from "./access.js"
import { acceptedEvents, restoreSnapshot } from "./machine-step.js"
import type { CaseParties, CaseView } from "./types.js"
import type { WorkflowRegistry } from "./workflow-registry.js"

/** A timestamp as callers see it: ISO 8601, whether the driver returned a Date or a string. */
export function iso(d: Date | string): string {
  return typeof d === "string" ? new Date(d).toISOString() : d.toISOString()
}

/**
 * A case row as `actor` sees it: deadlines with their labels, and the events
 * this actor may send now. A case whose workflow version this engine does not
 * run is shown with no allowed events. Pass the snapshot when it is at hand,
 * to spare restoring it from the row.
 *
 * @example
 * const view = caseView(workflows, access, row, actor)
 * view.allowedEvents // ["APPROVE", "SEND_BACK"]
 */
export function caseView(workflows: WorkflowRegistry, access: AccessPolicy, row: CaseRow, actor: Actor, snapshot?: AnyMachineSnapshot): CaseView {
  const entry = workflows.pinned(row.workflow, row.version)
  const parties: CaseParties = { owner: row.owner_agency, lead: row.lead_agency, cooperating: row.cooperating_agencies }
  let allowedEvents: string[] = []
  if (entry && row.status === "active") {
    const snap = snapshot ?? restoreSnapshot(entry.machine, row.snapshot, row.context)
    allowedEvents = acceptedEvents(snap).filter((type) => access.denial(actor, ownValue(entry.def.permissions, type), parties) === undefined)
  }
  return {
    id: row.id,
    province: row.province,
    workflow: row.workflow,
    version: row.version,
    state: row.state,
    stateValue: row.state_value,
    status: row.status,
    context: row.context,
    rev: row.rev,
    parties,
    deadlines: (row.deadlines ?? []).map((d) => ({
      id: d.id,
      name: d.name,
      label: ownValue(entry?.def.deadlines, d.name)?.label,
      dueAt: d.dueAt,
      event: d.event.type,
      ...(d.calendarGaps?.length ? { calendarGaps: d.calendarGaps } : {}),
    })),
    allowedEvents,
    title: row.title ?? null,
    assignee: row.assignee
      ? { id: row.assignee, ...(row.assignee_name ? { name: row.assignee_name } : {}), scope: row.assignee_scope === "case" ? "case" : "step" }
      : null,
    waitingFor: row.waiting ?? [],
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  }
}
