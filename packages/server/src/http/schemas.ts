/**
 * The JSON Schemas of the HTTP API's bodies, shared by the routes (Fastify
 * validates requests and serializes responses with them) and the generated
 * OpenAPI document.
 */

const label = {
  type: "object",
  properties: { vi: { type: "string" }, en: { type: "string" } },
  required: ["vi", "en"],
} as const

const anyObject = { type: "object", additionalProperties: true } as const

/** An RFC 9457 problem document. */
export const problemSchema = {
  $id: "Problem",
  type: "object",
  description: "RFC 9457 problem document (application/problem+json)",
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    code: { type: "string", description: "A registered CIVICASE_E_… code" },
    instance: { type: "string" },
    requestId: { type: "string" },
    errors: {
      type: "array",
      items: { type: "object", properties: { path: { type: "string" }, message: { type: "string" } }, required: ["path", "message"] },
    },
    state: { type: "string", description: "The case's current state (event not accepted, case closed)" },
    accepted: { type: "array", items: { type: "string" }, description: "The events the current state accepts" },
    currentRev: { type: "integer", description: "The case's current rev (stale expectedRev)" },
  },
  required: ["type", "title", "status", "detail", "code"],
  additionalProperties: true,
} as const

/** A case as the actor sees it. */
export const caseSchema = {
  $id: "Case",
  type: "object",
  properties: {
    id: { type: "string", format: "uuid" },
    province: { type: "string" },
    workflow: { type: "string" },
    version: { type: "integer" },
    state: { type: "string", description: "Flat state: dot-joined path of each active leaf, comma-separated for parallel regions" },
    stateValue: { description: "The XState state value" },
    status: { type: "string", enum: ["active", "done"] },
    context: anyObject,
    rev: { type: "integer" },
    parties: {
      type: "object",
      properties: { owner: { type: "string" }, lead: { type: ["string", "null"] }, cooperating: { type: "array", items: { type: "string" } } },
    },
    deadlines: {
      type: "array",
      items: {
        type: "object",
        properties: {
          id: { type: "string" },
          name: { type: "string" },
          label,
          dueAt: { type: "string", format: "date-time" },
          event: { type: "string" },
          calendarGaps: {
            type: "array",
            description: "Present when the due time is provisional (tạm tính): counted over years the province calendar does not know for sure",
            items: { type: "object", properties: { year: { type: "integer" }, reason: { type: "string", enum: ["no-yearly-decision", "beyond-calendar"] } } },
          },
        },
      },
    },
    allowedEvents: { type: "array", items: { type: "string" }, description: "Events this actor may send now" },
    title: { type: ["string", "null"], description: "The case's title (trích yếu), from the workflow's title; null when it declares none" },
    assignee: {
      type: ["object", "null"],
      description: "The person the case is assigned to (người được phân công), or null",
      properties: { id: { type: "string" }, name: { type: "string" }, scope: { type: "string", enum: ["case", "step"] } },
      required: ["id", "scope"],
    },
    waitingFor: { type: "array", items: { type: "string" }, description: "What the case waits for: tokens role@agency (role@* for any agency)" },
    createdAt: { type: "string", format: "date-time" },
    updatedAt: { type: "string", format: "date-time" },
  },
  required: ["id", "workflow", "version", "state", "status", "context", "rev", "deadlines", "allowedEvents", "createdAt", "updatedAt"],
} as const

const actorSchema = {
  type: "object",
  properties: { id: { type: "string" }, province: { type: "string" }, agency: { type: "string" }, roles: { type: "array", items: { type: "string" } } },
} as const

/** One row of a case's history. */
export const historyEntrySchema = {
  $id: "HistoryEntry",
  type: "object",
  properties: {
    rev: { type: "integer" },
    type: { type: "string" },
    payload: {},
    actor: actorSchema,
    at: { type: "string", format: "date-time" },
    from: { type: ["string", "null"] },
    to: { type: "string" },
    meta: { type: ["object", "null"], additionalProperties: true },
    chainFormat: { type: "integer", description: "What hash covers: 1 (older rows, meta not covered) or 2 (RFC 8785, meta covered); docs/audit.md" },
    prevHash: { type: "string" },
    hash: { type: "string" },
  },
  required: ["rev", "type", "payload", "actor", "at", "from", "to", "hash"],
} as const

