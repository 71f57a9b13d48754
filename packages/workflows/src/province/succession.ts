import { type Actor, type Engine, InvalidConfigError, ValidationError, type ValidationIssue, isCivicaseError } from "@civicase/core"
import { AGENCY_SUCCEEDED, type AgencySucceededPayload } from "./succession-event.js"
import type { Province } from "./types.js"

/** One agency whose open cases move: `from` is retired, `to` its final successor (chains followed). */
export interface SuccessionStep {
  readonly from: string
  readonly to: string
}

/**
 * Every retired agency of `province` and its final successor: `a → b → c`
 * gives `a → c` and `b → c`, so a case is never handed to an agency that is
 * itself retired. A successor that is unknown, or a cycle, is refused with
 * the path of the agency concerned (`loadProvince` refuses them too; this
 * also guards a province object built in code).
 *
 * @example
 * successionsOf(loadProvince("vinh-phuc-v2.json")) // [{ from: "huyen-tam-dao", to: "tp-vinh-yen" }]
 */
export function successionsOf(province: Province): SuccessionStep[] {
  const byId = new Map(province.agencies.map((a) => [a.id, a]))
  const issues: ValidationIssue[] = []
  const steps: SuccessionStep[] = []
  province.agencies.forEach((agency, i) => {
    if (!agency.retired) return
    const path = `/agencies/${i}/retired/successor`
    const seen = [agency.id]
    let to = agency.retired.successor
    for (;;) {
      const next = byId.get(to)
      if (!next) return issues.push({ path, message: `the successor chain ${[...seen, to].join(" → ")} ends at an unknown agency` })
      if (seen.includes(to)) return issues.push({ path, message: `the successors form a cycle: ${[...seen, to].join(" → ")}` })
      if (!next.retired) break
      seen.push(to)
      to = next.retired.successor
    }
    steps.push({ from: agency.id, to })
  })
  if (issues.length) throw new InvalidConfigError(`province ${province.id}`, issues)
  return steps
}

/**
 * What a new configuration version changes for open cases: the agencies it
 * retires (that the old version did not), each with its final successor.
 * Refused, with every problem by path, when the two are not versions of one
 * province, when the new one is not newer, or when it drops an agency instead
 * of retiring it (its cases would be left with nobody, silently).
 *
 * @example
 * const plan = planSuccession(loadProvince("vinh-phuc-v1.json"), loadProvince("vinh-phuc-v2.json"))
 * // [{ from: "huyen-tam-dao", to: "tp-vinh-yen" }, { from: "huyen-tam-duong", to: "tp-vinh-yen" }]
 */
export function planSuccession(oldProvince: Province, newProvince: Province): SuccessionStep[] {
  const issues: ValidationIssue[] = []
  if (oldProvince.id !== newProvince.id) issues.push({ path: "/id", message: `is "${newProvince.id}", but the earlier version is of "${oldProvince.id}"` })
  if (newProvince.version <= oldProvince.version) {
    issues.push({ path: "/version", message: `must be above the earlier version ${oldProvince.version}, got ${newProvince.version}` })
  }
  const kept = new Set(newProvince.agencies.map((a) => a.id))
  for (const agency of oldProvince.agencies) {
    if (!kept.has(agency.id)) {
      issues.push({ path: "/agencies", message: `drops the agency "${agency.id}" of version ${oldProvince.version}; keep it with "retired": { "on", "successor" } so its cases move` })
    }
  }
  let steps: SuccessionStep[] = []
  try {
    steps = successionsOf(newProvince)
  } catch (e) {
    if (!isCivicaseError(e) || e.code !== "CIVICASE_E_INVALID_CONFIG") throw e
    issues.push(...(e as InvalidConfigError).issues)
  }
  if (issues.length) throw new InvalidConfigError(`province ${newProvince.id} version ${newProvince.version}`, issues)
  const retiredBefore = new Set(oldProvince.agencies.filter((a) => a.retired).map((a) => a.id))
  return steps.filter((s) => !retiredBefore.has(s.from))
}

/** A case handed over. */
export interface MovedCase extends SuccessionStep {
  readonly caseId: string
  readonly workflow: string
  /** The case's revision after the hand-over. */
  readonly rev: number
}

/** A case that could not be handed over. */
export interface FailedCase extends SuccessionStep {
  readonly caseId: string
  /** The error code (`CIVICASE_E_…`) when civicase raised it. */
  readonly code?: string
  readonly error: string
}

/**
 * A case listed under the retired agency that has nothing of it to hand over:
 * it names the agency only through the configuration (a standing party of
 * the workflow), not in its own record; its agencies are recomputed from the
 * new configuration at its next transition.
 */
