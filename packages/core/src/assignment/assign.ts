import type { Actor } from "../actor.js"
import { type ActivityOptions, type ActivityPlan, recordActivity } from "../activity/record-activity.js"
import type { EngineContext } from "../engine/engine-context.js"
import type { CaseParties, SendResult } from "../engine/types.js"
import { caseView } from "../engine/case-view.js"
import { storageError } from "../engine/storage-error.js"
import { unstorableText } from "../input/unstorable-text.js"
import { CaseClosedError, ForbiddenError, ValidationError, type ValidationIssue } from "../errors/errors.js"
import { peopleStore } from "../people/people-store.js"
import { withAssigneeNames } from "../people/person-names.js"
import type { LoadedCase } from "../storage/case-store.js"
import type { Permission } from "../workflow/types.js"
import { canActNow, waitedOn, waitingOf } from "../worklist/waiting-of.js"
import { type AssignAction, type AssignmentRules, assignActions } from "./assignment-rules.js"

/**
 * What `engine.assign` is asked to do. `assignee: null` releases the case.
 * Without `action`, the operation is inferred: null → `unclaim`; oneself →
 * `claim`; the assignee handing to a colleague of their agency → `delegate`;
 * an assigned case → `reassign`; else `assign`.
 *
 * @example
 * const input: AssignInput = { assignee: "u-17", note: "Anh A xử lý giúp", scope: "case" }
 */
export interface AssignInput {
  readonly assignee: string | null
  /** Why (ghi chú), recorded in the history; at most 2000 characters. */
  readonly note?: string
  readonly action?: AssignAction
  /**
   * `step`: ends when what the case waits for changes; `case`: stays until
   * released. Default: the current assignment's scope when the case changes
   * hands, else `step`.
   */
  readonly scope?: "case" | "step"
}

/** The payload of a `case.assigned` history row. */
export interface AssignedPayload {
  readonly action: AssignAction
  readonly assignee: string | null
  readonly previous: string | null
  readonly scope: "case" | "step" | null
  readonly note?: string
}

/** Internal: a bulk reassignment only moves a case still assigned to `from`. */
export interface AssignGuard {
  readonly onlyFrom?: string
}

/** The case after an assignment call, and what happened (`skipped`: no longer assigned to the bulk run's `from`). */
export interface AssignOutcome {
  readonly result: SendResult
  readonly outcome: "written" | "replayed" | "unchanged" | "skipped"
}

function checkInput(input: AssignInput): void {
  const issues: ValidationIssue[] = []
  if (typeof input !== "object" || input === null) throw new ValidationError([{ path: "", message: "must be an object" }], "assignment")
  if (input.assignee !== null && (typeof input.assignee !== "string" || input.assignee.length === 0 || input.assignee.length > 200)) {
    issues.push({ path: "/assignee", message: "must be a person id (1 to 200 characters) or null" })
  }
  if (input.note !== undefined) {
    if (typeof input.note !== "string" || input.note.length > 2000) issues.push({ path: "/note", message: "must be a string of at most 2000 characters" })
    else if (unstorableText(input.note)) issues.push({ path: "/note", message: unstorableText(input.note)! })
  }
  if (input.action !== undefined && !assignActions.includes(input.action)) issues.push({ path: "/action", message: `must be one of ${assignActions.join(", ")}` })
  if (input.scope !== undefined && input.scope !== "case" && input.scope !== "step") issues.push({ path: "/scope", message: "must be case or step" })
  for (const key of Object.keys(input)) if (!["assignee", "note", "action", "scope"].includes(key)) issues.push({ path: `/${key}`, message: "is not a field of an assignment" })
  if (issues.length) throw new ValidationError(issues, "assignment")
}

const invalid = (message: string, path = "/assignee") => new ValidationError([{ path, message }], "assignment")

/**
 * Assigns, claims, releases, delegates or reassigns a case (`engine.assign`),
 * recorded as a `case.assigned` history row with the new assignee's
 * `notify.assigned` outbox row. See `docs/assignments.md` for who may do what.
 *
 * @example
 * await assign(context, rules, caseId, { assignee: "u-17" }, head, {})
 */
