import type { AccessPolicy, SlaMetricsPlugin } from "@civicase/core"
import type { FastifyInstance } from "fastify"
import { HttpProblem } from "../http/problem.js"
import { errorResponses, ref } from "../http/schemas.js"

const label = "per workflow and owning agency: active cases by state, cases done, time in state, deadlines met and missed"

/**
 * `GET /v1/reports/sla` (đo lường hiệu quả): the SLA plugin's figures for the
 * actor's province. Roles that see the whole province (the engine's
 * `engine.access`) get every agency; anyone else only their own agency's row.
 */
export async function reportsRoutes(app: FastifyInstance, options: { sla: SlaMetricsPlugin | undefined; access: AccessPolicy }) {
  app.get<{ Querystring: { workflow?: string; agency?: string } }>(
    "/v1/reports/sla",
    {
      schema: {
        tags: ["reports"],
        summary: `SLA report, ${label}`,
        security: [{ bearer: [] }],
        querystring: {
          type: "object",
          properties: { workflow: { type: "string", maxLength: 100 }, agency: { type: "string", maxLength: 200 } },
          additionalProperties: false,
        },
        response: {
          200: {
            type: "object",
            properties: {
              items: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    province: { type: "string" },
                    workflow: { type: "string" },
                    agency: { type: "string" },
                    casesByState: { type: "object", additionalProperties: { type: "integer" } },
                    casesDone: { type: "integer" },
                    transitions: { type: "integer" },
                    timeInState: {
                      type: "array",
                      items: { type: "object", properties: { state: { type: "string" }, stints: { type: "integer" }, totalMs: { type: "number" }, averageMs: { type: "number" } } },
                    },
                    deadlines: { type: "array", items: { type: "object", properties: { name: { type: "string" }, met: { type: "integer" }, missed: { type: "integer" } } } },
                  },
                },
              },
            },
            required: ["items"],
          },
          404: ref("Problem"),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      if (!options.sla) throw new HttpProblem("CIVICASE_E_NOT_FOUND", "SLA reports are not enabled on this server (no slaMetricsPlugin)")
      const actor = request.actor
      const seesAll = options.access.seesWholeProvince(actor)
      const agency = seesAll ? request.query.agency : actor.agency
      if (!seesAll && request.query.agency !== undefined && request.query.agency !== actor.agency) {
        throw new HttpProblem("CIVICASE_E_FORBIDDEN", `only roles that see the whole province may read another agency's report`)
      }
      const items = await options.sla.report({
        province: actor.province,
        ...(request.query.workflow ? { workflow: request.query.workflow } : {}),
        ...(agency ? { agency } : {}),
      })
      return { items }
    },
  )
}
