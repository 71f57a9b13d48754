import type { WorkflowDefinition } from "@civicase/core"
import { planWorkflow } from "./plan/index.js"
import type { Province } from "./province/types.js"

/**
 * The workflows of DOMAIN.md configured for `province`, ready for `createEngine`.
 *
 * @example
 * const province = loadProvince(provinceFiles.vinhPhuc)
 * const engine = createEngine({ store: pglite(), workflows: workflows(province), plugins: [overlapCheckPlugin] })
 */
export function workflows(province: Province): WorkflowDefinition[] {
  return [planWorkflow(province)]
}
