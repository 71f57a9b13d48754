import type { Duration, JsonSchema, Label } from "@civicase/core"
import { durationSchema, elapsedDurationSchema, labelSchema, monthDaySchema } from "../province/schema-parts.js"

/** One report period of a yearly plan (kỳ báo cáo): quarterly, half-yearly, yearly. */
export interface ReportPeriod {
  /** Stable id, `q1`, `h1`, `year`. */
  readonly id: string
  readonly labels: Label
  /** The day the report is due, `MM-DD`, at the calendar's end of day. */
  readonly due: string
  /** 0 (default) when due in the plan's year, 1 when due early the next year (a yearly report due 15 January). */
  readonly yearOffset?: 0 | 1
}

/** The deadlines of the `plan` workflow; each counts from entering its step. */
export interface PlanDeadlines {
  /** From the case's creation to the plan's submission (hạn nộp kế hoạch). */
  readonly submission: Duration
  /** The coordinator's review of a submitted plan (thời hạn xem xét). */
  readonly review: Duration
  /** The agency's revision after comments. */
  readonly revision: Duration
  /** Appraisal of a funded project by the coordinator's head (thẩm định đề án). */
  readonly appraisal: Duration
  /** The province leader's approval of a project. */
  readonly leaderApproval: Duration
  /** From approval to the start of implementation. */
  readonly implementationStart: Duration
  /** The coordinator's review of a periodic report. */
  readonly reportReview: Duration
  /** From the last accepted report to the closing summary. */
  readonly closing: Duration
}

/**
 * The `plan` section of a province configuration (kế hoạch TTĐN hằng năm và báo cáo định kỳ).
 *
 * @example
 * const section: PlanConfig = {
 *   deadlines: { submission: { workingDays: 15 }, review: { workingDays: 10 }, revision: { workingDays: 5 }, appraisal: { workingDays: 15 },
 *     leaderApproval: { workingDays: 7 }, implementationStart: { workingDays: 5 }, reportReview: { workingDays: 5 }, closing: { workingDays: 10 } },
 *   reportReminderBefore: "P7D",
 *   reportPeriods: [{ id: "h1", labels: { vi: "6 tháng", en: "Half-year" }, due: "06-15" }, { id: "year", labels: { vi: "Năm", en: "Year" }, due: "12-10" }],
 * }
 */
export interface PlanConfig {
  readonly deadlines: PlanDeadlines
  /** How long before a report's due date the agency is reminded. */
  readonly reportReminderBefore: string
  /** The periods, in order; the last one closes the plan. */
  readonly reportPeriods: ReadonlyArray<ReportPeriod>
}

/**
 * JSON Schema of `province.workflows.plan`.
 *
 * @example
 * import { compileSchema } from "@civicase/core"
 * compileSchema(planConfigSchema)(province.workflows.plan) // [] when valid
 */
export const planConfigSchema: JsonSchema = {
  type: "object",
  title: "plan",
  description: "Yearly external-information plans and their periodic reports (kế hoạch TTĐN và báo cáo định kỳ).",
  required: ["deadlines", "reportReminderBefore", "reportPeriods"],
  properties: {
    deadlines: {
      type: "object",
      required: ["submission", "review", "revision", "appraisal", "leaderApproval", "implementationStart", "reportReview", "closing"],
      properties: {
        submission: durationSchema("From the case's creation to the plan's submission."),
        review: durationSchema("The coordinator's review of a submitted plan."),
        revision: durationSchema("The agency's revision after comments."),
        appraisal: durationSchema("Appraisal of a funded project (đề án) by the coordinator's head."),
        leaderApproval: durationSchema("The province leader's approval of a project."),
        implementationStart: durationSchema("From approval to the start of implementation."),
        reportReview: durationSchema("The coordinator's review of a periodic report."),
        closing: durationSchema("From the last accepted report to the closing summary."),
      },
      additionalProperties: false,
    },
    reportReminderBefore: elapsedDurationSchema("How long before a report's due date the agency is reminded."),
    reportPeriods: {
      type: "array",
      description: "Report periods in order (kỳ báo cáo); each has a due date; the last one closes the plan.",
      minItems: 1,
      maxItems: 24,
      items: {
        type: "object",
        required: ["id", "labels", "due"],
        properties: {
          id: { type: "string", pattern: "^[a-z][a-z0-9_-]{0,30}$" },
          labels: labelSchema,
          due: monthDaySchema,
          yearOffset: { enum: [0, 1], description: "1 when the report is due in the year after the plan's year." },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
}
