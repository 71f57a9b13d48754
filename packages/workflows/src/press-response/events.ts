import type { JsonSchema } from "@civicase/core"
import { type PressResponseConfig, severities } from "./config.js"

const text = (description: string, maxLength = 4000): JsonSchema => ({ type: "string", minLength: 1, maxLength, description })

/** Where a statement is published (kênh công bố). */
export const publicationChannels = ["press_release", "provincial_portal", "social_media", "press_conference", "foreign_press"] as const

/** JSON Schema of the case input: what the reporter says. */
export const pressResponseInputSchema: JsonSchema = {
  type: "object",
  required: ["kind", "summary"],
  properties: {
    kind: { enum: ["incident", "false_information", "foreign_press_request"], description: "An incident, false information harming the province's image, or a foreign press request." },
    summary: text("What happened, as reported."),
    source: text("Where it was seen or who asked (link, outlet, correspondent).", 1000),
    suspectedSeverity: { enum: [...severities], description: "The reporter's estimate; sets the triage deadline (default medium)." },
  },
  additionalProperties: false,
}

/**
 * Payload schemas of every `press-response` event. Categories and agencies
 * come from the province, so a bad value is refused with its path.
 */
export function pressResponseEvents(config: PressResponseConfig, agencies: ReadonlyArray<string>): Record<string, JsonSchema> {
  return {
    TRIAGE: {
      type: "object",
      required: ["severity", "category", "responsibleAgency"],
      properties: {
        severity: { enum: [...severities], description: "low | medium | high | critical." },
        category: { enum: config.categories.map((c) => c.id), description: "A category of the province configuration." },
        responsibleAgency: { enum: [...agencies], description: "The agency that establishes the facts (cơ quan chủ trì)." },
        rationale: text("Why this severity."),
        closeRationale: text("Only for severity low: close the case at triage, recording why."),
      },
      additionalProperties: false,
      if: { required: ["closeRationale"] },
      then: { properties: { severity: { const: "low" } } },
    },
    RECORD_FACTS: {
      type: "object",
      required: ["findings"],
      properties: {
        findings: text("The verified facts.", 20000),
        sources: { type: "array", items: text("A source of the facts.", 1000), maxItems: 50 },
      },
      additionalProperties: false,
    },
    DRAFT_STATEMENT: {
      type: "object",
      required: ["text"],
      properties: { text: text("The statement for the press.", 20000) },
      additionalProperties: false,
    },
    SUBMIT_FOR_REVIEW: { type: "object", properties: { note: text("A note for the approvers.") }, additionalProperties: false },
    APPROVE: { type: "object", properties: { comment: text("An optional comment.") }, additionalProperties: false },
    SEND_BACK: { type: "object", required: ["comments"], properties: { comments: text("What must change.") }, additionalProperties: false },
    PUBLISH: {
      type: "object",
      required: ["channels", "publishedAt"],
      properties: {
        channels: { type: "array", minItems: 1, uniqueItems: true, items: { enum: [...publicationChannels] }, description: "Where it was published." },
        publishedAt: { type: "string", format: "date-time", description: "When it was published." },
        links: { type: "array", maxItems: 50, items: { type: "string", format: "uri" }, description: "Links to the published text." },
      },
      additionalProperties: false,
    },
    ADD_MONITORING_NOTE: { type: "object", required: ["note"], properties: { note: text("What the press and public say.") }, additionalProperties: false },
    CLOSE: {
      type: "object",
      required: ["afterActionReport", "result", "reason"],
      properties: {
        afterActionReport: text("The after-action report (báo cáo rút kinh nghiệm).", 20000),
        result: text("The outcome, in a few words.", 500),
        reason: text("Why the case can close now."),
      },
      additionalProperties: false,
    },
    REOPEN: { type: "object", required: ["reason"], properties: { reason: text("Why the case is re-opened.") }, additionalProperties: false },
  }
}
