import type { Duration, JsonSchema, Label } from "@civicase/core"
import { durationSchema, elapsedDurationSchema, labelSchema, monthDaySchema, roleNameSchema } from "../province/schema-parts.js"

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
 * One step of a plan's approval chain (thẩm quyền phê duyệt): who acts, from
 * which agency, whether they approve (phê duyệt, ký ban hành) or appraise
 * (thẩm định: a favourable or unfavourable opinion), and how long they have.
 */
export interface ApprovalStep {
  readonly role: string
  /** `owner`: a holder of the role in the plan's own agency (its head); `any`: a holder in the agency the province gives the role to. */
  readonly agency: "owner" | "any"
  readonly act: "approve" | "appraise"
  readonly deadline: Duration
}

/**
 * Who approves a plan (version 2). Plan 155/KH-UBND: each agency builds and
 * issues its own yearly plan, its head answering for it (III.1, I.1); the
 * Department of Information and Communications appraises the projects and
 * plans that go to the Provincial People's Committee for approval (III.2).
 */
export interface PlanApproval {
  /** An agency's own yearly plan. Seed default: its head approves and issues it. */
  readonly agency: ReadonlyArray<ApprovalStep>
  /** A funded project (đề án) or a plan for the province leadership. Seed default: agency head, coordinator head's appraisal, province leader's approval. */
  readonly provincial: ReadonlyArray<ApprovalStep>
}

/** An indicator of the province's catalogue (chỉ tiêu) that plans set targets for and reports give values of. */
export interface PlanIndicator {
  readonly id: string
  readonly labels: Label
  /** What it counts (tin, bài / items). */
  readonly unit: Label
}

/**
 * The chain a plan follows when the configuration names none: the seed's
 * arrangement, with each step's deadline taken from `deadlines` (`review`,
 * `appraisal`, `leaderApproval`).
 *
 * @example
 * defaultApproval(config.deadlines).provincial.map((s) => s.role) // ["agency_head", "coordinator_head", "province_leader"]
 */
export function defaultApproval(d: PlanDeadlines): PlanApproval {
  const head: ApprovalStep = { role: "agency_head", agency: "owner", act: "approve", deadline: d.review }
  return {
    agency: [head],
    provincial: [head, { role: "coordinator_head", agency: "any", act: "appraise", deadline: d.appraisal }, { role: "province_leader", agency: "any", act: "approve", deadline: d.leaderApproval }],
  }
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
  /** Who approves a plan (version 2); default {@link defaultApproval}. */
  readonly approval?: PlanApproval
  /** The indicators plans set targets for (version 2); none by default. */
  readonly indicators?: ReadonlyArray<PlanIndicator>
}

function approvalChainSchema(description: string): JsonSchema {
  return {
    type: "array",
    description,
    minItems: 1,
    maxItems: 10,
    items: {
      type: "object",
      required: ["role", "agency", "act", "deadline"],
      properties: {
        role: roleNameSchema,
        agency: { enum: ["owner", "any"], description: "owner: a holder of the role in the plan's own agency; any: a holder wherever the province gives the role." },
        act: { enum: ["approve", "appraise"], description: "approve (phê duyệt; the last approval issues the plan) or appraise (thẩm định: favourable or not)." },
        deadline: durationSchema("How long this step may take."),
      },
      additionalProperties: false,
    },
  }
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
    approval: {
      type: "object",
      description:
        "Who approves a plan (version 2; thẩm quyền phê duyệt). Default, the seed's arrangement: the agency head approves and issues the agency's own plan; a project or a plan for the province leadership goes to the agency head, the coordinator head's appraisal, then the province leader.",
      required: ["agency", "provincial"],
      properties: {
        agency: approvalChainSchema("The chain of an agency's own yearly plan."),
        provincial: approvalChainSchema("The chain of a funded project (đề án) or a plan submitted to the province leadership."),
      },
      additionalProperties: false,
    },
    indicators: {
      type: "array",
      description: "The catalogue of indicators (chỉ tiêu) plans set targets for and period reports give values of (version 2); the periodic report rolls them up.",
      maxItems: 100,
      items: {
        type: "object",
        required: ["id", "labels", "unit"],
        properties: { id: { type: "string", pattern: "^[a-z][a-z0-9_]{0,62}$" }, labels: labelSchema, unit: labelSchema },
        additionalProperties: false,
      },
    },
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
