import { sql } from "kysely"
import type { Actor } from "../actor.js"
import { WorkflowNotFoundError } from "../errors/errors.js"
import { type Executor, caseStore } from "../storage/case-store.js"
import type { ClaimedTimer } from "../timers/scheduler.js"
import type { EngineContext } from "./engine-context.js"
import { applyTransition } from "./transition.js"
import { type TimerTrace, engineChannels } from "../observe/channels.js"
import { traced } from "../observe/trace.js"
import type { CommittedTransition } from "./types.js"

/**
 * Delivers one claimed timer inside the scheduler's transaction, as the
 * province's system actor with the deadline's name in the history meta. A
 * stale timer (its case moved on without cancelling it, is done, or is gone)
 * is dropped; the scheduler publishes the transition after its commit.
 *
 * @example
 * const scheduler = new TimerScheduler(db, clock, logger, (trx, timer) => deliverTimer(context, trx, timer), publish)
 */
export function deliverTimer(context: EngineContext, trx: Executor, timer: ClaimedTimer): Promise<CommittedTransition | undefined> {
  const event = timer.event as { type?: unknown }
  const trace: TimerTrace = {
    caseId: timer.case_id,
    timerId: timer.id,
    timerName: timer.name,
    eventType: typeof event?.type === "string" ? event.type : "",
    dueAt: new Date(timer.due_at),
    firedAt: context.clock.now(),
  }
  return traced(engineChannels.timer, trace, async (t) => {
    const committed = await fireTimer(context, trx, timer)
    Object.assign(t, committed ? { workflow: committed.workflow, version: committed.version, rev: committed.rev, outcome: "committed" } : { outcome: "stale" })
    return committed
  })
}

async function fireTimer(context: EngineContext, trx: Executor, timer: ClaimedTimer): Promise<CommittedTransition | undefined> {
  const event = timer.event as { type: string }
  for (;;) {
    const row = await caseStore.load(trx, timer.case_id)
    const entry = row && context.workflows.pinned(row.workflow, row.version)
    // Another engine (a rolling deployment) may still run this version: hold the timer back, do not drop it.
    if (row && !entry && row.status === "active") throw new WorkflowNotFoundError(row.workflow, row.version)
    const result =
      row && entry && row.status === "active"
        ? await applyTransition(context, trx, row, entry, event, { type: event.type, payload: {}, actor: context.access.systemActor(row.province), idempotencyKey: null }, { meta: { deadline: timer.name }, outbox: [] }, timer.id)
        : ("not-accepted" as const)
    if (result === "moved") continue
    if (result === "not-accepted") {
      // Stale: the case moved on without cancelling this timer (or is gone); drop it.
      await sql`delete from civicase_timers where case_id = ${timer.case_id} and id = ${timer.id}`.execute(trx)
      return undefined
    }
    const placed = { ...result.write, province: row!.province, workflow: row!.workflow, version: row!.version }
    return context.publisher.committed(placed, result.write.history.actor as Actor, result.step.emitted)
  }
}
