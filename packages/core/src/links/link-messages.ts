import type { JsonSchema } from "../workflow/types.js"

const uuid: JsonSchema = { type: "string", format: "uuid" }
const province: JsonSchema = { type: "string", pattern: "^[a-z0-9][a-z0-9-]{0,62}$" }
const name = (max: number): JsonSchema => ({ type: "string", minLength: 1, maxLength: max })

/**
 * What province A sends province B when it forwards a case (chuyển hồ sơ
 * liên tỉnh): the `data` of a `link.forward` request, and what B's
 * inbound mapping reads with JSON pointers (`/subject/summary`).
 *
 * @example
 * { linkId: "0b0e…", from: { province: "vinh-phuc", caseId: "6f1c…", workflow: "press-response", state: "fact_finding", rev: 4 },
 *   to: "da-nang", kind: "press-incident", subject: { summary: "Tin sai sự thật về lễ hội" }, note: "Đề nghị phối hợp" }
 */
export interface LinkForward {
  readonly linkId: string
  readonly from: { readonly province: string; readonly caseId: string; readonly workflow: string; readonly state: string; readonly rev: number }
  readonly to: string
  /** What is asked of the peer, a name both sides configure (`press-incident`, `coordination-task`). */
  readonly kind: string
  /** Fields the forwarding coordinator chose to share; the peer's mapping picks from them. */
  readonly subject: Readonly<Record<string, unknown>>
  readonly note?: string
}

/**
 * What province B reports back on a linked case after each of its commits:
 * the `data` of a `link.status` request.
 *
 * @example
 * { linkId: "0b0e…", from: "da-nang", to: "vinh-phuc", caseId: "9a1d…", workflow: "press-response", rev: 3,
 *   event: "TRIAGE", state: "fact_finding", status: "active", at: "2025-03-03T02:00:00.000Z" }
 */
export interface LinkStatus {
  readonly linkId: string
  readonly from: string
  readonly to: string
  readonly caseId: string
  readonly workflow: string
  readonly rev: number
  readonly event: string
  readonly state: string
  readonly status: "active" | "done"
  readonly at: string
}

/** The JSON Schema of {@link LinkForward} (also in the server's OpenAPI document). */
export const linkForwardSchema: JsonSchema = {
  type: "object",
  required: ["linkId", "from", "to", "kind", "subject"],
  properties: {
    linkId: uuid,
    from: {
      type: "object",
      required: ["province", "caseId", "workflow", "state", "rev"],
      properties: { province, caseId: uuid, workflow: name(100), state: name(500), rev: { type: "integer", minimum: 1 } },
      additionalProperties: false,
    },
    to: province,
    kind: { type: "string", pattern: "^[a-z0-9][a-z0-9._-]{0,99}$" },
    subject: { type: "object", maxProperties: 50 },
    note: name(2000),
  },
  additionalProperties: false,
}

/** The JSON Schema of {@link LinkStatus}. */
export const linkStatusSchema: JsonSchema = {
  type: "object",
  required: ["linkId", "from", "to", "caseId", "workflow", "rev", "event", "state", "status", "at"],
  properties: {
    linkId: uuid,
    from: province,
    to: province,
    caseId: uuid,
    workflow: name(100),
    rev: { type: "integer", minimum: 1 },
    event: name(100),
    state: name(500),
    status: { enum: ["active", "done"] },
    at: { type: "string", format: "date-time" },
  },
  additionalProperties: false,
}
