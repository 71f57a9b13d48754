import { Ajv, type ErrorObject, type ValidateFunction } from "ajv"
import addFormatsModule from "ajv-formats"
import type { ValidationIssue } from "../errors/errors.js"
import type { JsonSchema } from "./types.js"

// ajv-formats is CommonJS; its default export arrives wrapped under some loaders.
const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as (ajv: Ajv) => Ajv

/** A compiled JSON Schema check returning every failing path (empty when valid). */
export type SchemaCheck = (value: unknown) => ValidationIssue[]

// `verbose` gives each error its schema, so a schema's own `errorMessage` can replace Ajv's wording.
const ajv = addFormats(new Ajv({ allErrors: true, strict: false, useDefaults: false, coerceTypes: false, verbose: true }))

/**
 * Turns Ajv's errors into `{ path, message }`, naming missing and extra
 * properties in the path. A schema may say what is wrong in its own words
 * with a string `errorMessage` (the ajv-errors keyword), for example
 * `{ enum: ["a", "b"], errorMessage: "must be an agency retired in version 2: a, b" }`.
 * The bare `if` error is dropped: the failing `then` branch explains it.
 */
export function toIssues(errors: ReadonlyArray<ErrorObject> | null | undefined): ValidationIssue[] {
  return (errors ?? [])
    .filter((e) => e.keyword !== "if")
    .map((e) => {
      let path = e.instancePath
      if (e.keyword === "required") path = `${path}/${(e.params as { missingProperty: string }).missingProperty}`
      if (e.keyword === "additionalProperties") path = `${path}/${(e.params as { additionalProperty: string }).additionalProperty}`
      const own = (e.parentSchema as { errorMessage?: unknown } | undefined)?.errorMessage
      return { path: path || "/", message: typeof own === "string" ? own : (e.message ?? e.keyword) }
    })
}

/**
 * Compiles `schema` once; the returned check lists every failing path.
 *
 * @example
 * const check = compileSchema({ type: "object", required: ["reason"] })
 * check({}) // [{ path: "/reason", message: "must have required property 'reason'" }]
 */
export function compileSchema(schema: JsonSchema): SchemaCheck {
  const validate: ValidateFunction = ajv.compile(schema as object)
  return (value) => (validate(value) ? [] : toIssues(validate.errors))
}