export interface UnchangedCase extends SuccessionStep {
  readonly caseId: string
  readonly reason: string
}

/** What {@link applySuccession} did. */
export interface SuccessionReport {
  readonly moved: ReadonlyArray<MovedCase>
  readonly failed: ReadonlyArray<FailedCase>
  readonly unchanged: ReadonlyArray<UnchangedCase>
}

/** Options of {@link applySuccession}. */
export interface ApplySuccessionOptions {
  /** Why, recorded on every case (the decision that merged the agencies). */
  readonly reason: string
  /** Only these steps (for example from {@link planSuccession}); default every retired agency of the province. */
  readonly steps?: ReadonlyArray<SuccessionStep>
  /** Told about each case as it is handled, for progress output. */
  readonly onCase?: (result: { readonly outcome: "moved" | "failed" | "unchanged"; readonly caseId: string; readonly from: string; readonly to: string }) => void
  /** Cases listed per page (default 100). */
  readonly pageSize?: number
}

/** The idempotency key of one hand-over: a second run, or a retry after a crash, writes nothing twice. */
export function successionKey(step: SuccessionStep, configVersion: number): string {
  return `succession:${step.from}:${step.to}:${configVersion}`
}

async function activeCasesOf(engine: Engine, agency: string, actor: Actor, limit: number): Promise<Array<{ id: string; workflow: string }>> {
  const out: Array<{ id: string; workflow: string }> = []
  let cursor: string | undefined
  do {
    const page = await engine.listCases({ agency, status: "active", limit, ...(cursor ? { cursor } : {}) }, actor)
    out.push(...page.items.map((c) => ({ id: c.id, workflow: c.workflow })))
    cursor = page.nextCursor
  } while (cursor)
  return out
}

/**
 * Hands the open cases of every retired agency of `province` over to its
 * final successor (chuyển giao hồ sơ cho cơ quan kế thừa), one recorded
 * `AGENCY_SUCCEEDED` event per case, never silently. Run it once the engine
 * serves the new configuration version. `actor` must see the whole province:
 * the engine's system actor (`engine.access.systemActor(province.id)`), or a
 * `coordinator_head`. Each case's failure is
 * reported and the others go on. Idempotent: a case already handed over is
 * no longer listed under the retired agency, and the idempotency key
 * {@link successionKey} makes a retried send write nothing twice.
 *
 * @example
 * const report = await applySuccession(engine, province, engine.access.systemActor(province.id), { reason: "Nghị quyết 1656/NQ-UBTVQH15: sáp nhập đơn vị hành chính" })
 * report.moved // [{ caseId, from: "huyen-tam-dao", to: "tp-vinh-yen", rev: 7, workflow: "plan" }]
 */
export async function applySuccession(engine: Engine, province: Province, actor: Actor, options: ApplySuccessionOptions): Promise<SuccessionReport> {
  if (typeof options.reason !== "string" || options.reason.trim().length === 0) {
    throw new ValidationError([{ path: "/reason", message: "must say why the cases move (a non-empty text)" }], "applySuccession options")
  }
  const moved: MovedCase[] = []
  const failed: FailedCase[] = []
  const unchanged: UnchangedCase[] = []
  for (const step of options.steps ?? successionsOf(province)) {
    const payload: AgencySucceededPayload = { from: step.from, to: step.to, reason: options.reason, configVersion: province.version }
    // Listed in full before any moves, so the pages do not shift under the hand-overs.
    for (const c of await activeCasesOf(engine, step.from, actor, options.pageSize ?? 100)) {
      try {
        const result = await engine.send(c.id, { type: AGENCY_SUCCEEDED, payload }, actor, { idempotencyKey: successionKey(step, province.version) })
        if (result.replayed) continue
        moved.push({ caseId: c.id, workflow: c.workflow, ...step, rev: result.rev })
        options.onCase?.({ outcome: "moved", caseId: c.id, ...step })
      } catch (e) {
        if (isCivicaseError(e) && e.code === "CIVICASE_E_EVENT_NOT_ACCEPTED" && (e as { reason?: string }).reason === "condition") {
          unchanged.push({ caseId: c.id, ...step, reason: "the case names the agency only through the configuration, not in its own record" })
          options.onCase?.({ outcome: "unchanged", caseId: c.id, ...step })
          continue
        }
        const err = e as Error & { code?: string }
        failed.push({ caseId: c.id, ...step, ...(err.code ? { code: err.code } : {}), error: err.message ?? String(e) })
        options.onCase?.({ outcome: "failed", caseId: c.id, ...step })
      }
    }
  }
  return { moved, failed, unchanged }
}