export async function assign(
  context: EngineContext,
  rules: AssignmentRules,
  caseId: string,
  input: AssignInput,
  actor: Actor,
  opts: ActivityOptions = {},
  guard: AssignGuard = {},
): Promise<AssignOutcome> {
  checkInput(input)
  const target = input.assignee
  // The person is looked up once; the plan (run again on a retry) only reads it.
  const person = target === null ? undefined : await peopleStore.get(context.db, actor.province, target).catch((e) => Promise.reject(storageError(e)))
  if (target !== null && (!person || !person.active)) throw invalid(`${target} is not an active person of province ${actor.province}`)
  let skipped = false
  const plan = (row: LoadedCase): ActivityPlan | null => {
    if (row.status === "done") throw new CaseClosedError(row.id, row.state)
    const current = row.assignee
    if (guard.onlyFrom !== undefined && current !== guard.onlyFrom) {
      skipped = true
      return null
    }
    // Work that changes hands keeps its scope; new work is a step unless the caller says otherwise.
    const scope = target === null ? null : (input.scope ?? (current !== null ? row.assignee_scope : null) ?? "step")
    if (current === target && row.assignee_scope === scope) return null
    const parties: CaseParties = { owner: row.owner_agency, lead: row.lead_agency, cooperating: row.cooperating_agencies }
    const waiting = waitingOf(context, row)
    const action = input.action ?? infer(current, target, actor, person?.agency)
    authorize(context, rules, action, { current, target, actor, parties, waiting, targetAgency: person?.agency })
    if (person) {
      const on = waitedOn(waiting)
      const party = [parties.owner, parties.lead, ...parties.cooperating].includes(person.agency)
      if (!party && !on.agencies.has(person.agency) && !person.roles.some((r) => on.anywhere.has(r))) {
        throw invalid(`${target} (${person.agency}) is not of an agency the case concerns or waits on now`)
      }
    }
    const payload: AssignedPayload = { action, assignee: target, previous: current, scope, ...(input.note ? { note: input.note } : {}) }
    const notify = target !== null && target !== actor.id
    return {
      payload,
      assignment: { assignee: target, scope },
      outbox: notify
        ? [{ topic: "notify.assigned", payload: { type: "notify.assigned", recipient: target, action, by: actor.id, previous: current, scope, ...(input.note ? { note: input.note } : {}) } }]
        : [],
    }
  }
  const done = await recordActivity(context, caseId, actor, "case.assigned", plan, opts)
  const named = done.row.assignee !== null && done.row.assignee === target ? { ...done.row, assignee_name: person?.name ?? null } : (await withAssigneeNames(context.db, [done.row]))[0]!
  const view = caseView(context.workflows, context.access, named, actor)
  const result: SendResult = done.outcome === "replayed" ? { ...view, replayed: true, replayedRev: done.rev } : view
  return { result, outcome: skipped ? "skipped" : done.outcome }
}

/** The operation a call means when it names none. */
function infer(current: string | null, target: string | null, actor: Actor, targetAgency: string | undefined): AssignAction {
  if (target === null) return "unclaim"
  if (target === actor.id) return "claim"
  if (current === actor.id && targetAgency === actor.agency) return "delegate"
  return current === null ? "assign" : "reassign"
}

interface Situation {
  readonly current: string | null
  readonly target: string | null
  readonly actor: Actor
  readonly parties: CaseParties
  readonly waiting: ReadonlyArray<string>
  readonly targetAgency: string | undefined
}

/** Refuses what `actor` may not do (ForbiddenError) and an action that does not fit the call (ValidationError on /action). */
function authorize(context: EngineContext, rules: AssignmentRules, action: AssignAction, s: Situation): void {
  const { access } = context
  const need = (permission: Permission | undefined, what: string) => {
    if (!permission) return
    const denial = access.denial(s.actor, permission, s.parties)
    if (denial) throw new ForbiddenError(what, denial)
  }
  switch (action) {
    case "assign":
    case "reassign":
      if (s.target === null) throw invalid(`${action} needs an assignee; release with assignee null`, "/action")
      if (action === "assign" && s.current !== null) throw invalid(`the case is assigned to ${s.current}: reassign it`, "/action")
      if (action === "reassign" && s.current === null) throw invalid("the case is not assigned: assign it", "/action")
      need(action === "assign" ? rules.assign : rules.reassign, `${action} this case`)
      return
    case "claim":
      if (s.target !== s.actor.id) throw invalid("a claim assigns the case to its caller", "/action")
      if (!access.isSystem(s.actor) && !canActNow(s.waiting, s.actor)) throw new ForbiddenError("claim this case", "it does not wait for any of your roles at your agency now")
      if (s.current !== null && s.current !== s.actor.id) need(rules.reassign, `take over this case from ${s.current}`)
      need(rules.claim, "claim this case")
      return
    case "unclaim":
      if (s.target !== null) throw invalid("a release sets the assignee to null", "/action")
      if (s.current !== s.actor.id) need(rules.unclaim, `release this case from ${s.current ?? "nobody"}`)
      return
    case "delegate":
      if (s.target === null) throw invalid("a delegation needs an assignee", "/action")
      if (s.current !== s.actor.id) throw new ForbiddenError("delegate this case", "only its assignee may hand it on")
      if (s.targetAgency !== s.actor.agency) throw invalid(`a delegation stays within your agency (${s.actor.agency})`)
      need(rules.delegate, "delegate this case")
      return
  }
}
