import type { Engine } from "@civicase/core"
import type { FastifyInstance } from "fastify"
import { authenticatedResponses, bodyResponses } from "../http/schemas.js"

const change = {
  type: "object",
  properties: { op: { enum: ["add", "remove", "replace"] }, path: { type: "string" }, value: {} },
  required: ["op", "path"],
} as const
const diff = { type: "array", items: change, description: "What changed from the previous version, as JSON Pointer paths (like JSON Patch)" } as const
const appliedBy = { type: ["object", "null"], additionalProperties: true, description: "The actor who applied it (null for the configuration the server started with)" } as const

/**
 * The province configuration at run time (cấu hình tỉnh): coordinators read
 * the version in force and its history, and apply a new version without a
 * restart. The engine authorizes every call (`engine.config`).
 */
export async function configRoutes(app: FastifyInstance, options: { engine: Engine }) {
  const { engine } = options

  app.get(
    "/v1/config",
    {
      schema: {
        tags: ["configuration"],
        summary: "The province configuration in force, with its version (coordinators)",
        description: "Version 0 is the file the server was started with, before any version was applied.",
        security: [{ bearer: [] }],
        response: {
          200: {
            type: "object",
            properties: {
              province: { type: "string" },
              version: { type: "integer" },
              content: { type: "object", additionalProperties: true },
              appliedBy,
              appliedAt: { type: ["string", "null"], format: "date-time" },
              diff,
            },
            required: ["province", "version", "content", "appliedBy", "appliedAt", "diff"],
          },
          ...authenticatedResponses,
        },
      },
    },
    async (request) => engine.config.current(request.actor),
  )

  app.get<{ Querystring: { limit?: number } }>(
    "/v1/config/history",
    {
      schema: {
        tags: ["configuration"],
        summary: "The applied configuration versions, newest first: who, when, what changed (coordinators)",
        security: [{ bearer: [] }],
        querystring: { type: "object", properties: { limit: { type: "integer", minimum: 1, maximum: 500 } }, additionalProperties: false },
        response: {
          200: {
            type: "object",
            properties: {
              items: {
                type: "array",
                items: {
                  type: "object",
                  properties: { version: { type: "integer" }, appliedBy, appliedAt: { type: "string", format: "date-time" }, diff },
                  required: ["version", "appliedBy", "appliedAt", "diff"],
                },
              },
            },
            required: ["items"],
          },
          ...authenticatedResponses,
        },
      },
    },
    async (request) => ({ items: await engine.config.history(request.actor, request.query.limit === undefined ? {} : { limit: request.query.limit }) }),
  )

  app.post<{ Body: Record<string, unknown>; Querystring: { dryRun?: boolean } }>(
    "/v1/config",
    {
      schema: {
        tags: ["configuration"],
        summary: "Check and apply a new version of the province configuration, without a restart (coordinators)",
        description:
          "The body is the province file. It is checked as `civicase check-config` checks it; every problem is named by path (400, CIVICASE_E_VALIDATION) and nothing is stored. " +
          "New cases start under the new version; running cases keep the workflow version they started on. `dryRun=true` answers the diff without storing.",
        security: [{ bearer: [] }],
        querystring: { type: "object", properties: { dryRun: { type: "boolean" } }, additionalProperties: false },
        body: { type: "object", additionalProperties: true, maxProperties: 100 },
        response: {
          200: {
            type: "object",
            properties: {
              applied: { type: "boolean", description: "A version was stored and is in force" },
              dryRun: { type: "boolean" },
              version: { type: "integer" },
              diff,
              warnings: { type: "array", items: { type: "object", properties: { path: { type: "string" }, message: { type: "string" } }, required: ["path", "message"] } },
            },
            required: ["applied", "dryRun", "version", "diff", "warnings"],
          },
          ...authenticatedResponses,
          ...bodyResponses,
        },
      },
    },
    async (request) => engine.config.apply(request.body, request.actor, { dryRun: request.query.dryRun === true }),
  )
}
