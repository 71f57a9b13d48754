import { type RawBuilder, sql } from "kysely"
import type { AnyMachineSnapshot } from "xstate"
import type { Actor } from "../actor.js"
import { ForbiddenError, ValidationError } from "../errors/errors.js"
import { CHAIN_FORMAT, chainHash } from "../history/hash.js"
import { ownValue } from "../input/own-value.js"
import { type CaseRow, type CaseWrite, announced, assignmentSet, historyInsert, json, textArray, ts } from "../storage/case-store.js"
import { agenciesOf, partiesOf } from "../engine/case-write.js"
import type { EngineContext } from "../engine/engine-context.js"
import { flatState, storedSnapshot } from "../engine/machine-step.js"
import { storageError } from "../engine/storage-error.js"
import { type Registered, beginStep } from "../engine/workflow-registry.js"
import { derivedFields } from "../worklist/derived-fields.js"
import { type CaseMigrationPlan, migrationPlanIssues } from "./migration-plan.js"
import { stateValueOf } from "./state-value.js"
import { enteredDeadlines } from "./target-deadlines.js"

/**
 * Options of `engine.migrateCases`.
 *
 * @example
 * const options: MigrateCasesOptions = { actor: engine.access.systemActor("vinh-phuc"), dryRun: true, batch: 200, onProgress: (p) => console.log(p.scanned) }
 */
export interface MigrateCasesOptions {
  /** Who moves the cases, recorded on each history row: the system actor or a coordinator head of the province. */
  readonly actor: Actor
  /** Report what would move and what cannot; write nothing. */
  readonly dryRun?: boolean
  /** Cases read per query (default 200, at most 1000). */
  readonly batch?: number
  /** Called after each batch. */
  readonly onProgress?: (progress: MigrationProgress) => void
}

/** How far a migration got. */
export interface MigrationProgress {
  readonly scanned: number
  readonly moved: number
  readonly cannot: number
}

/** A case the migration moved (or would move). */
export interface MovedCase {
  readonly caseId: string
  readonly from: string
  readonly to: string
  /** The rev of its `case.migrated` row (a dry run: the rev it would get). */
  readonly rev: number
}

/** A case the migration cannot move, and why; it stays on its version. */
export interface UnmovableCase {
  readonly caseId: string
  readonly state: string
  readonly reason: string
}

/** What `engine.migrateCases` did or would do. */
export interface MigrationReport {
  readonly workflow: string
  readonly from: number
  readonly to: number
  readonly dryRun: boolean
  readonly moved: ReadonlyArray<MovedCase>
  readonly cannot: ReadonlyArray<UnmovableCase>
  /** Cases of version `from` that are done: they keep their version. */
  readonly done: number
}

type Outcome = { readonly ok: true; readonly write: CaseWrite; readonly state: string } | { readonly ok: false; readonly reason: string }

/**
 * Moves the running cases of `plan.workflow@plan.from` in the actor's
 * province to version `plan.to` (`engine.migrateCases`), one statement per
 * case: the case row (version, state, context, snapshot, deadlines) and a
 * hash-chained `case.migrated` history row, guarded by the case's rev and
 * version so that a case another writer moved meanwhile is read again.
 * Cases of `to` are never read, so re-running resumes where a run stopped.
 *
 * @example
 * const r = await migrateCases(context, planV1toV2, { actor: context.access.systemActor("vinh-phuc") })
 */
