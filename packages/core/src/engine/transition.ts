import type { AnyMachineSnapshot } from "xstate"
import type { Actor } from "../actor.js"
import { CHAIN_FORMAT, chainHash } from "../history/hash.js"
import { type CaseRow, type CaseWrite, type Executor, caseStore } from "../storage/case-store.js"
import { agenciesOf, nextDeadlines, partiesOf, provisionalDeadlines, rowFromWrite, settledDeadlines } from "./case-write.js"
import type { EngineContext } from "./engine-context.js"
import { flatState, type MachineStep, restoreSnapshot, stepMachine, storedSnapshot } from "./machine-step.js"
import { type BeforeHookResults, runBeforeWriteHooks } from "./plugin-hooks.js"
import { commitOf } from "./transition-publisher.js"
import { beginStep, type Registered } from "./workflow-registry.js"
import { derivedFields } from "../worklist/derived-fields.js"

/** The history fields a transition records besides the states and hashes. */
export interface TransitionRecord {
  readonly type: string
  readonly payload: unknown
  readonly actor: Actor
  readonly idempotencyKey: string | null
}

/** A committed transition: the case row it left, the machine snapshot, the write and the step. */
export interface AppliedTransition {
  readonly row: CaseRow
  readonly snapshot: AnyMachineSnapshot
  readonly write: CaseWrite
  readonly step: MachineStep
}

/**
 * Computes and writes one transition of a case: restores its snapshot, steps
 * the machine at the clock's now, updates its timers (dropping `firedTimer`),
 * records the deadlines it settles in the history meta (`deadlinesMet`,
 * `deadlinesMissed`, for the SLA report) and the provisional ones it sets
 * (`provisionalDeadlines`: counted over years the calendar does not know for sure), extends the hash chain and writes everything in one statement. Returns
 * `"not-accepted"` when the machine takes no transition for the event, and
 * `"moved"` when the case moved on under us (the caller reloads and tries again).
 *
 * @example
 * const result = await applyTransition(context, db, row, entry, machineEvent, record, hooks)
 * if (result === "moved") continue // reload and retry
 */
export async function applyTransition(
  context: EngineContext,
  executor: Executor,
  row: CaseRow,
  entry: Registered,
  machineEvent: { type: string },
  record: TransitionRecord,
  hooks: BeforeHookResults,
  firedTimer?: string,
): Promise<AppliedTransition | "moved" | "not-accepted"> {
  const snapshot = restoreSnapshot(entry.machine, row.snapshot, row.context)
  if (!snapshot.can(machineEvent as any)) return "not-accepted"
  const now = context.clock.now()
  beginStep(context.time, now)
  const step = stepMachine(entry.machine, snapshot, machineEvent)
  const next = step.snapshot
  const status = next.status === "done" ? ("done" as const) : ("active" as const)
  const parties = partiesOf(entry.def, next.context, row.owner_agency)
  const state = flatState(next.value)
  const timers = nextDeadlines(row.deadlines ?? [], step, now, context.time.gaps, firedTimer)
  const deadlines = status === "done" ? [] : timers.deadlines
  const rev = row.rev + 1
  const fields = { type: record.type, payload: record.payload, actor: record.actor, at: now, from: row.state, to: state }
  const settled = settledDeadlines(row.deadlines ?? [], deadlines, now, firedTimer)
  const derived = derivedFields(context.tokens, entry, state, next, parties, row.province, { context: row.context, waiting: row.waiting, assigneeScope: row.assignee_scope })
  const provisional = status === "done" ? undefined : provisionalDeadlines(timers.upserts)
  const meta = {
    ...hooks.meta,
    ...(settled.met.length ? { deadlinesMet: settled.met } : {}),
    ...(settled.missed.length ? { deadlinesMissed: settled.missed } : {}),
    // A step assignment ends when the step does: what the case waits for changed.
    ...(derived.clearStepAssignment ? { assignmentCleared: { assignee: row.assignee, scope: "step" } } : {}),
    ...(provisional ? { provisionalDeadlines: provisional } : {}),
  }
  const metaOrNull = Object.keys(meta).length ? meta : null
  // Format 2 covers the meta too: the deadlines met and missed, which the SLA report counts.
  const hash = chainHash(row.head_hash, { caseId: row.id, rev, ...fields, meta: metaOrNull, chainFormat: CHAIN_FORMAT })
  const write: CaseWrite = {
    id: row.id,
    rev,
    state,
    stateValue: next.value,
    status,
    context: next.context,
    snapshot: storedSnapshot(entry.machine, next),
    owner: parties.owner,
    lead: parties.lead,
    cooperating: [...parties.cooperating],
    agencies: agenciesOf(parties),
    deadlines,
    nextDueAt: deadlines[0]?.dueAt ?? null,
    headHash: hash,
    at: now,
    history: { ...fields, idempotencyKey: record.idempotencyKey, meta: metaOrNull, chainFormat: CHAIN_FORMAT, prevHash: row.head_hash, hash },
    timerDeletes: timers.deletes,
    deleteAllTimers: status === "done",
    timerUpserts: status === "done" ? [] : timers.upserts,
    outbox: [...step.emitted.map((e) => ({ topic: e.type, payload: e })), ...hooks.outbox],
    notify: null,
    waiting: derived.waiting,
    title: derived.title,
    searchText: derived.searchText,
    assignment: derived.clearStepAssignment ? { assignee: null, scope: null } : null,
  }
  const placed = { ...write, province: row.province, workflow: row.workflow, version: row.version }
  const pending = { ...commitOf(placed, record.actor, step.emitted), createdBy: row.created_by, createKey: row.create_key }
  write.outbox.push(...(await runBeforeWriteHooks(context.plugins, pending)))
  write.notify = context.announcement(write, row.province, row.workflow)
  const ok = await caseStore.update(executor, write)
  if (!ok) return "moved"
  const newRow = rowFromWrite(write, {
    province: row.province,
    workflow: row.workflow,
    version: row.version,
    createdBy: row.created_by,
    createKey: row.create_key,
    createdAt: row.created_at,
    assignment: { assignee: row.assignee, scope: row.assignee_scope },
  })
  return { row: newRow, snapshot: next, write, step }
}
