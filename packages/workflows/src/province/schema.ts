import type { JsonSchema } from "@civicase/core"
import { basisSchema, calendarSchema } from "./calendar-schema.js"
import { agencyIdSchema, labelSchema, roleNameSchema } from "./schema-parts.js"

/** The workflow ids a province configures, in DOMAIN.md order. */
export const workflowIds = ["plan", "coordination", "press-response", "violation", "commendation"] as const

/** A workflow id of the five processes. */
export type WorkflowId = (typeof workflowIds)[number]

const agencyKinds = ["province", "lead_department", "department", "district", "commune", "steering_committee", "propaganda_board", "press", "commendation_council", "other"]

/**
 * Builds the province JSON Schema from the sections' schemas; a workflow
 * whose section schema is missing accepts any object there.
 *
 * @example
 * const schema = composeProvinceSchema({ plan: planConfigSchema })
 */
export function composeProvinceSchema(sections: Partial<Record<WorkflowId, JsonSchema>>): JsonSchema {
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "civicase province configuration",
    description:
      "Everything a province sets to run the civicase workflows: agencies, roles, calendar, deadlines, approval chains, report periods, catalogues, quorum rules and labels (cấu hình tỉnh).",
    type: "object",
    required: ["id", "version", "names", "calendar", "agencies", "roles", "workflows"],
    properties: {
      $schema: { type: "string", description: "The schema this file declares, for editors." },
      id: { type: "string", pattern: "^[a-z][a-z0-9-]{0,62}$", description: "The province id used in actors' `province` claim (vinh-phuc)." },
      version: { type: "integer", minimum: 1, description: "Version of this configuration document." },
      names: labelSchema,
      calendar: calendarSchema,
      basis: basisSchema,
      agencies: {
        type: "array",
        minItems: 1,
        description: "The agencies of the province (cơ quan, đơn vị).",
        items: {
          type: "object",
          required: ["id", "kind", "names"],
          properties: {
            id: agencyIdSchema,
            kind: { enum: agencyKinds },
            names: labelSchema,
            code: { type: "string", pattern: "^[A-Z0-9.]{1,40}$", description: "National agency code (mã định danh cơ quan) where known." },
            retired: {
              type: "object",
              required: ["on", "successor"],
              properties: { on: { type: "string", format: "date" }, successor: agencyIdSchema },
              additionalProperties: false,
            },
          },
          additionalProperties: false,
        },
      },
      roles: {
        type: "object",
        description: 'Which agencies\' staff may hold each role, by role name; "*" means any agency.',
        propertyNames: roleNameSchema,
        additionalProperties: { type: "array", minItems: 1, uniqueItems: true, items: { anyOf: [agencyIdSchema, { const: "*" }] } },
      },
      provinceWideRoles: {
        type: "array",
        minItems: 1,
        uniqueItems: true,
        items: roleNameSchema,
        description:
          "Roles whose holders see every case of the province, not only their agency's. Default: coordinator, coordinator_head, province_leader, observer.",
      },
      labels: {
        type: "object",
        properties: {
          roles: { type: "object", propertyNames: roleNameSchema, additionalProperties: labelSchema },
          workflows: { type: "object", propertyNames: { enum: [...workflowIds] }, additionalProperties: labelSchema },
        },
        additionalProperties: false,
      },
      workflows: {
        type: "object",
        description: "One section per workflow, keyed by workflow id.",
        required: [...workflowIds],
        properties: Object.fromEntries(workflowIds.map((id) => [id, sections[id] ?? { type: "object" }])),
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  }
}
