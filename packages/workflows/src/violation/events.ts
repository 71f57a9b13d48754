import type { JsonSchema } from "@civicase/core"
import type { ViolationConfig } from "./config.js"
import { sanctionTermsSchema } from "./sanction.js"

const text = (description: string, maxLength = 4000): JsonSchema => ({ type: "string", minLength: 1, maxLength, description })
const reasoned = (description: string): JsonSchema => ({ type: "object", required: ["reason"], properties: { reason: text(description) }, additionalProperties: false })

/** JSON Schema of the case input of `violation`. */
export function violationInputSchema(agencies: ReadonlyArray<string>): JsonSchema {
  return {
    type: "object",
    required: ["source", "summary", "subject"],
    properties: {
      source: { enum: ["inspection_plan", "complaint", "monitoring"], description: "Where the report comes from." },
      summary: text("What is suspected."),
      subject: {
        type: "object",
        description: "Who is suspected: a person, organisation or outlet, and its agency when it is one of the province.",
        required: ["name"],
        properties: { name: text("Name of the subject.", 500), agency: { enum: [...agencies], description: "The agency of the province concerned, if any." } },
        additionalProperties: false,
      },
      reference: text("A reference: inspection plan number, complaint number, monitoring link.", 500),
    },
    additionalProperties: false,
  }
}

/** Payload schemas of every `violation` event; sanction amounts are bounded by the catalogue. */
export function violationEvents(config: ViolationConfig): Record<string, JsonSchema> {
  return {
    START_CHECK: { type: "object", properties: { note: text("A note on the check.") }, additionalProperties: false },
    DISMISS: reasoned("Why there are no grounds (không có căn cứ)."),
    OPEN_INSPECTION: {
      type: "object",
      required: ["team", "scope"],
      properties: {
        team: { type: "array", minItems: 1, maxItems: 30, uniqueItems: true, items: text("A member of the inspection team.", 200) },
        scope: text("What the inspection covers."),
        decisionNumber: text("Number of the decision opening the inspection.", 100),
      },
      additionalProperties: false,
    },
    RECORD_FINDINGS: {
      type: "object",
      required: ["findings"],
      properties: { findings: text("What the inspection found.", 20000), evidence: { type: "array", maxItems: 100, items: text("A piece of evidence.", 1000) } },
      additionalProperties: false,
    },
    CONCLUDE_NO_VIOLATION: reasoned("Why there is no violation."),
    CONFIRM_VIOLATION: { type: "object", required: ["summary"], properties: { summary: text("The violation established.") }, additionalProperties: false },
    DECIDE_SANCTION: sanctionTermsSchema(config),
    SIGN: { type: "object", properties: { comment: text("An optional comment.") }, additionalProperties: false },
    RETURN_SANCTION: { type: "object", required: ["comments"], properties: { comments: text("What must change in the decision.") }, additionalProperties: false },
    NOTIFY_SUBJECT: {
      type: "object",
      required: ["notifiedAt", "method"],
      properties: {
        notifiedAt: { type: "string", format: "date-time", description: "When the subject received the decision." },
        method: { enum: ["in_person", "post", "electronic"], description: "How it was delivered." },
      },
      additionalProperties: false,
    },
    FILE_APPEAL: {
      type: "object",
      required: ["grounds"],
      properties: { grounds: text("The grounds of the appeal (nội dung khiếu nại)."), filedAt: { type: "string", format: "date-time", description: "When it was filed." } },
      additionalProperties: false,
    },
    UPHOLD: reasoned("Why the decision stands."),
    AMEND: sanctionTermsSchema(config, { reason: text("Why the decision is amended.") }, ["reason"]),
    ANNUL: reasoned("Why the decision is annulled."),
    VERIFY_COMPLIANCE: { type: "object", required: ["evidence"], properties: { evidence: text("How compliance was verified.") }, additionalProperties: false },
    CLOSE: {
      type: "object",
      required: ["result", "reason"],
      properties: { result: text("The outcome, in a few words.", 500), reason: text("Why the case can close.") },
      additionalProperties: false,
    },
  }
}
