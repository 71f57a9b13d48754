import { type Engine, StorageError } from "@civicase/core"
import { sql } from "kysely"
import type { FastifyInstance } from "fastify"
import { faultResponses } from "../http/schemas.js"
import type { ServerMetrics } from "./metrics.js"

/** `GET /healthz` (liveness, with a database round trip) and `GET /metrics` (Prometheus). */
export async function healthRoutes(app: FastifyInstance, options: { engine: Engine; metrics: ServerMetrics }) {
  const { engine, metrics } = options
  app.get(
    "/healthz",
    {
      config: { public: true, rateLimit: false },
      schema: {
        tags: ["operations"],
        summary: "Liveness: the process answers and its database does",
        response: { 200: { type: "object", properties: { status: { type: "string" } }, required: ["status"] }, ...faultResponses },
      },
    },
    async () => {
      await engine.start()
      await sql`select 1`.execute(engine.db).catch((e: unknown) => {
        throw new StorageError("connection", e)
      })
      return { status: "ok" }
    },
  )
  app.get(
    "/metrics",
    {
      config: { public: true, rateLimit: false },
      schema: {
        tags: ["operations"],
        summary: "Prometheus metrics",
        response: { 200: { description: "The text exposition format", content: { "text/plain": { schema: { type: "string" } } } }, ...faultResponses },
      },
    },
    async (_request, reply) => reply.type(metrics.contentType).send(await metrics.render()),
  )
}
