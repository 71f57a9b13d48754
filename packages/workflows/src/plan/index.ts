import { type JsonSchema, type WorkflowDefinition, defineWorkflow } from "@civicase/core"
import { durationUntil } from "../province/local-time.js"
import { agencySucceededDefinition } from "../province/succession-event.js"
import type { Province } from "../province/types.js"
import { type PlanConfig, planConfigSchema } from "./config.js"
import { type PlanContext, createPlanMachine } from "./machine.js"

export {
  type ApprovalStep,
  type PlanApproval,
  type PlanConfig,
  type PlanDeadlines,
  type PlanIndicator,
  type ReportPeriod,
  defaultApproval,
  planConfigSchema,
} from "./config.js"
export type { Closure, PeriodProgress, PlanContext, PlanInput } from "./machine.js"
export { planWorkflow } from "./v2/index.js"
export {
  type IndicatorAgencyFigure,
  type IndicatorPeriodFigure,
  type IndicatorReportFilter,
  type IndicatorRollup,
  planIndicatorReport,
} from "./indicator-report.js"
export { type ApprovalDecision, type CoordinatorComment, type PeriodReport, type PlanV2Context, type PlanV2Input, actsAtStep, currentStep } from "./v2/machine.js"

const text = (max = 4000): JsonSchema => ({ type: "string", minLength: 1, maxLength: max })
const object = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: "object",
  required,
  properties,
  additionalProperties: false,
})

const closing = object({ reason: text(2000), result: text() }, ["reason", "result"])

/** Payload schemas of the `plan` events. */
const events = {
  SUBMIT: object({ note: text(2000) }),
  START_REVIEW: object({}),
  REQUEST_REVISION: object({ comments: text() }, ["comments"]),
  APPROVE: object({ comment: text(2000) }),
  APPRAISE: object({ opinion: text(), favourable: { type: "boolean" } }, ["opinion", "favourable"]),
  LEADER_APPROVE: object({ decision: text(200) }, ["decision"]),
  LEADER_RETURN: object({ comments: text() }, ["comments"]),
  START_IMPLEMENTATION: object({}),
  SUBMIT_REPORT: object(
    {
      summary: text(),
      indicators: {
        type: "array",
        maxItems: 100,
        items: object({ name: text(300), achieved: text(300), note: text(1000) }, ["name", "achieved"]),
      },
    },
    ["summary"],
  ),
  ACCEPT_REPORT: object({ comment: text(2000) }),
  RETURN_REPORT: object({ comments: text() }, ["comments"]),
  CLOSE: closing,
  CANCEL: closing,
} satisfies Record<string, JsonSchema>

const input: JsonSchema = object(
  {
    title: text(300),
    year: { type: "integer", minimum: 2000, maximum: 2100 },
    isProject: { type: "boolean" },
    indicators: { type: "array", maxItems: 100, items: object({ name: text(300), target: text(300) }, ["name", "target"]) },
  },
  ["title", "year"],
)

/**
 * Version 1 of the yearly plan (kế hoạch TTĐN hằng năm, báo cáo định kỳ),
 * kept unchanged for the cases started on it: the coordinator (Sở TT&TT)
 * reviews and approves every agency's plan, which Plan 155/KH-UBND does not
 * ask (the agency issues its own; see `planWorkflow`, version 2). New cases
 * start on version 2; do not change this definition's behaviour, move cases
 * instead.
 *
 * @example
 * const province = loadProvince(provinceFiles.vinhPhuc)
 * const engine = createEngine({ store: pglite(), workflows: [planWorkflowV1(province), planWorkflow(province)] })
 */
