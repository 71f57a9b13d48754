import type { Duration, JsonSchema, Label, ValidationIssue } from "@civicase/core"
import { duplicateIds } from "../province/duplicate-ids.js"
import { durationSchema as duration, labelSchema as label } from "../province/schema-parts.js"

/** Who may grant an award: the province itself, or central level (Thủ tướng, Chủ tịch nước) on the province's proposal. */
export type AwardAuthority = "province" | "central"

/** One award of the province's catalogue (hình thức khen thưởng). */
export interface Award {
  readonly id: string
  readonly labels: Label
  readonly authority: AwardAuthority
}

/**
 * How the emulation and commendation council (Hội đồng Thi đua – Khen thưởng) decides:
 * - `simple`: more than half of the votes cast are in favour;
 * - `two_thirds`: at least two thirds of the votes cast are in favour;
 * - `absolute`: more than half of all members are in favour.
 * Abstentions count as cast and not in favour. No decision without `quorum` votes cast.
 */
export interface CouncilRules {
  readonly members: number
  readonly quorum: number
  readonly majority: "simple" | "two_thirds" | "absolute"
}

/** The deadlines of a commendation case. */
export interface CommendationDeadlines {
  readonly agencyReview: Duration
  readonly completenessCheck: Duration
  readonly councilVote: Duration
  readonly decision: Duration
  readonly announcement: Duration
}

/**
 * The `commendation` section of a province configuration (khen thưởng).
 *
 * @example
 * const section: CommendationConfig = {
 *   awards: [{ id: "provincial_merit", labels: { vi: "Bằng khen của UBND tỉnh", en: "Provincial certificate of merit" }, authority: "province" }],
 *   council: { members: 9, quorum: 5, majority: "simple" },
 *   deadlines: { agencyReview: { workingDays: 5 }, completenessCheck: { workingDays: 5 }, councilVote: { workingDays: 10 }, decision: { workingDays: 7 }, announcement: { workingDays: 10 } },
 * }
 */
export interface CommendationConfig {
  readonly awards: ReadonlyArray<Award>
  readonly council: CouncilRules
  readonly deadlines: CommendationDeadlines
}

/**
 * JSON Schema of `province.workflows.commendation`.
 *
 * @example
 * import { compileSchema } from "@civicase/core"
 * compileSchema(commendationConfigSchema)(province.workflows.commendation) // [] when valid
 */
export const commendationConfigSchema: JsonSchema = {
  type: "object",
  title: "commendation",
  description: "Commendation of organisations and individuals who contributed to external information work (khen thưởng).",
  required: ["awards", "council", "deadlines"],
  properties: {
    awards: {
      type: "array",
      description: "The award catalogue a nomination chooses from.",
      minItems: 1,
      items: {
        type: "object",
        required: ["id", "labels", "authority"],
        properties: {
          id: { type: "string", pattern: "^[a-z][a-z0-9_]*$", description: "Stable id." },
          labels: label,
          authority: { enum: ["province", "central"], description: "province: the province leader decides; central: the province forwards its proposal to central level." },
        },
        additionalProperties: false,
      },
    },
    council: {
      type: "object",
      description: "Voting rules of the emulation and commendation council.",
      required: ["members", "quorum", "majority"],
      properties: {
        members: { type: "integer", minimum: 1, description: "Number of voting members." },
        quorum: { type: "integer", minimum: 1, description: "Votes that must be cast before the council can decide; at most members." },
        majority: {
          enum: ["simple", "two_thirds", "absolute"],
          description: "simple: more than half of votes cast; two_thirds: at least two thirds of votes cast; absolute: more than half of all members.",
        },
      },
      additionalProperties: false,
    },
    deadlines: {
      type: "object",
      description: "Deadlines of each step; a missed one sends a reminder and is recorded.",
      required: ["agencyReview", "completenessCheck", "councilVote", "decision", "announcement"],
      properties: {
        agencyReview: duration("For the agency head's review."),
        completenessCheck: duration("For the council secretary's completeness check."),
        councilVote: duration("For the council vote; when it passes with a quorum, the council decides on the votes cast."),
        decision: duration("For the province leader's decision or forwarding."),
        announcement: duration("From the decision to its announcement."),
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
}

/**
 * What the schema cannot say of a schema-valid `commendation` section: each
 * award id once (a nomination names its award by id), and a quorum the
 * council's members can reach.
 *
 * @example
 * commendationSectionProblems(province.workflows.commendation as CommendationConfig) // [] when consistent
 */
export function commendationSectionProblems(config: CommendationConfig): ValidationIssue[] {
  const issues = duplicateIds(config.awards, "/workflows/commendation/awards", "award")
  if (config.council.quorum > config.council.members) {
    issues.push({ path: "/workflows/commendation/council/quorum", message: `quorum ${config.council.quorum} is above the ${config.council.members} members` })
  }
  return issues
}
