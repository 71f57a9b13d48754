import type { JsonSchema } from "@civicase/core"
import { labelSchema, monthDaySchema } from "./schema-parts.js"

const dates = (description: string): JsonSchema => ({ type: "array", items: { type: "string", format: "date" }, uniqueItems: true, maxItems: 366, description })

/**
 * The JSON Schema of a province's working-day calendar (lịch làm việc): zone,
 * weekly days off, end of day, and holidays from rules with each year's
 * decision, or listed by date (the older form, still accepted).
 *
 * @example
 * compileSchema(calendarSchema)({ timeZone: "Asia/Ho_Chi_Minh", weekend: [0, 6], endOfDay: "17:00", rules: [{ lunar: "03-10" }] }) // []
 */
export const calendarSchema: JsonSchema = {
  type: "object",
  description:
    "The working-day calendar (lịch làm việc) deadlines count on. Holidays come from `rules` (with `compensation` and each year's decision under `years`); `holidays` lists days off by date (the form before rules, still honoured).",
  required: ["timeZone", "weekend", "endOfDay"],
  properties: {
    timeZone: { type: "string", minLength: 1, description: "IANA time zone, Asia/Ho_Chi_Minh." },
    weekend: { type: "array", items: { type: "integer", minimum: 0, maximum: 6 }, uniqueItems: true, maxItems: 6, description: "Days off each week, 0 = Sunday." },
    holidays: dates("Public holidays listed by hand, local dates YYYY-MM-DD (the older form; prefer rules and years)."),
    endOfDay: { type: "string", pattern: "^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$", description: "Local time HH:MM at which a working-day deadline falls." },
    rules: {
      type: "array",
      maxItems: 50,
      description: "Public holidays computed every year (ngày nghỉ lễ, tết): a solar or a Vietnamese lunar (UTC+7) date, and how many days off start how far from it.",
      items: {
        type: "object",
        properties: {
          solar: { ...monthDaySchema, description: "A day of the solar year, MM-DD." },
          lunar: { ...monthDaySchema, description: "A day of the Vietnamese lunar year, MM-DD (a regular month; 01-01 is Tết, 03-10 the Hùng Kings' day)." },
          offset: { type: "integer", minimum: -30, maximum: 30, description: "Days from that date to the first day off (-1: the day before). Default 0." },
          days: { type: "integer", minimum: 1, maximum: 30, description: "Consecutive days off. Default 1." },
          labels: labelSchema,
        },
        oneOf: [{ required: ["solar"] }, { required: ["lunar"] }],
        additionalProperties: false,
      },
    },
    compensation: {
      enum: ["none", "next-working-day"],
      description: "next-working-day: a rule's holiday on a weekly day off gives the next working day off (nghỉ bù, Bộ luật Lao động 2019, Điều 111 khoản 3). Default none.",
    },
    years: {
      type: "object",
      description:
        "Each year's decision (the Prime Minister's decision and the yearly notice): days off added (nghỉ bù, hoán đổi) and days worked (ngày làm bù, such as a Saturday). A year without one is counted on the rules alone, its deadlines are flagged as provisional, and check-config warns.",
      propertyNames: { pattern: "^[0-9]{4}$" },
      additionalProperties: {
        type: "object",
        properties: {
          source: { type: "string", minLength: 1, maxLength: 500, description: "The decision or notice the data comes from." },
          daysOff: dates("Extra days off that year, YYYY-MM-DD."),
          workingDays: dates("Days worked that year whatever the rules and the weekend say, YYYY-MM-DD."),
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
}

/** The JSON Schema of `basis`: which numbers of the file cite a source (the others are illustrative defaults). */
export const basisSchema: JsonSchema = {
  type: "object",
  description:
    "Every duration, severity ladder, approval chain, penalty bound, quorum and report date of this file is an illustrative default unless `sources` cites a source for it (or for a section holding it).",
  properties: {
    note: labelSchema,
    sources: {
      type: "object",
      description: "JSON Pointer into this file (a value or a section) → the source it follows (a law and its article).",
      propertyNames: { pattern: "^(/[^/]+)+$" },
      additionalProperties: { type: "string", minLength: 1, maxLength: 500 },
    },
  },
  additionalProperties: false,
}
