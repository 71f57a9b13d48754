import { randomUUID } from "node:crypto"
import type { RawBuilder } from "kysely"
import type { Actor } from "../actor.js"
import { CaseNotFoundError, ForbiddenError, ValidationError } from "../errors/errors.js"
import { CHAIN_FORMAT, GENESIS_HASH, chainHash } from "../history/hash.js"
import { type TransitionTrace, engineChannels } from "../observe/channels.js"
import { traced } from "../observe/trace.js"
import { inputIssues } from "../input/input-issues.js"
import { type CaseRow, caseStore } from "../storage/case-store.js"
import { classifyDatabaseError } from "../storage/driver.js"
import { caseView } from "./case-view.js"
import { agenciesOf, nextDeadlines, partiesOf, provisionalDeadlines, rowFromWrite } from "./case-write.js"
import type { EngineContext } from "./engine-context.js"
import { checkIdempotencyKey } from "./idempotency-key.js"
import { flatState, startMachine, storedSnapshot } from "./machine-step.js"
import { runBeforeHooks, runBeforeWriteHooks } from "./plugin-hooks.js"
import { storageError } from "./storage-error.js"
import { commitOf } from "./transition-publisher.js"
import { derivedFields } from "../worklist/derived-fields.js"
import { beginStep } from "./workflow-registry.js"
import type { CreateOptions, SendResult } from "./types.js"

/**
 * Starts a case of the newest version of `workflow` (`engine.createCase`):
 * authorizes the actor, checks the input, runs plugins' `beforeCreate`, and
 * inserts the case with its first history row (`case.created`), timers and
 * outbox rows in one statement. With an idempotency key, a repeated call
 * returns the case the first call created, as it is now, with `replayed:
 * true`, if it is of the same workflow (else `ValidationError` on
 * `/idempotencyKey`) and the actor may still see it (else `CaseNotFoundError`).
 *
 * @example
 * const c = await createCase(context, "leave", { days: 2 }, officer, { idempotencyKey: "form-81" })
 */
export function createCase(
  context: EngineContext,
  workflow: string,
  input: unknown,
  actor: Actor,
  opts: CreateOptions = {},
  /** Further rows written in the case's own statement (CTEs inserting from `w`), for the engine's own callers. */
  also: ReadonlyArray<RawBuilder<unknown>> = [],
): Promise<SendResult> {
  const trace: TransitionTrace = { kind: "create", eventType: "case.created", ...(typeof workflow === "string" ? { workflow: workflow.slice(0, 100) } : {}) }
  return traced(engineChannels.transition, trace, async (t) => {
    const created = await startCase(context, workflow, input, actor, opts, also)
    Object.assign(t, { caseId: created.id, workflow: created.workflow, version: created.version, rev: created.rev, outcome: created.replayed ? "replayed" : "committed" })
    return created
  })
}

