import type { Duration, JsonSchema, Label, ValidationIssue } from "@civicase/core"
import { duplicateIds } from "../province/duplicate-ids.js"
import { durationSchema as duration, labelSchema as label } from "../province/schema-parts.js"

/**
 * One penalty of the province's catalogue (khung xử phạt): a warning has no
 * fine; a fine has bounds the decided amount must stay within.
 */
export interface Penalty {
  readonly id: string
  readonly labels: Label
  /** The legal provisions this penalty rests on (căn cứ pháp lý), suggested to the decision. */
  readonly legalBasis: ReadonlyArray<string>
  /** Fine bounds in VND; absent for penalties without a fine. */
  readonly fine?: { readonly min: number; readonly max: number }
}

/** The deadlines of a violation case. */
export interface ViolationDeadlines {
  /** From the report to the end of the preliminary check (kiểm tra sơ bộ). */
  readonly preliminaryCheck: Duration
  /** From opening the inspection to the recorded findings. */
  readonly inspection: Duration
  /** From the confirmed violation to a signed sanction decision. */
  readonly sanction: Duration
  /** For the appeal review (giải quyết khiếu nại). */
  readonly appealReview: Duration
  /** From enforcement start to verified compliance. */
  readonly enforcement: Duration
}

/**
 * The `violation` section of a province configuration (kiểm tra, xử lý vi phạm).
 *
 * @example
 * const section: ViolationConfig = {
 *   penalties: [{ id: "fine_minor", labels: { vi: "Phạt tiền", en: "Fine" }, legalBasis: ["Nghị định 119/2020/NĐ-CP, Điều 5"], fine: { min: 1_000_000, max: 5_000_000 } }],
 *   complaintWindow: { calendarDays: 90 },
 *   deadlines: { preliminaryCheck: { workingDays: 5 }, inspection: { workingDays: 30 }, sanction: { workingDays: 7 }, appealReview: { workingDays: 30 }, enforcement: { workingDays: 10 } },
 * }
 */
export interface ViolationConfig {
  readonly penalties: ReadonlyArray<Penalty>
  /**
   * Version 1 only: how long enforcement waited for an appeal after the
   * subject was notified. Default: `complaintWindow`.
   */
  readonly appealWindow?: Duration
  /**
   * How long the subject may complain, counted from the day it received the
   * decision (thời hiệu khiếu nại). Default `{ calendarDays: 90 }`, the
   * statutory limit for a first complaint (Luật Khiếu nại 2011, Điều 9).
   */
  readonly complaintWindow?: Duration
  /**
   * Whether a complaint holds enforcement back (version 2). `none` (default):
   * a complaint does not suspend the decision, enforcement starts at once
   * (Luật Xử lý vi phạm hành chính 2012, Điều 15); the reviewer may still
   * suspend it (tạm đình chỉ). `while_complaint_pending`: a complaint
   * suspends enforcement until it is resolved. `until_window_ends`:
   * enforcement waits until the window ends or the complaint is resolved.
   */
  readonly enforcementHold?: EnforcementHold
  readonly deadlines: ViolationDeadlines
}

/** See {@link ViolationConfig.enforcementHold}. */
export type EnforcementHold = "none" | "while_complaint_pending" | "until_window_ends"

/** The complaint window when the configuration names none: 90 days from receipt (Luật Khiếu nại 2011, Điều 9). */
export const statutoryComplaintWindow: Duration = { calendarDays: 90 }

/**
 * JSON Schema of `province.workflows.violation`.
 *
 * @example
 * import { compileSchema } from "@civicase/core"
 * compileSchema(violationConfigSchema)(province.workflows.violation) // [] when valid
 */
export const violationConfigSchema: JsonSchema = {
  type: "object",
  title: "violation",
  description: "Inspection and handling of violations in external information work (kiểm tra, xử lý vi phạm).",
  required: ["penalties", "deadlines"],
  properties: {
    penalties: {
      type: "array",
      description: "The penalty catalogue a sanction decision chooses from.",
      minItems: 1,
      items: {
        type: "object",
        required: ["id", "labels", "legalBasis"],
        properties: {
          id: { type: "string", pattern: "^[a-z][a-z0-9_]*$", description: "Stable id." },
          labels: label,
          legalBasis: { type: "array", description: "Legal provisions the penalty rests on.", minItems: 1, items: { type: "string", minLength: 1 } },
          fine: {
            type: "object",
            description: "Fine bounds in VND, inclusive; absent for a penalty without a fine.",
            required: ["min", "max"],
            properties: { min: { type: "integer", minimum: 0, description: "Lowest amount." }, max: { type: "integer", minimum: 0, description: "Highest amount." } },
            additionalProperties: false,
          },
        },
        additionalProperties: false,
      },
    },
    appealWindow: duration("Version 1 cases only: how long enforcement waits for an appeal after the subject is notified. Default: complaintWindow."),
    complaintWindow: duration(
      'How long the subject may complain, from the day it received the decision (thời hiệu khiếu nại). Default { "calendarDays": 90 }, the statutory limit (Luật Khiếu nại 2011, Điều 9).',
    ),
    enforcementHold: {
      enum: ["none", "while_complaint_pending", "until_window_ends"],
      description:
        "Whether a complaint holds enforcement back (version 2). none (default): a complaint does not suspend the decision (Luật Xử lý vi phạm hành chính 2012, Điều 15), though the reviewer may suspend it; while_complaint_pending: a complaint suspends enforcement until resolved; until_window_ends: enforcement waits for the window to end or the complaint to be resolved.",
    },
    deadlines: {
      type: "object",
      description: "Deadlines of each step; a missed one escalates to the coordinator head.",
      required: ["preliminaryCheck", "inspection", "sanction", "appealReview", "enforcement"],
      properties: {
        preliminaryCheck: duration("From the report to the end of the preliminary check."),
        inspection: duration("From opening the inspection to the recorded findings."),
        sanction: duration("From the confirmed violation to the signed sanction decision."),
        appealReview: duration("For the review of an appeal."),
        enforcement: duration("From the start of enforcement to verified compliance."),
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
}

/**
 * What the schema cannot say of a schema-valid `violation` section: each
 * penalty id once (a decision names its penalty by id), and fine bounds in order.
 *
 * @example
 * violationSectionProblems(province.workflows.violation as ViolationConfig) // [] when consistent
 */
export function violationSectionProblems(config: ViolationConfig): ValidationIssue[] {
  const at = "/workflows/violation/penalties"
  const issues = duplicateIds(config.penalties, at, "penalty")
  config.penalties.forEach((p, n) => {
    if (p.fine && p.fine.min > p.fine.max) issues.push({ path: `${at}/${n}/fine`, message: `min ${p.fine.min} is above max ${p.fine.max}` })
  })
  return issues
}
