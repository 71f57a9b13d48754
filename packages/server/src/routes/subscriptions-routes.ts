import type { Engine } from "@civicase/core"
import type { SubscriptionApi, SubscriptionInput } from "@civicase/adapters"
import type { FastifyInstance } from "fastify"
import { authenticatedResponses, bodyResponses, problemResponse, ref } from "../http/schemas.js"

const names = { type: "array", maxItems: 50, uniqueItems: true, items: { type: "string", minLength: 1, maxLength: 100 } } as const
const subscriptionProperties = {
  id: { type: "string", format: "uuid" },
  province: { type: "string" },
  url: { type: "string" },
  workflows: { type: ["array", "null"], items: { type: "string" } },
  agencies: { type: ["array", "null"], items: { type: "string" } },
  eventTypes: { type: ["array", "null"], items: { type: "string" } },
  description: { type: ["string", "null"] },
  createdBy: { type: "string" },
  createdAt: { type: "string", format: "date-time" },
} as const

/** A webhook subscription as listed: never its secret. */
export const subscriptionSchema = {
  $id: "Subscription",
  type: "object",
  properties: subscriptionProperties,
  required: ["id", "province", "url", "workflows", "agencies", "eventTypes", "createdBy", "createdAt"],
} as const

/** A subscription just created, with its secret (shown this once). */
export const createdSubscriptionSchema = {
  $id: "CreatedSubscription",
  type: "object",
  properties: { ...subscriptionProperties, secret: { type: "string", description: "whsec_…: shown only in this answer; verify deliveries with it" } },
  required: [...subscriptionSchema.required, "secret"],
} as const

/** The schemas the subscription routes refer to, registered once on the app. */
export const subscriptionSchemas = [subscriptionSchema, createdSubscriptionSchema]

const idParams = { type: "object", properties: { id: { type: "string", maxLength: 100 } }, required: ["id"] } as const
const notFound = problemResponse("No such subscription in the actor's province (CIVICASE_E_SUBSCRIPTION_NOT_FOUND)")

/**
 * Webhook subscriptions (đăng ký webhook): coordinators of the province
 * create, list, read and delete them; the plugin authorizes every call.
 */
export async function subscriptionsRoutes(app: FastifyInstance, options: { engine: Engine; subscriptions: SubscriptionApi }) {
  const { engine, subscriptions } = options

  app.post<{ Body: SubscriptionInput }>(
    "/v1/subscriptions",
    {
      schema: {
        tags: ["subscriptions"],
        summary: "Subscribe a URL to the province's commits (coordinators); the secret is shown once",
        description:
          "Deliveries are signed in the Standard Webhooks format (webhook-id, webhook-timestamp, webhook-signature). Private, loopback, link-local and metadata targets are refused unless the server allows them.",
        security: [{ bearer: [] }],
        body: {
          type: "object",
          properties: {
            url: { type: "string", minLength: 1, maxLength: 2000 },
            workflows: names,
            agencies: names,
            eventTypes: names,
            secret: { type: "string", maxLength: 200, description: "whsec_ and the base64 of 24 to 64 random bytes; generated when absent" },
            description: { type: "string", minLength: 1, maxLength: 500 },
          },
          required: ["url"],
          additionalProperties: false,
        },
        response: {
          201: ref("CreatedSubscription"),
          ...authenticatedResponses,
          ...bodyResponses,
          422: problemResponse("The URL's target is refused: private, loopback, link-local, metadata or unresolvable (CIVICASE_E_TARGET_REFUSED)"),
        },
      },
    },
    async (request, reply) => {
      await engine.start()
      const created = await subscriptions.create(request.body, request.actor)
      reply.header("location", `/v1/subscriptions/${created.id}`)
      return reply.code(201).send(created)
    },
  )

  app.get(
    "/v1/subscriptions",
    {
      schema: {
        tags: ["subscriptions"],
        summary: "The province's subscriptions (coordinators), without secrets",
        security: [{ bearer: [] }],
        response: { 200: { type: "object", properties: { items: { type: "array", items: ref("Subscription") } }, required: ["items"] }, ...authenticatedResponses },
      },
    },
    async (request) => {
      await engine.start()
      return { items: await subscriptions.list(request.actor) }
    },
  )

  app.get<{ Params: { id: string } }>(
    "/v1/subscriptions/:id",
    {
      schema: {
        tags: ["subscriptions"],
        summary: "One subscription, without its secret",
        security: [{ bearer: [] }],
        params: idParams,
        response: { 200: ref("Subscription"), ...authenticatedResponses, 404: notFound },
      },
    },
    async (request) => {
      await engine.start()
      return subscriptions.get(request.params.id, request.actor)
    },
  )

  app.delete<{ Params: { id: string } }>(
    "/v1/subscriptions/:id",
    {
      schema: {
        tags: ["subscriptions"],
        summary: "Delete a subscription; deliveries not yet made are dropped",
        security: [{ bearer: [] }],
        params: idParams,
        response: { 204: { type: "null", description: "Deleted" }, ...authenticatedResponses, 404: notFound },
      },
    },
    async (request, reply) => {
      await engine.start()
      await subscriptions.remove(request.params.id, request.actor)
      return reply.code(204).send()
    },
  )
}
