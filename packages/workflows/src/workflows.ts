import type { EngineOptions, Plugin, WorkflowDefinition } from "@civicase/core"
import { overlapCheckPlugin } from "./plugins/overlap-check.js"
import { commendationWorkflow, commendationWorkflowV1 } from "./commendation/index.js"
import { coordinationWorkflow, coordinationWorkflowV1 } from "./coordination/index.js"
import { planWorkflow, planWorkflowV1 } from "./plan/index.js"
import { planV1toV2 } from "./plan/migrate-v1-v2.js"
import { pressResponseWorkflow, pressResponseWorkflowV1 } from "./press-response/index.js"
import { provinceDirectory } from "./province/province-directory.js"
import type { Province } from "./province/types.js"
import { violationWorkflow, violationWorkflowV1 } from "./violation/index.js"

/**
 * The five workflows of DOMAIN.md configured for `province`, ready for
 * `createEngine`: every registered version of each, oldest first, so cases
 * started on an earlier version run on it while new cases start on the newest
 * (plan, press-response and violation have a version 2 that follows Plan
 * 155/KH-UBND and the law more closely, and commendation and coordination one
 * whose events name documents of the case; see packages/workflows/README.md).
 *
 * @example
 * const province = loadProvince(provinceFiles.vinhPhuc)
 * const engine = createEngine({ store: pglite(), workflows: workflows(province), plugins: [overlapCheckPlugin] })
 */
export function workflows(province: Province): WorkflowDefinition[] {
  return [
    planWorkflowV1(province),
    planWorkflow(province),
    coordinationWorkflowV1(province),
    coordinationWorkflow(province),
    pressResponseWorkflowV1(province),
    pressResponseWorkflow(province),
    violationWorkflowV1(province),
    violationWorkflow(province),
    commendationWorkflowV1(province),
    commendationWorkflow(province),
  ]
}

/**
 * What a province decides of an engine: its five workflows, who may act in it
 * (its agencies, which agencies may hold each role, which roles see the whole
 * province: the engine's `provinces` option, keyed by the province id), and
 * the overlap check of `coordination`. Spread into `createEngine` next to the
 * store. Give your own plugins here rather than beside the spread, where they
 * would replace the overlap check.
 *
 * @example
 * const province = loadProvince("./lao-cai.json")
 * const engine = createEngine({ store: pglite(), ...provinceEngineOptions(province, { plugins: [auditPlugin()] }) })
 */
export function provinceEngineOptions(
  province: Province,
  extra: { readonly plugins?: ReadonlyArray<Plugin> } = {},
): Required<Pick<EngineOptions, "workflows" | "provinces" | "plugins" | "caseMigrations">> {
  return {
    workflows: workflows(province),
    caseMigrations: [planV1toV2(province)],
    provinces: { [province.id]: provinceDirectory(province) },
    plugins: [overlapCheckPlugin, ...(extra.plugins ?? [])],
  }
}