/** A workflow as listed: id, version, labels, events with their payload schemas and permissions. */
export const workflowSchema = {
  $id: "Workflow",
  type: "object",
  properties: {
    id: { type: "string" },
    version: { type: "integer" },
    title: label,
    description: label,
    labels: anyObject,
    input: anyObject,
    events: {
      type: "array",
      items: {
        type: "object",
        properties: {
          type: { type: "string" },
          label,
          schema: anyObject,
          permission: { type: "object", properties: { roles: { type: "array", items: { type: "string" } }, agency: { type: "string" } } },
        },
      },
    },
    deadlines: { type: "array", items: { type: "object", properties: { name: { type: "string" }, label } } },
  },
  required: ["id", "version", "title", "labels", "events"],
} as const

/** One workflow in detail: its states, initial state and a Mermaid diagram as well. */
export const workflowDetailSchema = {
  $id: "WorkflowDetail",
  type: "object",
  properties: {
    ...workflowSchema.properties,
    initial: { type: "string" },
    states: {
      type: "array",
      items: { type: "object", properties: { id: { type: "string" }, label, type: { type: "string" }, final: { type: "boolean" } } },
    },
    diagram: { type: "string", description: "Mermaid stateDiagram-v2" },
  },
  required: [...workflowSchema.required, "states", "diagram"],
} as const

/** Every shared schema, registered once on the app. */
export const sharedSchemas = [problemSchema, caseSchema, historyEntrySchema, workflowSchema, workflowDetailSchema]

/** The media type of every error answer, as the OpenAPI document names it. */
export const PROBLEM_MEDIA_TYPE = "application/problem+json"

/**
 * An error answer of a route: declared as `application/problem+json` in the
 * OpenAPI document, and serialized with the Problem schema.
 *
 * @example
 * response: { 200: ref("Case"), 404: problemResponse("No such case, or one the actor may not see") }
 */
export function problemResponse(description: string) {
  return { description, content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: "Problem#" } } } } as const
}

/** What any route may answer: a fault of the server, or storage unavailable (the database is down, or the server is closing). */
export const faultResponses = {
  500: problemResponse("The server failed (CIVICASE_E_INTERNAL); the request id in the logs says where"),
  503: problemResponse("Storage unavailable or the server shutting down (CIVICASE_E_STORAGE, CIVICASE_E_ENGINE_CLOSED); retry later"),
} as const

/** What every route that needs a token may answer besides its success. */
export const authenticatedResponses = {
  400: problemResponse("The query, path or body fails its schema or the input limits (CIVICASE_E_VALIDATION), or is malformed (CIVICASE_E_BAD_REQUEST)"),
  401: problemResponse("No token, or a bad, expired or foreign-province one (CIVICASE_E_UNAUTHENTICATED)"),
  403: problemResponse("The actor's role or agency may not do this (CIVICASE_E_FORBIDDEN)"),
  429: problemResponse("Rate limited (CIVICASE_E_RATE_LIMITED); Retry-After says when to come back"),
  ...faultResponses,
} as const

/** What every route that takes a JSON body may answer as well. */
export const bodyResponses = {
  413: problemResponse("The body is larger than the server takes (CIVICASE_E_PAYLOAD_TOO_LARGE)"),
  415: problemResponse("The body is not application/json in UTF-8 (CIVICASE_E_UNSUPPORTED_MEDIA_TYPE)"),
} as const

/**
 * What the server answers before a request reaches any route, on any path:
 * the OpenAPI document lists them once, as `x-unrouted-responses`.
 */
export const unroutedResponses = {
  400: problemResponse("The path is not a valid URL (a malformed % escape), or the request is not valid HTTP/1.1 (CIVICASE_E_BAD_REQUEST)"),
  404: problemResponse("No such path (CIVICASE_E_NOT_FOUND)"),
  405: problemResponse("The path exists, not for this method (CIVICASE_E_METHOD_NOT_ALLOWED); Allow lists its methods"),
  408: problemResponse("The request did not arrive in time (CIVICASE_E_REQUEST_TIMEOUT)"),
  414: problemResponse("A path segment is longer than 100 characters (CIVICASE_E_URI_TOO_LONG)"),
  431: problemResponse("The request line and headers are larger than 16 KiB (CIVICASE_E_HEADERS_TOO_LARGE)"),
} as const

/** The reference to a shared schema by id. */
export const ref = (id: string) => ({ $ref: `${id}#` })
