import type { CaseFilter, Engine } from "@civicase/core"
import type { FastifyInstance } from "fastify"
import { authenticatedResponses, bodyResponses, problemResponse, ref } from "../http/schemas.js"

const idParams = { type: "object", properties: { id: { type: "string", maxLength: 100 } }, required: ["id"] } as const
const idempotencyKey = { type: "string", minLength: 1, maxLength: 200, description: "A repeated key (same actor, same workflow or event type) returns the case as it is now, marked replayed, and changes nothing" } as const
const caseNotFound = problemResponse("No such case, or one the actor may not see (CIVICASE_E_CASE_NOT_FOUND)")
const caseErrors = { ...authenticatedResponses, 404: caseNotFound } as const

/** The query of `GET /v1/cases`: a {@link CaseFilter} whose assignee may be "me" or "none". */
type CaseQuery = Omit<CaseFilter, "assignee"> & { readonly assignee?: string }

/**
 * The engine filter of a list query: `assignee=me` is the caller, `assignee=none` unassigned cases.
 *
 * @example
 * listFilter({ assignee: "me", actionable: true }, "u-17") // { assignee: "u-17", actionable: true }
 */
export function listFilter(query: CaseQuery, actorId: string): CaseFilter {
  const { assignee, ...rest } = query
  if (assignee === undefined) return rest
  return { ...rest, assignee: assignee === "me" ? actorId : assignee === "none" ? null : assignee }
}