export function planWorkflowV1(province: Province): WorkflowDefinition {
  const config = province.workflows.plan as PlanConfig
  const d = config.deadlines
  const current = (context: PlanContext) => context.periods[context.current]
  const succession = agencySucceededDefinition(province)
  return defineWorkflow({
    id: "plan",
    version: 1,
    machine: createPlanMachine(config, province.calendar),
    input,
    events: { ...events, ...succession.events },
    permissions: {
      ...succession.permissions,
      SUBMIT: { roles: ["agency_head"], agency: "owner" },
      START_REVIEW: { roles: ["coordinator"], agency: "any" },
      REQUEST_REVISION: { roles: ["coordinator"], agency: "any" },
      APPROVE: { roles: ["coordinator"], agency: "any" },
      APPRAISE: { roles: ["coordinator_head"], agency: "any" },
      LEADER_APPROVE: { roles: ["province_leader"], agency: "any" },
      LEADER_RETURN: { roles: ["province_leader"], agency: "any" },
      START_IMPLEMENTATION: { roles: ["agency_head", "agency_officer"], agency: "owner" },
      SUBMIT_REPORT: { roles: ["agency_head"], agency: "owner" },
      ACCEPT_REPORT: { roles: ["coordinator"], agency: "any" },
      RETURN_REPORT: { roles: ["coordinator"], agency: "any" },
      CLOSE: { roles: ["coordinator", "coordinator_head"], agency: "any" },
      CANCEL: { roles: ["coordinator_head", "province_leader"], agency: "any" },
    },
    start: { roles: ["agency_officer", "agency_head"] },
    deadlines: {
      submissionDeadline: { label: { vi: "Hạn nộp kế hoạch", en: "Plan submission deadline" }, duration: d.submission },
      reviewDeadline: { label: { vi: "Hạn xem xét kế hoạch", en: "Plan review deadline" }, duration: d.review },
      revisionDeadline: { label: { vi: "Hạn chỉnh sửa kế hoạch", en: "Revision deadline" }, duration: d.revision },
      appraisalDeadline: { label: { vi: "Hạn thẩm định đề án", en: "Project appraisal deadline" }, duration: d.appraisal },
      leaderApprovalDeadline: { label: { vi: "Hạn phê duyệt của lãnh đạo UBND tỉnh", en: "Province leader approval deadline" }, duration: d.leaderApproval },
      implementationStartDeadline: { label: { vi: "Hạn bắt đầu triển khai", en: "Implementation start deadline" }, duration: d.implementationStart },
      reportReminder: {
        label: { vi: "Nhắc nộp báo cáo định kỳ", en: "Periodic report reminder" },
        duration: ({ context, now }) => durationUntil(current(context)?.remindAt ?? now.toISOString(), now),
      },
      reportDue: {
        label: { vi: "Hạn nộp báo cáo định kỳ", en: "Periodic report due" },
        duration: ({ context, now }) => durationUntil(current(context)?.dueAt ?? now.toISOString(), now),
      },
      reportReviewDeadline: { label: { vi: "Hạn xem xét báo cáo", en: "Report review deadline" }, duration: d.reportReview },
      closingDeadline: { label: { vi: "Hạn tổng kết", en: "Closing summary deadline" }, duration: d.closing },
    },
    calendar: province.calendar,
    parties: (context: PlanContext) => ({ owner: context.owner }),
    configSchema: planConfigSchema,
    title: (context: PlanContext) => context.title,
    searchable: (context: PlanContext) => [String(context.year ?? ""), ...(context.indicators ?? []).map((i) => i.name)],
    labels: {
      title: province.labels?.workflows?.plan ?? { vi: "Kế hoạch và báo cáo định kỳ TTĐN", en: "External information plan and periodic reports" },
      description: {
        vi: "Cơ quan xây dựng kế hoạch TTĐN hằng năm; Sở TT&TT xem xét; đề án được thẩm định và UBND tỉnh phê duyệt; cơ quan báo cáo định kỳ đến khi tổng kết.",
        en: "An agency drafts its yearly external-information plan; the coordinator reviews it; funded projects are appraised and approved by the province leader; the agency reports each period until a closing summary.",
      },
      states: {
        draft: { vi: "Dự thảo", en: "Draft" },
        submitted: { vi: "Đã trình", en: "Submitted" },
        under_review: { vi: "Đang xem xét", en: "Under review" },
        revision_requested: { vi: "Yêu cầu chỉnh sửa", en: "Revision requested" },
        appraisal: { vi: "Thẩm định đề án", en: "Project appraisal" },
        leader_approval: { vi: "Chờ lãnh đạo UBND tỉnh phê duyệt", en: "Awaiting province leader approval" },
        approved: { vi: "Đã phê duyệt", en: "Approved" },
        in_implementation: { vi: "Đang triển khai", en: "In implementation" },
        "in_implementation.awaiting_report": { vi: "Chờ báo cáo kỳ", en: "Awaiting period report" },
        "in_implementation.overdue": { vi: "Báo cáo quá hạn", en: "Report overdue" },
        "in_implementation.report_review": { vi: "Xem xét báo cáo", en: "Report under review" },
        summarizing: { vi: "Tổng kết kết quả", en: "Summarizing results" },
        closed: { vi: "Đã kết thúc", en: "Closed" },
        cancelled: { vi: "Đã hủy", en: "Cancelled" },
      },
      events: {
        SUBMIT: { vi: "Trình kế hoạch", en: "Submit plan" },
        START_REVIEW: { vi: "Tiếp nhận xem xét", en: "Start review" },
        REQUEST_REVISION: { vi: "Yêu cầu chỉnh sửa", en: "Request revision" },
        APPROVE: { vi: "Chấp thuận", en: "Approve" },
        APPRAISE: { vi: "Thẩm định", en: "Appraise" },
        LEADER_APPROVE: { vi: "Lãnh đạo UBND tỉnh phê duyệt", en: "Province leader approves" },
        LEADER_RETURN: { vi: "Lãnh đạo UBND tỉnh trả lại", en: "Province leader returns" },
        START_IMPLEMENTATION: { vi: "Bắt đầu triển khai", en: "Start implementation" },
        SUBMIT_REPORT: { vi: "Nộp báo cáo kỳ", en: "Submit period report" },
        ACCEPT_REPORT: { vi: "Chấp nhận báo cáo", en: "Accept report" },
        RETURN_REPORT: { vi: "Trả lại báo cáo", en: "Return report" },
        CLOSE: { vi: "Tổng kết và đóng", en: "Close with summary" },
        CANCEL: { vi: "Hủy kế hoạch", en: "Cancel plan" },
        ...succession.labels,
      },
    },
  })
}
