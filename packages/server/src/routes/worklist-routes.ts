import type { Engine } from "@civicase/core"
import type { FastifyInstance } from "fastify"
import { authenticatedResponses } from "../http/schemas.js"

const count = (description: string) => ({ type: "integer", minimum: 0, description }) as const

/**
 * Work-list badges (số việc) of the caller: counts of open cases per list.
 *
 * @example
 * await app.register(worklistRoutes, { engine })
 * // GET /v1/worklist/summary → { "actionable": 3, "assigned": 1, "agency": 12, "overdue": 2 }
 */
export async function worklistRoutes(app: FastifyInstance, options: { engine: Engine }) {
  const { engine } = options
  app.get(
    "/v1/worklist/summary",
    {
      schema: {
        tags: ["cases"],
        summary: "Counts of the caller's work lists, for badges",
        security: [{ bearer: [] }],
        response: {
          200: {
            type: "object",
            properties: {
              actionable: count("Cases the caller can act on now, unassigned or assigned to them (GET /v1/cases?actionable=true)"),
              assigned: count("Open cases assigned to the caller (GET /v1/cases?assignee=me&status=active)"),
              agency: count("Open cases the caller's agency is a party to"),
              overdue: count("Open cases the caller may see with a deadline past"),
            },
            required: ["actionable", "assigned", "agency", "overdue"],
            additionalProperties: false,
          },
          ...authenticatedResponses,
        },
      },
    },
    async (request) => engine.worklist.summary(request.actor),
  )
}