export async function migrateCases(context: EngineContext, plan: CaseMigrationPlan, options: MigrateCasesOptions): Promise<MigrationReport> {
  const actor = options?.actor
  context.access.admit(actor)
  if (!context.access.isSystem(actor) && !actor.roles.includes("coordinator_head")) {
    throw new ForbiddenError(`migrate ${String(plan?.workflow)} cases`, "only the system actor or a coordinator head may")
  }
  const issues = migrationPlanIssues(plan)
  const batch = options.batch ?? 200
  if (!Number.isInteger(batch) || batch < 1 || batch > 1000) issues.push({ path: "/batch", message: "must be an integer from 1 to 1000" })
  if (issues.length) throw new ValidationError(issues, "migration plan")
  context.workflows.resolve(plan.workflow, plan.from)
  const target = context.workflows.resolve(plan.workflow, plan.to)
  const dryRun = options.dryRun === true
  const moved: MovedCase[] = []
  const cannot: UnmovableCase[] = []
  let scanned = 0
  let after = ""
  const read = async (sinceId: string) =>
    (
      await sql<CaseRow>`select * from civicase_cases where province = ${actor.province} and workflow = ${plan.workflow} and version = ${plan.from}
        and status = 'active' and id::text > ${sinceId} order by id::text limit ${batch}`.execute(context.db)
    ).rows
  for (;;) {
    const rows = await read(after).catch((e) => Promise.reject(storageError(e)))
    if (rows.length === 0) break
    for (let row of rows) {
      scanned++
      for (let tries = 0; ; tries++) {
        const outcome = migrateOne(context, plan, target, row, actor)
        if (!outcome.ok) {
          cannot.push({ caseId: row.id, state: row.state, reason: outcome.reason })
          break
        }
        if (dryRun || (await write(context, plan, outcome.write).catch((e) => Promise.reject(storageError(e))))) {
          moved.push({ caseId: row.id, from: row.state, to: outcome.state, rev: outcome.write.rev })
          if (!dryRun) {
            const placed = { ...outcome.write, province: row.province, workflow: row.workflow, version: plan.to }
            context.publisher.publish(context.publisher.committed(placed, actor, []))
          }
          break
        }
        // Another writer moved the case: read it again (it may be done, or already migrated).
        const again = await sql<CaseRow>`select * from civicase_cases where id = ${row.id}`.execute(context.db).catch((e) => Promise.reject(storageError(e)))
        const fresh = again.rows[0]
        if (!fresh || fresh.version !== plan.from || fresh.status !== "active" || tries >= 5) break
        row = fresh
      }
    }
    after = rows.at(-1)!.id
    options.onProgress?.({ scanned, moved: moved.length, cannot: cannot.length })
  }
  const done = await sql<{ n: number }>`select count(*)::int as n from civicase_cases where province = ${actor.province} and workflow = ${plan.workflow}
    and version = ${plan.from} and status = 'done'`.execute(context.db).catch((e) => Promise.reject(storageError(e)))
  return { workflow: plan.workflow, from: plan.from, to: plan.to, dryRun, moved, cannot, done: done.rows[0]?.n ?? 0 }
}

/** The write that moves one case, or why it cannot move. */
function migrateOne(context: EngineContext, plan: CaseMigrationPlan, target: Registered, row: CaseRow, actor: Actor): Outcome {
  const to = ownValue(plan.states, row.state)
  if (typeof to !== "string") return { ok: false, reason: `the plan maps no state of version ${plan.to} to "${row.state}"` }
  let nextContext: unknown = row.context
  if (plan.context) {
    try {
      nextContext = plan.context(structuredClone(row.context), { caseId: row.id, province: row.province, from: row.state, to })
    } catch (e) {
      return { ok: false, reason: `the plan's context function failed: ${(e as Error).message}` }
    }
  }
  let snapshot: AnyMachineSnapshot
  try {
    snapshot = target.machine.resolveState({ value: stateValueOf(to) as never, context: nextContext })
  } catch (e) {
    return { ok: false, reason: `"${to}" is not a state of ${plan.workflow}@${plan.to}: ${(e as Error).message}` }
  }
  const state = flatState(snapshot.value)
  if (state !== to && !state.startsWith(`${to}.`)) return { ok: false, reason: `"${to}" is not a state of ${plan.workflow}@${plan.to}` }
  const now = context.clock.now()
  beginStep(context.time, now)
  let deadlines
  try {
    deadlines = enteredDeadlines(target.machine, snapshot, now, context.time, row.deadlines ?? [], plan.deadlines)
  } catch (e) {
    return { ok: false, reason: `the deadlines of "${to}" cannot be computed: ${(e as Error).message}` }
  }
  const status = snapshot.status === "done" ? ("done" as const) : ("active" as const)
  const parties = partiesOf(target.def, snapshot.context, row.owner_agency)
  const derived = derivedFields(context.tokens, target, state, snapshot, parties, row.province, { context: row.context, waiting: row.waiting, assigneeScope: row.assignee_scope })
  const rev = row.rev + 1
  const payload = {
    workflow: plan.workflow,
    from: { version: plan.from, state: row.state },
    to: { version: plan.to, state },
    deadlines: plan.deadlines,
    ...(plan.reason ? { reason: plan.reason } : {}),
  }
  const fields = { type: "case.migrated", payload, actor, at: now, from: row.state, to: state }
  const meta = { migration: { from: plan.from, to: plan.to, deadlinesBefore: (row.deadlines ?? []).map((d) => ({ name: d.name, dueAt: d.dueAt })) } }
  const hash = chainHash(row.head_hash, { caseId: row.id, rev, ...fields, meta, chainFormat: CHAIN_FORMAT })
  const write: CaseWrite = {
    id: row.id,
    rev,
    state,
    stateValue: snapshot.value,
    status,
    context: snapshot.context,
    snapshot: storedSnapshot(target.machine, snapshot),
    owner: parties.owner,
    lead: parties.lead,
    cooperating: [...parties.cooperating],
    agencies: agenciesOf(parties),
    deadlines,
    nextDueAt: deadlines[0]?.dueAt ?? null,
    headHash: hash,
    at: now,
    history: {
      ...fields,
      idempotencyKey: null,
      meta,
      chainFormat: CHAIN_FORMAT,
      prevHash: row.head_hash,
      hash,
    },
    timerDeletes: [],
    deleteAllTimers: true,
    timerUpserts: deadlines,
    outbox: [],
    notify: null,
    waiting: derived.waiting,
    title: derived.title,
    searchText: derived.searchText,
    assignment: derived.clearStepAssignment ? { assignee: null, scope: null } : null,
  }
  write.notify = context.announcement(write, row.province, plan.workflow)
  return { ok: true, write, state }
}

