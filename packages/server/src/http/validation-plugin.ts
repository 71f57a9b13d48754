import { type InputLimits, ValidationError, inputIssues, ownValue } from "@civicase/core"
import { Ajv } from "ajv"
import addFormatsModule from "ajv-formats"
import type { FastifyInstance } from "fastify"
import fp from "fastify-plugin"

// ajv-formats is CommonJS; its default export arrives wrapped under some loaders.
const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as (ajv: Ajv) => Ajv

declare module "fastify" {
  interface FastifyContextConfig {
    /** Body members the engine takes as free-form input (`input`, `payload`): checked against its input limits at the edge. */
    inputMembers?: ReadonlyArray<string>
  }
}

/** Options of {@link validationPlugin}. */
export interface ValidationPluginOptions {
  /** Schemas with an `$id` that route schemas refer to. */
  readonly schemas: ReadonlyArray<object>
  /** The engine's input limits (`engine.inputLimits`), so the edge refuses what the engine would. */
  readonly inputLimits: InputLimits
}

function ajv(coerce: boolean, schemas: ReadonlyArray<object>): Ajv {
  const instance = addFormats(new Ajv({ allErrors: true, coerceTypes: coerce ? "array" : false, useDefaults: true, removeAdditional: false, strict: false }))
  for (const schema of schemas) instance.addSchema(schema)
  return instance
}

/**
 * How requests are validated. A JSON body carries its own types, so it is
 * checked as sent (`"4"` is not an integer); a query string, path parameters
 * and headers are text, so numbers and booleans are read from it (`?limit=5`).
 * Body members the engine takes as free-form input are then held to the
 * engine's input limits, before any schema walks them, naming the path
 * (`body/input/…`).
 *
 * @example
 * await app.register(validationPlugin, { schemas: sharedSchemas, inputLimits: engine.inputLimits })
 * app.post("/v1/cases", { config: { inputMembers: ["input"] }, schema: { body } }, handler)
 */
export const validationPlugin = fp(
  async (app: FastifyInstance, options: ValidationPluginOptions) => {
    const strict = ajv(false, options.schemas)
    const text = ajv(true, options.schemas)
    app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === "body" ? strict : text).compile(schema))
    app.addHook("preValidation", async (request) => {
      const members = request.routeOptions.config.inputMembers
      const body = request.body
      if (!members || body === null || typeof body !== "object" || Array.isArray(body)) return
      const issues = members.flatMap((name) => {
        const value = ownValue(body as Readonly<Record<string, unknown>>, name)
        return value === undefined ? [] : inputIssues(value, options.inputLimits, { prefix: `body/${name}` })
      })
      if (issues.length) throw new ValidationError(issues, "request")
    })
  },
  { name: "civicase-validation" },
)
