import type { AccessPolicy } from "@civicase/core"
import type { FastifyInstance } from "fastify"
import type { DevTokens } from "../auth/dev-tokens.js"
import { bodyResponses, faultResponses, problemResponse } from "../http/schemas.js"

const name = { type: "string", minLength: 1, maxLength: 100, pattern: "^[A-Za-z0-9_.:@-]+$" } as const

/**
 * `POST /v1/dev/token`: mints a token for any actor of this province, for a
 * local demo. Registered only when the server is built with `devTokens`
 * (`civicase serve --dev`); a production server has no such route at all.
 * An actor the engine would refuse (an agency the province does not have, a
 * role its agency may not hold) gets that refusal now, not a token that
 * every later call refuses.
 */
export async function devTokenRoutes(app: FastifyInstance, options: { devTokens: DevTokens; province: string; access: AccessPolicy }) {
  app.post<{ Body: { sub?: string; agency: string; roles: string[]; ttlSeconds?: number } }>(
    "/v1/dev/token",
    {
      config: { public: true },
      schema: {
        tags: ["development"],
        summary: "Mint a development token (only with `civicase serve --dev`)",
        body: {
          type: "object",
          properties: {
            sub: name,
            agency: name,
            roles: { type: "array", items: { ...name, not: { const: "system" } }, minItems: 1, maxItems: 20 },
            ttlSeconds: { type: "integer", minimum: 60, maximum: 86400 },
          },
          required: ["agency", "roles"],
          additionalProperties: false,
        },
        response: {
          200: {
            type: "object",
            properties: {
              token: { type: "string" },
              tokenType: { type: "string" },
              expiresIn: { type: "integer" },
              actor: { type: "object", properties: { id: { type: "string" }, province: { type: "string" }, agency: { type: "string" }, roles: { type: "array", items: { type: "string" } } } },
            },
          },
          400: problemResponse("The body fails its schema (CIVICASE_E_VALIDATION) or is malformed (CIVICASE_E_BAD_REQUEST)"),
          429: problemResponse("Rate limited (CIVICASE_E_RATE_LIMITED)"),
          ...bodyResponses,
          ...faultResponses,
        },
      },
    },
    async (request) => {
      const { agency, roles } = request.body
      const ttl = request.body.ttlSeconds ?? 8 * 3600
      const actor = { id: request.body.sub ?? `${roles[0]}@${agency}`, province: options.province, agency, roles }
      options.access.admit(actor)
      return { token: await options.devTokens.mint(actor, ttl), tokenType: "Bearer", expiresIn: ttl, actor }
    },
  )
}
