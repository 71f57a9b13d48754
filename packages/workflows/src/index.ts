/**
 * @civicase/workflows: the five processes of a province's external-information
 * plan (thông tin đối ngoại) as versioned workflow definitions, the province
 * configuration schema, and two shipped province configurations.
 *
 * @example
 * import { loadProvince, provinceFiles, workflows } from "@civicase/workflows"
 * const province = loadProvince(provinceFiles.vinhPhuc)
 * const engine = createEngine({ store: pglite(), workflows: workflows(province) })
 *
 * @packageDocumentation
 */
export * from "./plan/index.js"
export {
  type AgencyProgress,
  type CoordinationConfig,
  type CoordinationContext,
  type CoordinationDeadlines,
  type CoordinationInput,
  coordinationConfigSchema,
  coordinationWorkflow,
  coordinationWorkflowV1,
  lateAgencies,
  topicKey,
} from "./coordination/index.js"
export * from "./commendation/index.js"
export * from "./press-response/index.js"
export * from "./violation/index.js"
export { type MermaidOptions, toMermaid } from "./diagram/to-mermaid.js"
export { type GeneratedFile, generatedFiles } from "./docs/generated-files.js"
export { workflowPage } from "./docs/workflow-page.js"
export { type Overlap, overlapCheckPlugin } from "./plugins/overlap-check.js"
export { provinceFiles, provinceSchemaFile } from "./province/files.js"
export { loadProvince } from "./province/load-province.js"
export { provinceDirectory } from "./province/province-directory.js"
export { provinceSchema } from "./province/province-schema.js"
export { provinceWarnings } from "./province/province-warnings.js"
export { basisSchema, calendarSchema } from "./province/calendar-schema.js"
export {
  type ApplySuccessionOptions,
  type FailedCase,
  type MovedCase,
  type SuccessionReport,
  type SuccessionStep,
  type UnchangedCase,
  applySuccession,
  planSuccession,
  successionKey,
  successionsOf,
} from "./province/succession.js"
export {
  AGENCY_SUCCEEDED,
  type AgencySucceededPayload,
  type AgencySuccession,
  agencySucceededLabel,
  agencySucceededPermission,
  agencySucceededSchema,
} from "./province/succession-event.js"
export { type WorkflowId, composeProvinceSchema, workflowIds } from "./province/schema.js"
export { durationSchema, labelSchema } from "./province/schema-parts.js"
export type { Agency, AgencyKind, Province, ProvinceBasis, ProvinceCalendar, ProvinceLabels, ProvinceOf } from "./province/types.js"
export { provinceEngineOptions, workflows } from "./workflows.js"
export { provinceConfiguration } from "./province/province-configuration.js"
export { planV1toV2, planV1toV2States } from "./plan/migrate-v1-v2.js"
