import type { Actor } from "../actor.js"
import { CaseNotFoundError, RevisionConflictError, ValidationError } from "../errors/errors.js"
import { CHAIN_FORMAT, chainHash } from "../history/hash.js"
import type { OutboxMessage } from "../plugins/plugin.js"
import { type ActivityWrite, type DocumentRowWrite, type LinkRowWrite, activityStore } from "../storage/activity-store.js"
import { type AssignmentColumns, type CaseRow, type LoadedCase, caseStore } from "../storage/case-store.js"
import { classifyDatabaseError } from "../storage/driver.js"
import type { EngineContext } from "../engine/engine-context.js"
import { checkIdempotencyKey } from "../engine/idempotency-key.js"
import { loadVisible } from "../engine/load-case.js"
import { beforeEventHooks, runBeforeWriteHooks } from "../engine/plugin-hooks.js"
import { afterLostRace } from "../engine/lost-race.js"
import { checkReplayOwner } from "../engine/replay-owner.js"
import { storageError } from "../engine/storage-error.js"
import { commitOf } from "../engine/transition-publisher.js"

/** The history types of activities: engine-written rows that change no state. */
export type ActivityType = "case.assigned" | "case.commented" | "case.document_attached" | "case.link_created" | "case.link_updated"

/** Every activity type, for reports that count transitions and must leave activities out. */
export const activityTypes: ReadonlyArray<ActivityType> = ["case.assigned", "case.commented", "case.document_attached", "case.link_created", "case.link_updated"]

/** What an activity does to the case it was planned on (see {@link recordActivity}). */
export interface ActivityPlan {
  /** The history payload: what the hash chain covers. */
  readonly payload: unknown
  /** The assignment after it, when it changes one. */
  readonly assignment?: AssignmentColumns
  /** Messages for people (`notify.assigned`, `notify.mention`), written with the row. */
  readonly outbox?: ReadonlyArray<OutboxMessage>
  /** The documents row of an attached document. */
  readonly document?: DocumentRowWrite
  /** The links row of a forwarded case, or of a peer's report on it. */
  readonly link?: LinkRowWrite
}

/** Options of an activity call. */
export interface ActivityOptions {
  /** Refuse with `RevisionConflictError` unless the case is at this rev. */
  readonly expectedRev?: number
  /** Makes a retry safe: unique per case, shared with events (see `SendOptions.idempotencyKey`). */
  readonly idempotencyKey?: string
  /**
   * `visibility` (default): the actor must see the case. `granted`: the
   * caller authorized the actor for this case by other means (a peer's
   * report on a link its province's coordinator created), and `plan` checks
   * it on the loaded row.
   */
  readonly authority?: "visibility" | "granted"
}

/**
 * A recorded activity: the case row it left, and what happened: `written`,
 * `replayed` (an idempotency key matched an earlier call), or `unchanged`
 * (the plan found nothing to record).
 */
export interface RecordedActivity {
  readonly row: CaseRow
  /** The rev of the activity's history row (on a replay, the first call's). */
  readonly rev: number
  readonly outcome: "written" | "replayed" | "unchanged"
}

/**
 * Records one activity on a case (phân công, ý kiến, tài liệu): a history
 * row of `type` in the case's hash chain, with `from` = `to` = its state,
 * written in one statement with the case row (rev + 1, optimistic on the
 * rev it read), so activities and transitions interleave in one order and
 * are as tamper-evident as each other. The snapshot is not touched.
 *
 * `plan` decides on the row as loaded (authorize, check, compute) and may
 * throw, or return null when there is nothing to record; plugins'
 * `beforeEvent` hooks then see `{ type, payload }` (so the audit plugin
 * stamps activities too, and a plugin may refuse one). When
 * another writer moved the case first, it reloads and plans again, unless
 * the caller gave `expectedRev`. A repeated idempotency key by the same
 * actor for the same type replays: nothing is written.
 *
 * @example
 * const done = await recordActivity(context, caseId, actor, "case.commented", (row) => ({ payload: { text } }), {})
 */
