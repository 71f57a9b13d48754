import type { Actor } from "../actor.js"
import { CaseClosedError, EventNotAcceptedError, ForbiddenError, RevisionConflictError, ValidationError } from "../errors/errors.js"
import { inputIssues } from "../input/input-issues.js"
import { ownValue } from "../input/own-value.js"
import type { LoadedCase } from "../storage/case-store.js"
import { classifyDatabaseError } from "../storage/driver.js"
import { isInternalEvent } from "../workflow/define-workflow.js"
import { documentRefIssues } from "../documents/document-refs.js"
import { caseView } from "./case-view.js"
import type { EngineContext } from "./engine-context.js"
import { checkIdempotencyKey } from "./idempotency-key.js"
import { loadVisible } from "./load-case.js"
import { afterLostRace } from "./lost-race.js"
import { checkReplayOwner } from "./replay-owner.js"
import { acceptedEvents, restoreSnapshot } from "./machine-step.js"
import { beforeEventHooks } from "./plugin-hooks.js"
import { storageError } from "./storage-error.js"
import { applyTransition } from "./transition.js"
import { type TransitionTrace, engineChannels } from "../observe/channels.js"
import { traced } from "../observe/trace.js"
import type { CaseParties, SendOptions, SendResult } from "./types.js"

/**
 * Applies one event to a case (`engine.send`). Cheap refusals come first
 * (closed case, unknown or internal event, permission, payload schema), then
 * plugins' `beforeEvent`, then the transition. When another writer moved the
 * case first, it reloads and tries again with a short random pause (running
 * `beforeEvent` again, so plugins judge the row that is written), unless the
 * caller gave `expectedRev`: then the conflict is theirs to resolve.
 *
 * A repeated idempotency key, from the same actor with the same event type,
 * returns the case as it is now with `replayed: true` and writes nothing, even
 * when the repeat raced its original with `expectedRev`. The same key with
 * another event type or from another actor is a `ValidationError` on
 * `/idempotencyKey`: nothing of the caller's was applied.
 *
 * @example
 * const c = await sendEvent(context, caseId, { type: "APPROVE", payload: { note: "ok" } }, head, { expectedRev: 3 })
 */
export function sendEvent(
  context: EngineContext,
  caseId: string,
  event: { type: string; payload?: unknown },
  actor: Actor,
  opts: SendOptions = {},
): Promise<SendResult> {
  const eventType = typeof event?.type === "string" ? event.type.slice(0, 100) : ""
  return traced(engineChannels.transition, { kind: "event", eventType, caseId }, (trace) => applyEvent(context, caseId, event, actor, opts, trace))
}

async function applyEvent(
  context: EngineContext,
  caseId: string,
  event: { type: string; payload?: unknown },
  actor: Actor,
  opts: SendOptions,
  trace: TransitionTrace,
): Promise<SendResult> {
  const { db, access } = context
  if (typeof event?.type !== "string" || event.type.length === 0 || event.type.length > 100) {
    throw new ValidationError([{ path: "/type", message: "must be an event type of 1 to 100 characters" }], "event")
  }
  checkIdempotencyKey(opts.idempotencyKey, "event")
  if (opts.expectedRev !== undefined && !Number.isInteger(opts.expectedRev)) {
    throw new ValidationError([{ path: "/expectedRev", message: "must be an integer" }], "event")
  }
  const payload = event.payload ?? {}
  const shape = inputIssues(payload, context.inputLimits)
  if (shape.length) throw new ValidationError(shape, `payload of ${event.type}`)
  const before = beforeEventHooks(context.plugins, caseId, actor)
  for (let tries = 0; ; tries++) {
    const row = await loadVisible(access, db, caseId, actor, opts.idempotencyKey)
    trace.workflow = row.workflow
    trace.version = row.version
    if (row.replay_rev !== null) {
      const replayed = replay(context, row, event.type, actor)
      trace.rev = row.rev
      trace.outcome = "replayed"
      return replayed
    }
    if (opts.expectedRev !== undefined && row.rev !== opts.expectedRev) throw new RevisionConflictError(caseId, opts.expectedRev, row.rev)
    const entry = context.workflows.resolve(row.workflow, row.version)
    const parties: CaseParties = { owner: row.owner_agency, lead: row.lead_agency, cooperating: row.cooperating_agencies }
    if (row.status === "done") throw new CaseClosedError(caseId, row.state)
    const permission = ownValue(entry.def.permissions, event.type)
    if (isInternalEvent(event.type) || !permission) {
      const snap = restoreSnapshot(entry.machine, row.snapshot, row.context)
      throw new EventNotAcceptedError(caseId, event.type, row.state, acceptedEvents(snap))
    }
    const denial = access.denial(actor, permission, parties)
    if (denial) throw new ForbiddenError(`send ${event.type}`, denial)
    const issues = entry.def.checks.get(event.type)?.(payload) ?? []
    if (issues.length) throw new ValidationError(issues, `payload of ${event.type}`)
    const docs = entry.def.documents
    const refs = ownValue(docs, event.type)
    const refIssues = refs ? await documentRefIssues(db, caseId, refs, payload).catch((e) => Promise.reject(storageError(e))) : []
    if (refIssues.length) throw new ValidationError(refIssues, `payload of ${event.type}`)
    const hooks = await before(row, { type: event.type, payload })
    let result
    try {
      const machineEvent = { type: event.type, payload, actor }
      result = await applyTransition(context, db, row, entry, machineEvent, { type: event.type, payload, actor, idempotencyKey: opts.idempotencyKey ?? null }, hooks)
    } catch (e) {
      const failure = classifyDatabaseError(e)
      if (failure.kind === "unique-violation" || failure.kind === "retryable") result = "moved" as const
      else throw storageError(e)
    }
    if (result === "not-accepted") {
      const accepted = acceptedEvents(restoreSnapshot(entry.machine, row.snapshot, row.context))
      throw new EventNotAcceptedError(caseId, event.type, row.state, accepted, accepted.includes(event.type) ? "condition" : "state")
    }
    if (result === "moved") {
      await afterLostRace(db, caseId, opts, tries, row.rev)
      continue
    }
    context.publisher.publish(context.publisher.committed({ ...result.write, province: row.province, workflow: row.workflow, version: row.version }, actor, result.step.emitted))
    trace.rev = result.write.rev
    trace.outcome = "committed"
    return caseView(context.workflows, access, result.row, actor, result.snapshot)
  }
}

/**
 * The answer to a repeated idempotency key: the case as it is now, marked
 * `replayed`, if the key's first use was this actor's event of this type.
 */
function replay(context: EngineContext, row: LoadedCase, type: string, actor: Actor): SendResult {
  checkReplayOwner(row, type, actor, "event")
  return { ...caseView(context.workflows, context.access, row, actor), replayed: true, replayedRev: row.replay_rev ?? undefined }
}
