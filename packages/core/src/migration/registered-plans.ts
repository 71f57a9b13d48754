import { InvalidConfigError, type ValidationIssue } from "../errors/errors.js"
import type { Plugin } from "../plugins/plugin.js"
import { type CaseMigrationPlan, migrationPlanIssues } from "./migration-plan.js"

/**
 * The migration plans of an engine: its `caseMigrations` option, then each
 * plugin's; a malformed plan, or two moving the same workflow between the
 * same versions, is an `InvalidConfigError` naming the path.
 *
 * @example
 * const plans = registeredPlans(options.caseMigrations ?? [], plugins)
 */
export function registeredPlans(own: ReadonlyArray<CaseMigrationPlan>, plugins: ReadonlyArray<Plugin>): CaseMigrationPlan[] {
  const issues: ValidationIssue[] = []
  const seen = new Set<string>()
  const out: CaseMigrationPlan[] = []
  const add = (plan: CaseMigrationPlan, at: string) => {
    for (const i of migrationPlanIssues(plan)) issues.push({ path: `${at}${i.path === "/" ? "" : i.path}`, message: i.message })
    const key = `${String(plan?.workflow)}@${String(plan?.from)}→${String(plan?.to)}`
    if (seen.has(key)) issues.push({ path: at, message: `a second plan moves ${String(plan?.workflow)} from ${String(plan?.from)} to ${String(plan?.to)}` })
    seen.add(key)
    out.push(plan)
  }
  own.forEach((plan, i) => add(plan, `/caseMigrations/${i}`))
  plugins.forEach((p, j) => (p.caseMigrations ?? []).forEach((plan, i) => add(plan, `/plugins/${j}/caseMigrations/${i}`)))
  if (issues.length) throw new InvalidConfigError("engine options", issues)
  return out
}
