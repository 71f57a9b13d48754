import type { JsonSchema } from "@civicase/core"
import fc from "fast-check"

type Schema = JsonSchema & Record<string, any>

const MAX_TEXT = 40
const MAX_ITEMS = 4

/**
 * Values that satisfy most of a JSON Schema as the workflows write them
 * (enums, consts, strings with length, pattern and format, numbers with
 * bounds, arrays, objects with required and optional members, anyOf/oneOf).
 * Conditional keywords (`if`/`then`, `not`) are ignored, so some values are
 * still refused: that is the point of a fuzzer, as long as most get through.
 *
 * @example
 * fc.sample(valueOf({ type: "object", required: ["n"], properties: { n: { type: "integer", minimum: 1 } } }), 1) // [{ n: 7 }]
 */
export function valueOf(schema: Schema | undefined): fc.Arbitrary<unknown> {
  if (!schema || typeof schema !== "object") return fc.jsonValue({ maxDepth: 2 })
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]))
  if (schema.const !== undefined) return fc.constant(schema.const)
  const choices = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined
  if (choices) return fc.oneof(...choices.map(valueOf))
  if (Array.isArray(schema.allOf)) return valueOf(Object.assign({}, ...(schema.allOf as Schema[]), { allOf: undefined }))
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type
  switch (type) {
    case "string":
      return text(schema)
    case "integer":
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 100_000 })
    case "number":
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 100_000, noNaN: true, noDefaultInfinity: true })
    case "boolean":
      return fc.boolean()
    case "null":
      return fc.constant(null)
    case "array": {
      const items = valueOf(schema.items as Schema | undefined)
      const constraints = { minLength: schema.minItems ?? 0, maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? MAX_ITEMS, MAX_ITEMS)) }
      return schema.uniqueItems ? fc.uniqueArray(items, { ...constraints, selector: (v) => JSON.stringify(v) }) : fc.array(items, constraints)
    }
    case "object":
    default: {
      const properties = (schema.properties ?? {}) as Record<string, Schema>
      const required = new Set((schema.required ?? []) as string[])
      const entries = Object.entries(properties)
      return fc.record(Object.fromEntries(entries.map(([k, v]) => [k, valueOf(v)])), { requiredKeys: entries.map(([k]) => k).filter((k) => required.has(k)) })
    }
  }
}

function text(schema: Schema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0
  const max = Math.max(min, Math.min(schema.maxLength ?? MAX_TEXT, MAX_TEXT))
  switch (schema.format) {
    case "date-time":
      return fc.date({ min: new Date("2024-01-01T00:00:00Z"), max: new Date("2027-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString())
    case "date":
      return fc.date({ min: new Date("2024-01-01T00:00:00Z"), max: new Date("2027-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))
    case "uri":
      return fc.webUrl()
    case "email":
      return fc.emailAddress()
    case "uuid":
      return fc.uuid()
  }
  if (typeof schema.pattern === "string") return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= min && s.length <= (schema.maxLength ?? Infinity))
  return fc.string({ unit: "grapheme", minLength: min, maxLength: max }).filter((s) => s.trim().length >= Math.min(min, 1))
}