async function startCase(
  context: EngineContext,
  workflow: string,
  input: unknown,
  actor: Actor,
  opts: CreateOptions,
  also: ReadonlyArray<RawBuilder<unknown>>,
): Promise<SendResult> {
  const { db, access, clock } = context
  const entry = context.workflows.resolve(workflow)
  const { def, machine } = entry
  checkIdempotencyKey(opts.idempotencyKey, "case")
  const denial = access.denial(actor, def.start, undefined)
  if (denial) throw new ForbiddenError(`start a ${def.id} case`, denial)
  // The shape first: a schema (or a plugin) walking a hostile value could exhaust the stack.
  const shape = inputIssues(input ?? {}, context.inputLimits)
  if (shape.length) throw new ValidationError(shape, "input")
  const issues = def.checkInput(input ?? {})
  if (issues.length) throw new ValidationError(issues, "input")
  if (opts.idempotencyKey) {
    const existing = await caseStore.findByCreateKey(db, actor.province, actor.id, opts.idempotencyKey).catch((e) => {
      throw storageError(e)
    })
    if (existing) return replay(context, existing, def.id, actor)
  }
  const hooks = await runBeforeHooks(context.plugins, (p) => p.hooks?.beforeCreate?.({ workflow: def.id, version: def.version, input, actor, db }))
  const id = randomUUID()
  const now = clock.now()
  beginStep(context.time, now)
  const step = startMachine(machine, { input: input ?? {}, actor, caseId: id, now: now.toISOString() })
  const snapshot = step.snapshot
  const parties = partiesOf(def, snapshot.context, actor.agency)
  const agencies = agenciesOf(parties)
  const state = flatState(snapshot.value)
  const { deadlines, upserts } = nextDeadlines([], step, now, context.time.gaps)
  const provisional = provisionalDeadlines(upserts)
  const meta = { ...hooks.meta, ...(provisional ? { provisionalDeadlines: provisional } : {}) }
  const derived = derivedFields(context.tokens, entry, state, snapshot, parties, actor.province)
  const history = { type: "case.created", payload: input ?? {}, actor, at: now, from: null, to: state }
  const metaOrNull = Object.keys(meta).length ? meta : null
  const write = {
    id,
    rev: 1,
    state,
    stateValue: snapshot.value,
    status: snapshot.status === "done" ? ("done" as const) : ("active" as const),
    context: snapshot.context,
    snapshot: storedSnapshot(machine, snapshot),
    owner: parties.owner,
    lead: parties.lead,
    cooperating: [...parties.cooperating],
    agencies,
    deadlines,
    nextDueAt: deadlines[0]?.dueAt ?? null,
    headHash: "",
    at: now,
    history: {
      ...history,
      idempotencyKey: null,
      meta: metaOrNull,
      chainFormat: CHAIN_FORMAT,
      prevHash: GENESIS_HASH,
      hash: chainHash(GENESIS_HASH, { caseId: id, rev: 1, ...history, meta: metaOrNull, chainFormat: CHAIN_FORMAT }),
    },
    timerDeletes: [],
    deleteAllTimers: false,
    timerUpserts: upserts,
    outbox: [...step.emitted.map((e) => ({ topic: e.type, payload: e })), ...hooks.outbox],
    province: actor.province,
    workflow: def.id,
    version: def.version,
    createdBy: actor.id,
    createKey: opts.idempotencyKey ?? null,
    notify: null as string | null,
    waiting: derived.waiting,
    title: derived.title,
    // A case with no searchable text needs no text row until it has some.
    searchText: derived.searchText || null,
    assignment: null,
  }
  write.headHash = write.history.hash
  const pending = { ...commitOf(write, actor, step.emitted), createdBy: actor.id, createKey: write.createKey }
  write.outbox.push(...(await runBeforeWriteHooks(context.plugins, pending)))
  write.notify = context.announcement(write, actor.province, def.id)
  try {
    await caseStore.insert(db, write, also)
  } catch (e) {
    const failure = classifyDatabaseError(e)
    if (failure.kind === "unique-violation" && opts.idempotencyKey) {
      const existing = await caseStore.findByCreateKey(db, actor.province, actor.id, opts.idempotencyKey)
      if (existing) return replay(context, existing, def.id, actor)
    }
    throw storageError(e)
  }
  const row = rowFromWrite(write, { province: actor.province, workflow: def.id, version: def.version, createdBy: actor.id, createKey: write.createKey, createdAt: now })
  context.publisher.publish(context.publisher.committed(write, actor, step.emitted))
  return caseView(context.workflows, access, row, actor, snapshot)
}

/** The answer to a repeated create key: the case the key made, if it is of `workflow` and `actor` still sees it. */
function replay(context: EngineContext, existing: CaseRow, workflow: string, actor: Actor): SendResult {
  if (existing.workflow !== workflow) {
    throw new ValidationError([{ path: "/idempotencyKey", message: `was already used to start a ${existing.workflow} case, not ${workflow}` }], "case")
  }
  // The creator may have moved agency, or the case been handed over since: they read it like any other case.
  if (!context.access.canSee(actor, existing.province, existing.agencies)) throw new CaseNotFoundError(existing.id)
  return { ...caseView(context.workflows, context.access, existing, actor), replayed: true }
}
