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
        properties: { id: { type: "string" }, name: { type: "string" }, label, dueAt: { type: "string", format: "date-time" }, event: { type: "string" } },
      },
    },
    allowedEvents: { type: "array", items: { type: "string" }, description: "Events this actor may send now" },
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

/** Responses every authenticated route may give besides its success. */
export const errorResponses = {
  400: { $ref: "Problem#" },
  401: { $ref: "Problem#" },
  429: { $ref: "Problem#" },
} as const

/** The reference to a shared schema by id. */
export const ref = (id: string) => ({ $ref: `${id}#` })
