import type { Duration, JsonSchema } from "@civicase/core"
import { durationSchema } from "../province/schema-parts.js"

/** The deadlines of the `coordination` workflow. */
export interface CoordinationDeadlines {
  /** From assignment until every agency should have acknowledged (tiếp nhận); late ones are reminded. */
  readonly acknowledgement: Duration
  /** After the task's due date passes (and the late agencies were reminded), until the coordinator is alerted. */
  readonly escalateToCoordinator: Duration
  /** After the coordinator was alerted, until the province leader is. */
  readonly escalateToLeader: Duration
  /** The coordinator's review of the submitted result. */
  readonly resultReview: Duration
}

/**
 * The `coordination` section of a province configuration (phối hợp liên ngành:
 * cơ quan chủ trì và cơ quan phối hợp).
 *
 * @example
 * const section: CoordinationConfig = {
 *   deadlines: { acknowledgement: { workingDays: 2 }, escalateToCoordinator: { workingDays: 2 }, escalateToLeader: { workingDays: 3 }, resultReview: { workingDays: 5 } },
 *   maxCooperating: 20,
 * }
 */
export interface CoordinationConfig {
  readonly deadlines: CoordinationDeadlines
  /** The most cooperating agencies one task may name. */
  readonly maxCooperating: number
}

/**
 * JSON Schema of `province.workflows.coordination`.
 *
 * @example
 * import { compileSchema } from "@civicase/core"
 * compileSchema(coordinationConfigSchema)(province.workflows.coordination) // [] when valid
 */
export const coordinationConfigSchema: JsonSchema = {
  type: "object",
  title: "coordination",
  description: "Inter-agency tasks with one lead agency and cooperating agencies working in parallel (phối hợp liên ngành).",
  required: ["deadlines", "maxCooperating"],
  properties: {
    deadlines: {
      type: "object",
      required: ["acknowledgement", "escalateToCoordinator", "escalateToLeader", "resultReview"],
      properties: {
        acknowledgement: durationSchema("From assignment until every agency should have acknowledged; late ones are reminded."),
        escalateToCoordinator: durationSchema("After the due date passed and late agencies were reminded, until the coordinator is alerted."),
        escalateToLeader: durationSchema("After the coordinator was alerted, until the province leader is."),
        resultReview: durationSchema("The coordinator's review of the submitted result."),
      },
      additionalProperties: false,
    },
    maxCooperating: { type: "integer", minimum: 0, maximum: 200, description: "The most cooperating agencies one task may name." },
  },
  additionalProperties: false,
}
