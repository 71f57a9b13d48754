import { type AssignAction, type Engine, assignActions } from "@civicase/core"
import type { FastifyInstance } from "fastify"
import { authenticatedResponses, bodyResponses, problemResponse, ref } from "../http/schemas.js"

const idParams = { type: "object", properties: { id: { type: "string", minLength: 1, maxLength: 100 } }, required: ["id"] } as const
const note = { type: "string", maxLength: 2000, description: "Why (ghi chú), recorded in the history" } as const
const personId = { type: "string", minLength: 1, maxLength: 200 } as const

/** The word a caller uses for themself: `{ "assignee": "me" }` claims the case. */
export const ME = "me"

interface AssignmentBody {
  readonly assignee: string | null
  readonly note?: string
  readonly action?: AssignAction
  readonly scope?: "case" | "step"
  readonly expectedRev?: number
  readonly idempotencyKey?: string
}

/**
 * Assignment (phân công) over HTTP: assign, claim, release, delegate and
 * reassign one case, and move every open case of a person who left.
 *
 * @example
 * await app.register(assignmentRoutes, { engine })
 * // POST /v1/cases/:id/assignment { "assignee": "me" }  → claims the case
 */
export async function assignmentRoutes(app: FastifyInstance, options: { engine: Engine }) {
  const { engine } = options

  app.post<{ Params: { id: string }; Body: AssignmentBody }>(
    "/v1/cases/:id/assignment",
    {
      schema: {
        tags: ["assignment"],
        summary: "Assign, claim, release, delegate or reassign a case (phân công)",
        description:
          'assignee: a person id of the province, "me" (the caller: a claim), or null (release). Without action the operation ' +
          "is inferred (null → unclaim; the caller → claim; the current assignee to a colleague of their agency → delegate; " +
          "an assigned case → reassign; else assign). Recorded as a case.assigned history row; the state does not change.",
        security: [{ bearer: [] }],
        params: idParams,
        body: {
          type: "object",
          properties: {
            assignee: { anyOf: [personId, { type: "null" }], description: 'A person id, "me", or null to release' },
            note,
            action: { type: "string", enum: [...assignActions] },
            scope: { type: "string", enum: ["case", "step"], description: "step (default): ends when what the case waits for changes; case: until released" },
            expectedRev: { type: "integer", minimum: 1 },
            idempotencyKey: { type: "string", minLength: 1, maxLength: 200 },
          },
          required: ["assignee"],
          additionalProperties: false,
        },
        response: {
          200: ref("Case"),
          ...authenticatedResponses,
          ...bodyResponses,
          404: problemResponse("No such case, or one the actor may not see (CIVICASE_E_CASE_NOT_FOUND)"),
          409: problemResponse("expectedRev is stale, or the case is done (CIVICASE_E_REVISION_CONFLICT, CIVICASE_E_CASE_CLOSED)"),
          422: problemResponse("A plugin refused the assignment (CIVICASE_E_REFUSED_BY_PLUGIN)"),
        },
      },
    },
    async (request, reply) => {
      const { assignee, note: text, action, scope, expectedRev, idempotencyKey } = request.body
      const who = assignee === ME ? request.actor.id : assignee
      const result = await engine.assign(
        request.params.id,
        { assignee: who, ...(text === undefined ? {} : { note: text }), ...(action === undefined ? {} : { action }), ...(scope === undefined ? {} : { scope }) },
        request.actor,
        { ...(expectedRev === undefined ? {} : { expectedRev }), ...(idempotencyKey === undefined ? {} : { idempotencyKey }) },
      )
      if (result.replayed) reply.header("idempotent-replayed", "true")
      return result
    },
  )

  app.post<{ Params: { id: string }; Body: { to: string | null; note?: string } }>(
    "/v1/people/:id/reassign",
    {
      schema: {
        tags: ["assignment"],
        summary: "Move every open case assigned to this person to another, or release them (someone left)",
        description:
          "Each case the caller may see and reassign moves (one case.assigned row each); the others are listed in failed and stay. " +
          "Safe to repeat: a case already moved is not moved again.",
        security: [{ bearer: [] }],
        params: idParams,
        body: {
          type: "object",
          properties: { to: { anyOf: [personId, { type: "null" }], description: 'The new assignee ("me": the caller), or null to release the cases' }, note },
          required: ["to"],
          additionalProperties: false,
        },
        response: {
          200: {
            type: "object",
            properties: {
              moved: { type: "integer" },
              skipped: { type: "integer", description: "Cases someone else reassigned meanwhile" },
              failed: {
                type: "array",
                items: { type: "object", properties: { caseId: { type: "string" }, code: { type: "string" }, message: { type: "string" } }, required: ["caseId", "code", "message"] },
              },
            },
            required: ["moved", "skipped", "failed"],
          },
          ...authenticatedResponses,
          ...bodyResponses,
        },
      },
    },
    async (request) => {
      const { to, note: text } = request.body
      return engine.reassignAll({ from: request.params.id, to: to === ME ? request.actor.id : to, ...(text === undefined ? {} : { note: text }) }, request.actor)
    },
  )
}