/** Writes one migrated case if it is still at its rev and version; false when another writer moved it. */
async function write(context: EngineContext, plan: CaseMigrationPlan, w: CaseWrite): Promise<boolean> {
  const keep = JSON.stringify(w.timerUpserts.map((d) => d.id))
  const parts: RawBuilder<unknown>[] = [
    sql`w as (update civicase_cases set version = ${plan.to}, state = ${w.state}, state_value = ${json(w.stateValue)}, status = ${w.status}, context = ${json(w.context)},
      snapshot = ${json(w.snapshot)}, rev = ${w.rev}, owner_agency = ${w.owner}, lead_agency = ${w.lead}, cooperating_agencies = ${textArray(w.cooperating)},
      agencies = ${textArray(w.agencies)}, deadlines = ${json(w.deadlines)}, next_due_at = ${ts(w.nextDueAt)}, head_hash = ${w.headHash}, updated_at = ${ts(w.at)},
      waiting = ${textArray(w.waiting)}, title = ${w.title}${assignmentSet(w.assignment)}
      where id = ${w.id} and rev = ${w.rev - 1} and version = ${plan.from} returning id, province)`,
    sql`h as (${historyInsert("w", w)})`,
    // The old version's timers go, except those the new state sets again (upserted below): one statement cannot delete and insert the same key.
    sql`tdel as (delete from civicase_timers t using w where t.case_id = w.id and t.id not in (select jsonb_array_elements_text(${keep}::jsonb)))`,
  ]
  if (w.timerUpserts.length > 0) {
    parts.push(sql`tins as (insert into civicase_timers (case_id, id, name, event, due_at, rev)
      select w.id, x.id, x.name, x.event, x."dueAt", ${w.rev} from w, jsonb_to_recordset(${JSON.stringify(w.timerUpserts)}::jsonb) as x(id text, name text, event jsonb, "dueAt" timestamptz)
      on conflict (case_id, id) do update set name = excluded.name, event = excluded.event, due_at = excluded.due_at, rev = excluded.rev, locked_until = null)`)
  }
  if (w.searchText !== null) {
    parts.push(sql`txt as (insert into civicase_case_text (case_id, province, doc) select w.id, w.province, to_tsvector('simple', ${w.searchText}) from w
      on conflict (case_id) do update set doc = excluded.doc)`)
  }
  const r = await sql<{ n: number }>`with ${sql.join(parts, sql`, `)} select count(*)::int as n from ${announced(w)}`.execute(context.db)
  return r.rows[0]?.n === 1
}
