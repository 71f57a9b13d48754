import type { Engine, PeopleFilter, PersonInput } from "@civicase/core"
import type { FastifyInstance } from "fastify"
import { authenticatedResponses, bodyResponses, problemResponse } from "../http/schemas.js"

const idParams = { type: "object", properties: { id: { type: "string", minLength: 1, maxLength: 100 } }, required: ["id"] } as const
const personNotFound = problemResponse("No such person in the caller's province (CIVICASE_E_PERSON_NOT_FOUND)")

/** A person of the directory; `email` only for the person, their agency's managers and province-wide roles. */
export const personSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    province: { type: "string" },
    agency: { type: "string" },
    name: { type: "string" },
    email: { type: ["string", "null"], description: "Personal data: shown to the person, a manager of their agency and province-wide roles only" },
    roles: { type: "array", items: { type: "string" } },
    active: { type: "boolean", description: "False once the person has left: no new assignment or mention" },
    updatedAt: { type: "string", format: "date-time" },
  },
  required: ["id", "province", "agency", "name", "roles", "active", "updatedAt"],
} as const

/**
 * The people directory (danh bạ cán bộ) of the caller's province: search it
 * to pick an assignee or someone to mention; record and deactivate people.
 *
 * @example
 * await app.register(peopleRoutes, { engine })
 * // GET /v1/people?q=nguyen%20van&agency=so-y-te
 */
export async function peopleRoutes(app: FastifyInstance, options: { engine: Engine }) {
  const { engine } = options

  app.get<{ Querystring: PeopleFilter }>(
    "/v1/people",
    {
      schema: {
        tags: ["people"],
        summary: "The people of the caller's province, by id; q finds names, ids and emails without diacritics",
        security: [{ bearer: [] }],
        querystring: {
          type: "object",
          properties: {
            agency: { type: "string", minLength: 1, maxLength: 200 },
            active: { type: "boolean" },
            q: { type: "string", minLength: 1, maxLength: 200, description: '"nguyen van" finds "Nguyễn Văn An"' },
            cursor: { type: "string", maxLength: 1000 },
            limit: { type: "integer", minimum: 1, maximum: 500, default: 100 },
          },
          additionalProperties: false,
        },
        response: {
          200: { type: "object", properties: { items: { type: "array", items: personSchema }, nextCursor: { type: "string" } }, required: ["items"] },
          ...authenticatedResponses,
        },
      },
    },
    async (request) => engine.people.list(request.query, request.actor),
  )

  app.get<{ Params: { id: string } }>(
    "/v1/people/:id",
    {
      schema: { tags: ["people"], summary: "One person of the caller's province", security: [{ bearer: [] }], params: idParams, response: { 200: personSchema, ...authenticatedResponses, 404: personNotFound } },
    },
    async (request) => engine.people.get(request.params.id, request.actor),
  )

  app.put<{ Params: { id: string }; Body: Omit<PersonInput, "id"> }>(
    "/v1/people/:id",
    {
      schema: {
        tags: ["people"],
        summary: "Record or update a person (themself, a manager of their agency, or a province-wide manager)",
        security: [{ bearer: [] }],
        params: idParams,
        body: {
          type: "object",
          properties: {
            agency: { type: "string", minLength: 1, maxLength: 200 },
            name: { type: "string", minLength: 1, maxLength: 200 },
            email: { type: ["string", "null"], maxLength: 320, description: "Absent keeps the one on record; null removes it" },
            roles: { type: "array", maxItems: 50, items: { type: "string", minLength: 1, maxLength: 100 } },
            active: { type: "boolean", description: "Managers only" },
          },
          required: ["agency", "name"],
          additionalProperties: false,
        },
        response: { 200: personSchema, ...authenticatedResponses, ...bodyResponses },
      },
    },
    async (request) => engine.people.upsert({ ...request.body, id: request.params.id }, request.actor),
  )

  app.post<{ Params: { id: string } }>(
    "/v1/people/:id/deactivate",
    {
      schema: {
        tags: ["people"],
        summary: "Mark a person as gone (nghỉ việc, chuyển công tác); their open cases stay until reassigned",
        security: [{ bearer: [] }],
        params: idParams,
        response: { 200: personSchema, ...authenticatedResponses, 404: personNotFound },
      },
    },
    async (request) => engine.people.deactivate(request.params.id, request.actor),
  )
}
