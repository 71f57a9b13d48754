import type { WorkflowDefinition } from "@civicase/core"
import { commendationWorkflow } from "./commendation/index.js"
import { coordinationWorkflow } from "./coordination/index.js"
import { planWorkflow } from "./plan/index.js"
import { pressResponseWorkflow } from "./press-response/index.js"
import type { Province } from "./province/types.js"
import { violationWorkflow } from "./violation/index.js"

/**
 * The five workflows of DOMAIN.md configured for `province`, ready for `createEngine`.
 *
 * @example
 * const province = loadProvince(provinceFiles.vinhPhuc)
 * const engine = createEngine({ store: pglite(), workflows: workflows(province), plugins: [overlapCheckPlugin] })
 */
export function workflows(province: Province): WorkflowDefinition[] {
  return [planWorkflow(province), coordinationWorkflow(province), pressResponseWorkflow(province), violationWorkflow(province), commendationWorkflow(province)]
}
