import type { Engine } from "@civicase/core"
import { WorkflowNotFoundError } from "@civicase/core"
import type { FastifyInstance } from "fastify"
import { authenticatedResponses, problemResponse, ref } from "../http/schemas.js"
import { describeWorkflow, summarizeWorkflow } from "../workflow/describe-workflow.js"

/** `GET /v1/workflows` and `GET /v1/workflows/:id`: what this server runs. */
export async function workflowsRoutes(app: FastifyInstance, options: { engine: Engine }) {
  const { engine } = options
  app.get(
    "/v1/workflows",
    {
      schema: {
        tags: ["workflows"],
        summary: "The workflows this server runs, with their events' payload schemas",
        security: [{ bearer: [] }],
        response: { 200: { type: "object", properties: { items: { type: "array", items: ref("Workflow") } }, required: ["items"] }, ...authenticatedResponses },
      },
    },
    async () => ({ items: engine.workflows().map(summarizeWorkflow) }),
  )
  app.get<{ Params: { id: string }; Querystring: { version?: number } }>(
    "/v1/workflows/:id",
    {
      schema: {
        tags: ["workflows"],
        summary: "One workflow (newest version unless `version` is given): states, events and a Mermaid diagram",
        security: [{ bearer: [] }],
        params: { type: "object", properties: { id: { type: "string", maxLength: 100 } }, required: ["id"] },
        querystring: { type: "object", properties: { version: { type: "integer", minimum: 1 } }, additionalProperties: false },
        response: { 200: ref("WorkflowDetail"), ...authenticatedResponses, 404: problemResponse("No such workflow or version (CIVICASE_E_WORKFLOW_NOT_FOUND)") },
      },
    },
    async (request) => {
      const { id } = request.params
      const known = engine.workflows().some((w) => w.id === id && (request.query.version === undefined || w.version === request.query.version))
      if (!known) throw new WorkflowNotFoundError(id, request.query.version)
      return describeWorkflow(engine.workflow(id, request.query.version))
    },
  )
}
