import type { Engine } from "@civicase/core"
import type { FastifyInstance } from "fastify"
import { authenticatedResponses, bodyResponses, problemResponse } from "../http/schemas.js"

const idParams = { type: "object", properties: { id: { type: "string", minLength: 1, maxLength: 100 } }, required: ["id"] } as const
const caseNotFound = problemResponse("No such case, or one the actor may not see (CIVICASE_E_CASE_NOT_FOUND)")

const commentSchema = {
  type: "object",
  properties: {
    rev: { type: "integer", description: "The rev of its case.commented history row" },
    text: { type: "string" },
    mentions: { type: "array", items: { type: "string" }, description: "The people mentioned (each told: notify.mention)" },
    author: { type: "object", properties: { id: { type: "string" }, agency: { type: "string" }, name: { type: "string" } }, required: ["id", "agency"] },
    at: { type: "string", format: "date-time" },
  },
  required: ["rev", "text", "mentions", "author", "at"],
} as const

/**
 * Comments (ý kiến) on a case: by anyone who may see it, in any state;
 * `@id` in the text mentions a person, who is told.
 *
 * @example
 * await app.register(commentsRoutes, { engine })
 * // POST /v1/cases/:id/comments { "text": "@u-18 nhờ anh xem lại số liệu" }
 */
export async function commentsRoutes(app: FastifyInstance, options: { engine: Engine }) {
  const { engine } = options

  app.post<{ Params: { id: string }; Body: { text: string; mentions?: string[]; idempotencyKey?: string } }>(
    "/v1/cases/:id/comments",
    {
      schema: {
        tags: ["comments"],
        summary: "Comment on a case (in any state); mentions notify people",
        security: [{ bearer: [] }],
        params: idParams,
        body: {
          type: "object",
          properties: {
            text: { type: "string", minLength: 1, maxLength: 10_000 },
            mentions: { type: "array", maxItems: 50, items: { type: "string", minLength: 1, maxLength: 200 }, description: "Person ids, besides @id in the text" },
            idempotencyKey: { type: "string", minLength: 1, maxLength: 200 },
          },
          required: ["text"],
          additionalProperties: false,
        },
        response: {
          201: commentSchema,
          ...authenticatedResponses,
          ...bodyResponses,
          404: caseNotFound,
          422: problemResponse("A plugin refused the comment (CIVICASE_E_REFUSED_BY_PLUGIN)"),
        },
      },
    },
    async (request, reply) => {
      const { text, mentions, idempotencyKey } = request.body
      const entry = await engine.comment(request.params.id, { text, ...(mentions === undefined ? {} : { mentions }) }, request.actor, idempotencyKey === undefined ? {} : { idempotencyKey })
      return reply.code(201).send(entry)
    },
  )

  app.get<{ Params: { id: string }; Querystring: { cursor?: string; limit?: number } }>(
    "/v1/cases/:id/comments",
    {
      schema: {
        tags: ["comments"],
        summary: "A case's comments, oldest first, with cursor pagination",
        security: [{ bearer: [] }],
        params: idParams,
        querystring: {
          type: "object",
          properties: { cursor: { type: "string", maxLength: 1000 }, limit: { type: "integer", minimum: 1, maximum: 500, default: 100 } },
          additionalProperties: false,
        },
        response: {
          200: { type: "object", properties: { items: { type: "array", items: commentSchema }, nextCursor: { type: "string" } }, required: ["items"] },
          ...authenticatedResponses,
          404: caseNotFound,
        },
      },
    },
    async (request) => engine.comments(request.params.id, request.actor, request.query),
  )
}