export async function recordActivity(
  context: EngineContext,
  caseId: string,
  actor: Actor,
  type: ActivityType,
  plan: (row: LoadedCase) => ActivityPlan | null | Promise<ActivityPlan | null>,
  opts: ActivityOptions = {},
): Promise<RecordedActivity> {
  const { db, access } = context
  checkIdempotencyKey(opts.idempotencyKey, type)
  if (opts.expectedRev !== undefined && !Number.isInteger(opts.expectedRev)) throw new ValidationError([{ path: "/expectedRev", message: "must be an integer" }], type)
  const before = beforeEventHooks(context.plugins, caseId, actor)
  for (let tries = 0; ; tries++) {
    const row = opts.authority === "granted" ? await loadAny(context, caseId, opts.idempotencyKey) : await loadVisible(access, db, caseId, actor, opts.idempotencyKey)
    if (row.replay_rev !== null) return replayOf(row, type, actor)
    if (opts.expectedRev !== undefined && row.rev !== opts.expectedRev) throw new RevisionConflictError(caseId, opts.expectedRev, row.rev)
    const planned = await plan(row)
    if (planned === null) return { row: stripReplay(row), rev: row.rev, outcome: "unchanged" }
    const hooks = await before(row, { type, payload: planned.payload })
    const now = context.clock.now()
    const rev = row.rev + 1
    const fields = { type, payload: planned.payload, actor, at: now, from: row.state, to: row.state }
    const meta = Object.keys(hooks.meta).length ? hooks.meta : null
    const hash = chainHash(row.head_hash, { caseId: row.id, rev, ...fields, meta, chainFormat: CHAIN_FORMAT })
    const write: ActivityWrite = {
      id: row.id,
      rev,
      headHash: hash,
      at: now,
      history: {
        ...fields,
        idempotencyKey: opts.idempotencyKey ?? null,
        meta,
        chainFormat: CHAIN_FORMAT,
        prevHash: row.head_hash,
        hash,
      },
      assignment: planned.assignment ?? null,
      outbox: [...(planned.outbox ?? []), ...hooks.outbox],
      document: planned.document ?? null,
      link: planned.link ?? null,
      notify: context.announcement({ id: row.id, rev, status: row.status, agencies: row.agencies }, row.province, row.workflow),
    }
    const source = { ...write, province: row.province, workflow: row.workflow, version: row.version, status: row.status, agencies: row.agencies, deadlines: row.deadlines ?? [], timerUpserts: [] }
    write.outbox.push(...(await runBeforeWriteHooks(context.plugins, { ...commitOf(source, actor, []), createdBy: row.created_by, createKey: row.create_key })))
    let ok: boolean
    try {
      ok = await activityStore.write(db, write)
    } catch (e) {
      const failure = classifyDatabaseError(e)
      if (failure.kind !== "unique-violation" && failure.kind !== "retryable") throw storageError(e)
      ok = false
    }
    if (!ok) {
      await afterLostRace(db, caseId, opts, tries, row.rev)
      continue
    }
    const assignment = planned.assignment ?? { assignee: row.assignee, scope: row.assignee_scope }
    const next: CaseRow = { ...stripReplay(row), rev, head_hash: hash, updated_at: now, assignee: assignment.assignee, assignee_scope: assignment.scope }
    context.publisher.publish(context.publisher.committed({ ...source, outbox: write.outbox }, actor, []))
    return { row: next, rev, outcome: "written" }
  }
}

/** A case row by id whatever the actor sees (the caller authorizes); malformed and missing ids are `CaseNotFoundError`. */
async function loadAny(context: EngineContext, caseId: string, idempotencyKey?: string): Promise<LoadedCase> {
  if (typeof caseId !== "string" || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(caseId)) throw new CaseNotFoundError(String(caseId))
  const row = await caseStore.load(context.db, caseId, idempotencyKey).catch((e) => {
    throw storageError(e)
  })
  if (!row) throw new CaseNotFoundError(caseId)
  return row
}

function stripReplay(row: LoadedCase): CaseRow {
  const { replay_rev: _rev, replay_type: _type, replay_actor: _actor, ...rest } = row
  return rest
}

/**
 * The answer to a repeated idempotency key found on `row`: the same actor and
 * type replay (nothing written); another actor or type is the caller's
 * mistake (`ValidationError` on `/idempotencyKey`).
 *
 * @example
 * if (row.replay_rev !== null) return replayOf(row, "case.commented", actor).rev
 */
export function replayOf(row: LoadedCase, type: ActivityType, actor: Actor): RecordedActivity {
  checkReplayOwner(row, type, actor, type)
  return { row: stripReplay(row), rev: row.replay_rev!, outcome: "replayed" }
}
