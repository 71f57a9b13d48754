import { type Engine, type ForwardRequest, linkForwardSchema, linkStatusSchema } from "@civicase/core"
import type { LinkTransport } from "@civicase/adapters"
import type { FastifyInstance } from "fastify"
import { authenticatedResponses, bodyResponses, faultResponses, problemResponse, ref } from "../http/schemas.js"

const remoteSchema = {
  type: ["object", "null"],
  properties: { caseId: { type: "string" }, workflow: { type: "string" }, state: { type: "string" }, status: { type: "string" }, rev: { type: "integer" } },
} as const

/** A link of a case to a case of another deployment. */
export const linkSchema = {
  $id: "Link",
  type: "object",
  properties: {
    id: { type: "string", format: "uuid" },
    caseId: { type: "string", format: "uuid" },
    direction: { type: "string", enum: ["outbound", "inbound"] },
    peer: { type: "string" },
    kind: { type: "string" },
    remote: { ...remoteSchema, description: "The peer's case as last reported; null until its first report" },
    createdAt: { type: "string", format: "date-time" },
    updatedAt: { type: "string", format: "date-time" },
  },
  required: ["id", "caseId", "direction", "peer", "kind", "remote", "createdAt", "updatedAt"],
} as const

/** The body of a request between linked deployments (signed; see docs/integration.md). */
export const linkEnvelopeSchema = {
  $id: "LinkEnvelope",
  type: "object",
  properties: {
    type: { type: "string", enum: ["link.forward", "link.status"] },
    timestamp: { type: "string", format: "date-time" },
    nonce: { type: "string", description: "16 to 100 base64url characters, new on every attempt" },
    from: { type: "string", description: "The sending province" },
    to: { type: "string", description: "This province" },
    data: { oneOf: [linkForwardSchema, linkStatusSchema] },
  },
  required: ["type", "timestamp", "nonce", "from", "to", "data"],
} as const

/** The schemas the link routes refer to, registered once on the app (so the OpenAPI document lists them). */
export const linkSchemas = [linkSchema, linkEnvelopeSchema]

const caseParams = { type: "object", properties: { id: { type: "string", maxLength: 100 } }, required: ["id"] } as const
const headers = {
  type: "object",
  properties: {
    "webhook-id": { type: "string", description: "The sender's stable delivery id" },
    "webhook-timestamp": { type: "string", description: "Seconds since the epoch" },
    "webhook-signature": { type: "string", description: "v1,<base64 HMAC-SHA256 of id.timestamp.body> (space-separated during a rotation)" },
  },
} as const

/** Links of a case (forward, list) for signed-in actors. */
export async function linksRoutes(app: FastifyInstance, options: { engine: Engine }) {
  const { engine } = options

  app.post<{ Params: { id: string }; Body: ForwardRequest & { idempotencyKey?: string } }>(
    "/v1/cases/:id/links",
    {
      config: { inputMembers: ["subject"] },
      schema: {
        tags: ["links"],
        summary: "Forward a case to a peer deployment (coordinators by default)",
        description: "Records case.link_created on the case and sends the link to the peer through the outbox; the peer's progress comes back as case.link_updated history rows.",
        security: [{ bearer: [] }],
        params: caseParams,
        body: {
          type: "object",
          properties: {
            peer: { type: "string", minLength: 1, maxLength: 63 },
            kind: { type: "string", pattern: "^[a-z0-9][a-z0-9._-]{0,99}$", description: "What is asked of the peer, a name both sides configure" },
            subject: { type: "object", additionalProperties: true, maxProperties: 50, description: "Fields shared with the peer (at most 16 KiB of JSON)" },
            note: { type: "string", minLength: 1, maxLength: 2000 },
            idempotencyKey: { type: "string", minLength: 1, maxLength: 200 },
          },
          required: ["peer", "kind"],
          additionalProperties: false,
        },
        response: {
          201: ref("Link"),
          ...authenticatedResponses,
          ...bodyResponses,
          404: problemResponse("No such case, or one the actor may not see (CIVICASE_E_CASE_NOT_FOUND)"),
          409: problemResponse("The case moved on under a retry (CIVICASE_E_REVISION_CONFLICT)"),
          422: problemResponse("A plugin refused the link (CIVICASE_E_REFUSED_BY_PLUGIN)"),
        },
      },
    },
    async (request, reply) => {
      const { idempotencyKey, ...forward } = request.body
      const link = await engine.links.forward(request.params.id, forward, request.actor, idempotencyKey === undefined ? {} : { idempotencyKey })
      return reply.code(201).send(link)
    },
  )

  app.get<{ Params: { id: string } }>(
    "/v1/cases/:id/links",
    {
      schema: {
        tags: ["links"],
        summary: "The links of a case, with the peer's last reported state",
        security: [{ bearer: [] }],
        params: caseParams,
        response: {
          200: { type: "object", properties: { items: { type: "array", items: ref("Link") } }, required: ["items"] },
          ...authenticatedResponses,
          404: problemResponse("No such case, or one the actor may not see (CIVICASE_E_CASE_NOT_FOUND)"),
        },
      },
    },
    async (request) => ({ items: await engine.links.list(request.params.id, request.actor) }),
  )
}

/**
 * The receiving end of links: `POST /v1/links/inbound`, authenticated by its
 * signature (not a bearer token), so it reads the raw body the signature covers.
 */
export async function linkInboundRoutes(app: FastifyInstance, options: { engine: Engine; transport: LinkTransport }) {
  const { engine, transport } = options
  // The signature covers the exact bytes: keep them instead of parsed JSON (this plugin's scope only).
  app.removeContentTypeParser("application/json")
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) => done(null, body))

  app.post<{ Body: string }>(
    "/v1/links/inbound",
    {
      config: { public: true },
      schema: {
        tags: ["links"],
        summary: "Receive a signed request from a peer deployment (a forwarded case, or a status of a case we forwarded)",
        headers,
        body: ref("LinkEnvelope"),
        response: {
          200: {
            type: "object",
            description: "link.forward: the case here (replayed: true on a repeat); link.status: the history rev written",
            properties: {
              type: { type: "string" },
              link: ref("Link"),
              case: { type: "object", properties: { id: { type: "string" }, workflow: { type: "string" }, state: { type: "string" }, status: { type: "string" }, rev: { type: "integer" } } },
              rev: { type: "integer" },
              replayed: { type: "boolean" },
            },
            required: ["type", "replayed"],
          },
          400: problemResponse("The envelope or its data fails its schema (CIVICASE_E_VALIDATION), or is not JSON"),
          401: problemResponse("No or a wrong signature (CIVICASE_E_LINK_SIGNATURE), or a timestamp outside the tolerance (CIVICASE_E_LINK_STALE)"),
          403: problemResponse("Not a configured peer, or addressed to another province (CIVICASE_E_LINK_UNKNOWN_PEER)"),
          404: problemResponse("A status of a link this deployment did not forward to that peer (CIVICASE_E_LINK_NOT_FOUND)"),
          409: problemResponse("The nonce was used before: a replay (CIVICASE_E_LINK_REPLAYED)"),
          422: problemResponse("No inbound mapping for this peer and kind (CIVICASE_E_LINK_NOT_MAPPED), or the mapped input refused by a plugin"),
          429: problemResponse("Rate limited (CIVICASE_E_RATE_LIMITED)"),
          ...bodyResponses,
          ...faultResponses,
        },
      },
      // Fastify would validate the string against the envelope schema; the transport checks the parsed body itself.
      validatorCompiler: () => () => true,
    },
    async (request) => transport.receive(engine, { headers: request.headers, body: request.body }),
  )
}
