import type { JsonSchema } from "@civicase/core"
import { documentId, documentIds } from "../documents/document-ids.js"
import type { CommendationConfig } from "./config.js"

const text = (description: string, maxLength = 4000): JsonSchema => ({ type: "string", minLength: 1, maxLength, description })
const reasoned = (description: string): JsonSchema => ({ type: "object", required: ["reason"], properties: { reason: text(description) }, additionalProperties: false })
const documents: JsonSchema = { type: "array", maxItems: 100, items: text("A document of the dossier (name or link).", 1000), description: "Documents added to the dossier." }

/** JSON Schema of the nomination (the case input); the award comes from the province catalogue. */
export function commendationInputSchema(config: CommendationConfig): JsonSchema {
  return {
    type: "object",
    required: ["nominee", "achievements", "awardType"],
    properties: {
      nominee: {
        type: "object",
        required: ["name", "kind"],
        properties: {
          name: text("Name of the person or organisation.", 500),
          kind: {
            enum: ["individual", "organisation", "overseas_community", "foreign_friend"],
            description: "individual, organisation, Vietnamese community abroad (cộng đồng người Việt Nam ở nước ngoài) or foreign friend.",
          },
          country: text("Country, for nominees abroad.", 100),
        },
        additionalProperties: false,
      },
      achievements: { type: "array", minItems: 1, maxItems: 50, items: text("One achievement in external information work.") },
      awardType: { enum: config.awards.map((a) => a.id), description: "An award of the province catalogue." },
    },
    additionalProperties: false,
  }
}

/** Payload schemas of every `commendation` event. */
export function commendationEvents(): Record<string, JsonSchema> {
  return {
    SUBMIT_NOMINATION: { type: "object", properties: { documents }, additionalProperties: false },
    ENDORSE: { type: "object", properties: { comment: text("The agency head's opinion.") }, additionalProperties: false },
    RETURN: { type: "object", required: ["comments"], properties: { comments: text("What the nomination lacks.") }, additionalProperties: false },
    REJECT: reasoned("Why the nomination is rejected."),
    MARK_COMPLETE: { type: "object", properties: { note: text("A note for the council.") }, additionalProperties: false },
    REQUEST_DOCUMENTS: { type: "object", required: ["comments"], properties: { comments: text("Which documents are missing.") }, additionalProperties: false },
    PROVIDE_DOCUMENTS: { type: "object", required: ["documents"], properties: { documents: { ...documents, minItems: 1 } }, additionalProperties: false },
    VOTE: {
      type: "object",
      required: ["vote"],
      properties: { vote: { enum: ["for", "against", "abstain"], description: "The member's vote." }, comment: text("An optional comment.") },
      additionalProperties: false,
    },
    CLOSE_VOTE: { type: "object", properties: { note: text("A note on closing the vote.") }, additionalProperties: false },
    DECIDE: {
      type: "object",
      required: ["decisionNumber"],
      properties: { decisionNumber: text("Number of the signed decision (số quyết định).", 100) },
      additionalProperties: false,
    },
    FORWARD_TO_CENTRAL: { type: "object", required: ["note"], properties: { note: text("The proposal sent to central level (tờ trình).") }, additionalProperties: false },
    RECORD_CENTRAL_DECISION: {
      type: "object",
      required: ["granted"],
      properties: {
        granted: { type: "boolean", description: "Whether central level granted the award." },
        decisionNumber: text("Number of the central decision.", 100),
        reason: text("Why it was refused."),
      },
      additionalProperties: false,
      if: { properties: { granted: { const: true } } },
      then: { required: ["decisionNumber"] },
      else: { required: ["reason"] },
    },
    ANNOUNCE: {
      type: "object",
      required: ["announcedAt", "channels"],
      properties: {
        announcedAt: { type: "string", format: "date-time", description: "When it was announced." },
        channels: { type: "array", minItems: 1, uniqueItems: true, items: { enum: ["ceremony", "provincial_portal", "press_release", "official_letter"] } },
      },
      additionalProperties: false,
    },
    CLOSE: {
      type: "object",
      required: ["result", "reason"],
      properties: { result: text("The outcome, in a few words.", 500), reason: text("Why the case can close.") },
      additionalProperties: false,
    },
  }
}

/**
 * Payload schemas of `commendation` version 2: the dossier's documents are
 * ids of documents attached to the case, and an award decision names its
 * decision document (the workflow's `documents` option checks both).
 */
export function commendationEventsV2(): Record<string, JsonSchema> {
  const v1 = commendationEvents()
  const dossier = documentIds("Documents added to the dossier: documents attached to the case.", 100)
  const decisionDocument = documentId("The signed award decision (quyết định khen thưởng): a document of the case with its number, symbol, type and signer.")
  return {
    ...v1,
    SUBMIT_NOMINATION: { type: "object", properties: { documents: dossier }, additionalProperties: false },
    PROVIDE_DOCUMENTS: { type: "object", required: ["documents"], properties: { documents: { ...dossier, minItems: 1 } }, additionalProperties: false },
    DECIDE: {
      type: "object",
      required: ["decisionNumber", "decisionDocument"],
      properties: { decisionNumber: text("Number of the signed decision (số quyết định).", 100), decisionDocument },
      additionalProperties: false,
    },
    RECORD_CENTRAL_DECISION: {
      type: "object",
      required: ["granted"],
      properties: {
        granted: { type: "boolean", description: "Whether central level granted the award." },
        decisionNumber: text("Number of the central decision.", 100),
        decisionDocument,
        reason: text("Why it was refused."),
      },
      additionalProperties: false,
      if: { properties: { granted: { const: true } } },
      then: { required: ["decisionNumber", "decisionDocument"] },
      else: { required: ["reason"] },
    },
  }
}
