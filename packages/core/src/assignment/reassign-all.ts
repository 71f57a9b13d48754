import { createHash } from "node:crypto"
import { sql } from "kysely"
import type { Actor } from "../actor.js"
import type { EngineContext } from "../engine/engine-context.js"
import { storageError } from "../engine/storage-error.js"
import { ValidationError, isCivicaseError } from "../errors/errors.js"
import { idProblem } from "../people/person.js"
import { peopleStore } from "../people/people-store.js"
import { assign } from "./assign.js"
import type { AssignmentRules } from "./assignment-rules.js"

/**
 * A bulk reassignment (chuyển giao việc của người nghỉ): every open case
 * assigned to `from` moves to `to`, or is released when `to` is null.
 *
 * @example
 * const r: ReassignAllInput = { from: "u-17", to: "u-18", note: "Anh A nghỉ hưu từ 01/4" }
 */
export interface ReassignAllInput {
  readonly from: string
  readonly to: string | null
  readonly note?: string
}

/** Progress of a bulk reassignment, after each batch. */
export interface ReassignProgress {
  readonly moved: number
  readonly skipped: number
  readonly failed: number
}

/** Options of `engine.reassignAll`. */
export interface ReassignAllOptions {
  /** Called after each batch of cases. */
  readonly onProgress?: (progress: ReassignProgress) => void
  /** Cases per batch; default 100. */
  readonly batchSize?: number
}

/** What a bulk reassignment did. Cases it could not move stay assigned to `from`; running it again retries them. */
export interface ReassignAllResult {
  /** Cases moved to `to` (or released). */
  readonly moved: number
  /** Cases another writer reassigned meanwhile (no longer `from`'s). */
  readonly skipped: number
  /** Cases refused, with the error: `to` is not of an agency the case concerns, the actor may not reassign it, … */
  readonly failed: ReadonlyArray<{ readonly caseId: string; readonly code: string; readonly message: string }>
}

/**
 * Moves every open case assigned to `from` that `actor` may see, one
 * recorded `case.assigned` row each (`action: reassign`, or `unclaim` when
 * `to` is null), authorized case by case like `engine.assign`. Each move
 * carries an idempotency key derived from `from`, `to`, the case and the rev
 * it was read at, and only moves a case still assigned to `from`, so the
 * run is safe to repeat or to resume after a crash, and two runs at once
 * move each case once.
 *
 * @example
 * const r = await reassignAll(context, rules, { from: "u-17", to: "u-18" }, coordinator, { onProgress: (p) => console.log(p.moved) })
 */
export async function reassignAll(
  context: EngineContext,
  rules: AssignmentRules,
  input: ReassignAllInput,
  actor: Actor,
  options: ReassignAllOptions = {},
): Promise<ReassignAllResult> {
  const issues = []
  if (idProblem(input?.from)) issues.push({ path: "/from", message: idProblem(input.from)! })
  if (input?.to !== null && idProblem(input?.to)) issues.push({ path: "/to", message: `${idProblem(input.to)!}, or null to release` })
  if (input?.to === input?.from) issues.push({ path: "/to", message: "must differ from /from" })
  const size = options.batchSize ?? 100
  if (!Number.isInteger(size) || size < 1 || size > 1000) issues.push({ path: "/batchSize", message: "must be an integer from 1 to 1000" })
  if (issues.length) throw new ValidationError(issues, "reassignment")
  if (input.to !== null) {
    const to = await peopleStore.get(context.db, actor.province, input.to).catch((e) => Promise.reject(storageError(e)))
    if (!to?.active) throw new ValidationError([{ path: "/to", message: `${input.to} is not an active person of province ${actor.province}` }], "reassignment")
  }
  const run = createHash("sha256").update(JSON.stringify([input.from, input.to])).digest("hex").slice(0, 32)
  const ownAgency = context.access.seesWholeProvince(actor) ? null : actor.agency
  let moved = 0
  let skipped = 0
  const failed: Array<{ caseId: string; code: string; message: string }> = []
  let after = "00000000-0000-0000-0000-000000000000"
  for (;;) {
    const batch = await sql<{ id: string; rev: number }>`select id, rev from civicase_cases
      where province = ${actor.province} and assignee = ${input.from} and status = 'active' and id > ${after}::uuid
      ${ownAgency === null ? sql`` : sql`and agencies @> array[${ownAgency}]::text[]`}
      order by id limit ${size}`
      .execute(context.db)
      .catch((e) => Promise.reject(storageError(e)))
    for (const c of batch.rows) {
      try {
        const r = await assign(
          context,
          rules,
          c.id,
          { assignee: input.to, action: input.to === null ? "unclaim" : "reassign", ...(input.note !== undefined ? { note: input.note } : {}) },
          actor,
          { idempotencyKey: `reassign-all:${run}@${c.rev}` },
          { onlyFrom: input.from },
        )
        if (r.outcome === "skipped") skipped++
        else moved++
      } catch (e) {
        // The whole run must not stop at one case it may not move: report it and go on.
        if (!isCivicaseError(e) || e.code === "CIVICASE_E_STORAGE" || e.code === "CIVICASE_E_ENGINE_CLOSED") throw e
        failed.push({ caseId: c.id, code: e.code, message: e.message })
      }
    }
    options.onProgress?.({ moved, skipped, failed: failed.length })
    if (batch.rows.length < size) break
    after = batch.rows[batch.rows.length - 1]!.id
  }
  return { moved, skipped, failed }
}
