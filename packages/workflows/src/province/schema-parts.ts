import type { JsonSchema } from "@civicase/core"

/**
 * Building blocks of the province JSON Schema that several workflow sections
 * share, so a duration or a label is written the same way everywhere.
 */

/** A text in Vietnamese and English. */
export const labelSchema: JsonSchema = {
  type: "object",
  description: "A text in Vietnamese (vi) and English (en).",
  required: ["vi", "en"],
  properties: { vi: { type: "string", minLength: 1 }, en: { type: "string", minLength: 1 } },
  additionalProperties: false,
}

/** The ISO 8601 durations civicase accepts: weeks, days, hours, minutes, seconds (no years or months). */
export const isoDurationPattern = "^P(?!$)(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?$"

/**
 * A deadline's length. One schema for both forms (rather than `oneOf`), so a
 * wrong value yields one error at its path instead of three.
 *
 * @example
 * durationSchema("Review of a submitted plan.") // accepts "P5D" or { "workingDays": 5 }
 */
export function durationSchema(description: string): JsonSchema {
  return {
    description: `${description} An ISO 8601 duration in elapsed time ("PT4H", "P5D"), { "workingDays": n } on the province calendar (ngày làm việc), or { "calendarDays": n } counted as the Civil Code counts days.`,
    type: ["string", "object"],
    pattern: isoDurationPattern,
    minProperties: 1,
    maxProperties: 1,
    properties: { workingDays: { type: "integer", minimum: 0, maximum: 3650 }, calendarDays: { type: "integer", minimum: 1, maximum: 3650 } },
    additionalProperties: false,
  }
}

/** An ISO 8601 elapsed duration only (no working days). */
export function elapsedDurationSchema(description: string): JsonSchema {
  return { type: "string", pattern: isoDurationPattern, description: `${description} An ISO 8601 duration ("P7D", "PT12H").` }
}

/** A role name. */
export const roleNameSchema: JsonSchema = { type: "string", pattern: "^[a-z][a-z0-9_]{0,62}$", description: "A role name (coordinator, agency_head, …)." }

/** An agency id, kebab-case. */
export const agencyIdSchema: JsonSchema = { type: "string", pattern: "^[a-z][a-z0-9-]{0,62}$", description: "An agency id (kebab-case)." }

/** A day of the year `MM-DD`. */
export const monthDaySchema: JsonSchema = {
  type: "string",
  pattern: "^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
  description: "A day of the year, MM-DD.",
}
