import type { Engine } from "@civicase/core"
import type { FastifyInstance } from "fastify"
import { authenticatedResponses } from "../http/schemas.js"

const label = "per workflow and owning agency: active cases by state, cases done, transitions, time in state, deadlines met and missed, escalations"

/**
 * `GET /v1/reports/sla` (đo lường hiệu quả): `engine.reports.sla` for the
 * actor's province, computed from the database (exact across restarts and
 * servers), optionally within `[from, to)`. Roles that see the whole province
 * get every agency; anyone else only their own agency's row (another: 403).
 */
export async function reportsRoutes(app: FastifyInstance, options: { engine: Engine }) {
  app.get<{ Querystring: { workflow?: string; agency?: string; from?: string; to?: string } }>(
    "/v1/reports/sla",
    {
      schema: {
        tags: ["reports"],
        summary: `SLA report, ${label}`,
        security: [{ bearer: [] }],
        querystring: {
          type: "object",
          properties: {
            workflow: { type: "string", maxLength: 100 },
            agency: { type: "string", maxLength: 200 },
            from: { type: "string", maxLength: 40, description: "start of the window on history times (inclusive), ISO 8601" },
            to: { type: "string", maxLength: 40, description: "end of the window (exclusive), ISO 8601" },
          },
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
                      items: {
                        type: "object",
                        properties: {
                          state: { type: "string" },
                          stints: { type: "integer" },
                          totalMs: { type: "number" },
                          averageMs: { type: "number" },
                          medianMs: { type: "number" },
                          p90Ms: { type: "number" },
                        },
                      },
                    },
                    deadlines: { type: "array", items: { type: "object", properties: { name: { type: "string" }, met: { type: "integer" }, missed: { type: "integer" } } } },
                    escalations: { type: "integer" },
                  },
                },
              },
            },
            required: ["items"],
          },
          ...authenticatedResponses,
        },
      },
    },
    async (request) => {
      const { workflow, agency, from, to } = request.query
      const items = await options.engine.reports.sla(
        { ...(workflow ? { workflow } : {}), ...(agency ? { agency } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) },
        request.actor,
      )
      return { items }
    },
  )
}