/** The case routes: create, list, read, send an event, history, verify. */
export async function casesRoutes(app: FastifyInstance, options: { engine: Engine }) {
  const { engine } = options

  app.post<{ Body: { workflow: string; input?: unknown; idempotencyKey?: string } }>(
    "/v1/cases",
    {
      config: { inputMembers: ["input"] },
      schema: {
        tags: ["cases"],
        summary: "Start a case of a workflow (newest version)",
        security: [{ bearer: [] }],
        body: {
          type: "object",
          properties: { workflow: { type: "string", minLength: 1, maxLength: 100 }, input: { type: "object", additionalProperties: true }, idempotencyKey },
          required: ["workflow"],
          additionalProperties: false,
        },
        response: {
          201: ref("Case"),
          ...authenticatedResponses,
          ...bodyResponses,
          404: problemResponse("No such workflow (CIVICASE_E_WORKFLOW_NOT_FOUND)"),
          422: problemResponse("A plugin refused the case (CIVICASE_E_REFUSED_BY_PLUGIN)"),
        },
      },
    },
    async (request, reply) => {
      const { workflow, input, idempotencyKey: key } = request.body
      const result = await engine.createCase(workflow, input ?? {}, request.actor, key === undefined ? {} : { idempotencyKey: key })
      if (result.replayed) reply.header("idempotent-replayed", "true")
      reply.header("location", `/v1/cases/${result.id}`)
      return reply.code(201).send(result)
    },
  )

  app.get<{ Querystring: CaseQuery }>(
    "/v1/cases",
    {
      schema: {
        tags: ["cases"],
        summary: "The cases the actor may see, filtered, with cursor pagination",
        security: [{ bearer: [] }],
        querystring: {
          type: "object",
          properties: {
            workflow: { type: "string", maxLength: 100 },
            state: { type: "string", maxLength: 200, description: "A flat state or a prefix of one" },
            agency: { type: "string", maxLength: 200, description: "Cases this agency is a party to" },
            status: { type: "string", enum: ["active", "done"] },
            overdue: { type: "boolean", description: "Only cases with a deadline already past due" },
            assignee: { type: "string", minLength: 1, maxLength: 200, description: 'Cases assigned to this person id; "me": to the caller; "none": unassigned cases' },
            actionable: { type: "boolean", description: "Cases the caller can act on now (by role, agency and assignment), unassigned or assigned to them" },
            q: { type: "string", minLength: 1, maxLength: 200, description: 'Full-text search over title and searchable fields, with or without diacritics ("sat lo" finds "sạt lở"); every word must match as a prefix' },
            createdFrom: { type: "string", maxLength: 40, description: "YYYY-MM-DD (local midnight in the engine's time zone) or an ISO 8601 instant with offset" },
            createdTo: { type: "string", maxLength: 40, description: "YYYY-MM-DD (the whole day included) or an instant (exclusive)" },
            updatedFrom: { type: "string", maxLength: 40, description: "As createdFrom, on the last change" },
            updatedTo: { type: "string", maxLength: 40, description: "As createdTo, on the last change" },
            orderBy: { type: "string", enum: ["created", "updated", "deadline"], description: "created (default), updated, deadline (nearest first, cases without one last)" },
            direction: { type: "string", enum: ["asc", "desc"], default: "asc" },
            cursor: { type: "string", maxLength: 1000 },
            limit: { type: "integer", minimum: 1, maximum: 500, default: 50 },
          },
          additionalProperties: false,
        },
        response: {
          200: { type: "object", properties: { items: { type: "array", items: ref("Case") }, nextCursor: { type: "string" } }, required: ["items"] },
          ...authenticatedResponses,
        },
      },
    },
    async (request) => engine.listCases(listFilter(request.query, request.actor.id), request.actor),
  )

  app.get<{ Params: { id: string } }>(
    "/v1/cases/:id",
    { schema: { tags: ["cases"], summary: "One case", security: [{ bearer: [] }], params: idParams, response: { 200: ref("Case"), ...caseErrors } } },
    async (request) => engine.getCase(request.params.id, request.actor),
  )

  app.post<{ Params: { id: string }; Body: { type: string; payload?: unknown; expectedRev?: number; idempotencyKey?: string } }>(
    "/v1/cases/:id/events",
    {
      config: { inputMembers: ["payload"] },
      schema: {
        tags: ["cases"],
        summary: "Send an event; answers the case after the transition",
        description:
          "The payload is checked against the event's JSON Schema from the workflow definition (see GET /v1/workflows/{id}); " +
          "409 when expectedRev is stale or the event is not accepted in the current state (the problem names the state and the accepted events).",
        security: [{ bearer: [] }],
        params: idParams,
        body: {
          type: "object",
          properties: {
            type: { type: "string", minLength: 1, maxLength: 100 },
            payload: { type: "object", additionalProperties: true },
            expectedRev: { type: "integer", minimum: 1 },
            idempotencyKey,
          },
          required: ["type"],
          additionalProperties: false,
        },
        response: {
          200: ref("Case"),
          ...caseErrors,
          ...bodyResponses,
          409: problemResponse("expectedRev is stale, the event is not accepted in the current state, or the case is done (CIVICASE_E_REVISION_CONFLICT, CIVICASE_E_EVENT_NOT_ACCEPTED, CIVICASE_E_CASE_CLOSED)"),
          422: problemResponse("A plugin refused the event (CIVICASE_E_REFUSED_BY_PLUGIN)"),
        },
      },
    },
    async (request, reply) => {
      const { type, payload, expectedRev, idempotencyKey: key } = request.body
      const result = await engine.send(request.params.id, { type, payload: payload ?? {} }, request.actor, {
        ...(expectedRev === undefined ? {} : { expectedRev }),
        ...(key === undefined ? {} : { idempotencyKey: key }),
      })
      if (result.replayed) reply.header("idempotent-replayed", "true")
      if (result.replayedRev !== undefined) reply.header("idempotent-replayed-rev", String(result.replayedRev))
      return result
    },
  )

  app.get<{ Params: { id: string } }>(
    "/v1/cases/:id/history",
    {
      schema: {
        tags: ["cases"],
        summary: "Every event of the case, in order",
        security: [{ bearer: [] }],
        params: idParams,
        response: { 200: { type: "object", properties: { items: { type: "array", items: ref("HistoryEntry") } }, required: ["items"] }, ...caseErrors },
      },
    },
    async (request) => ({ items: await engine.history(request.params.id, request.actor) }),
  )

  app.get<{ Params: { id: string } }>(
    "/v1/cases/:id/verify",
    {
      schema: {
        tags: ["cases"],
        summary: "Recompute the case's history hash chain",
        security: [{ bearer: [] }],
        params: idParams,
        response: {
          200: { type: "object", properties: { ok: { type: "boolean" }, checked: { type: "integer" }, firstBadRev: { type: "integer" } }, required: ["ok", "checked"] },
          ...caseErrors,
        },
      },
    },
    async (request) => engine.verify(request.params.id, request.actor),
  )
}
