import type { ValidationIssue } from "../errors/errors.js"

/** What a plan's context function is told about the case it maps. */
export interface MigrationCaseInfo {
  readonly caseId: string
  readonly province: string
  /** The flat state the case is in on the old version (`in_implementation.report_review`). */
  readonly from: string
  /** The flat state the plan maps it to on the new version. */
  readonly to: string
}

/**
 * How running cases move from one version of a workflow to another
 * (kế hoạch chuyển phiên bản): each state of version `from` that running
 * cases may be in maps to a state of version `to`; `context` maps the case
 * data (it may throw to refuse a case: the case stays where it is and the
 * report says why); `deadlines` says whether the pending deadlines of the
 * new state are computed afresh from the moment of moving (`recompute`) or
 * keep the due time a pending deadline of the same name already had (`keep`).
 *
 * @example
 * const plan: CaseMigrationPlan = {
 *   workflow: "leave", from: 1, to: 2,
 *   states: { draft: "draft", review: "approval", approved: "approved" },
 *   context: (ctx) => ({ ...(ctx as object), step: 0 }),
 *   deadlines: "keep",
 * }
 */
export interface CaseMigrationPlan {
  readonly workflow: string
  readonly from: number
  readonly to: number
  /** Flat state of version `from` → flat state of version `to`. */
  readonly states: Readonly<Record<string, string>>
  readonly context?: (context: unknown, info: MigrationCaseInfo) => unknown
  readonly deadlines: "recompute" | "keep"
  /** Why, recorded on each `case.migrated` row (Vietnamese first). */
  readonly reason?: string
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v)

/**
 * The shape problems of a migration plan, by path; empty when it is usable.
 *
 * @example
 * migrationPlanIssues({ workflow: "leave", from: 2, to: 2, states: {}, deadlines: "keep" }) // [{ path: "/to", message: "must differ from /from" }]
 */
export function migrationPlanIssues(plan: unknown): ValidationIssue[] {
  if (!isRecord(plan)) return [{ path: "/", message: "must be a migration plan { workflow, from, to, states, deadlines }" }]
  const issues: ValidationIssue[] = []
  if (typeof plan.workflow !== "string" || plan.workflow.length === 0) issues.push({ path: "/workflow", message: "must be a workflow id" })
  for (const key of ["from", "to"] as const) {
    const v = plan[key]
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1) issues.push({ path: `/${key}`, message: "must be a workflow version (an integer from 1)" })
  }
  if (plan.from === plan.to) issues.push({ path: "/to", message: "must differ from /from" })
  if (!isRecord(plan.states)) issues.push({ path: "/states", message: "must map each state of /from to a state of /to" })
  else {
    for (const [k, v] of Object.entries(plan.states)) if (typeof v !== "string" || v.length === 0) issues.push({ path: `/states/${k}`, message: "must be a state of the target version" })
  }
  if (plan.context !== undefined && typeof plan.context !== "function") issues.push({ path: "/context", message: "must be a function (context, info) => context" })
  if (plan.deadlines !== "recompute" && plan.deadlines !== "keep") issues.push({ path: "/deadlines", message: 'must be "recompute" or "keep"' })
  if (plan.reason !== undefined && typeof plan.reason !== "string") issues.push({ path: "/reason", message: "must be a string" })
  return issues
}
