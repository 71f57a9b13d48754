import { type JsonSchema, type WorkflowDefinition, InvalidConfigError, type ValidationIssue, defaultProvinceWideRoles, defineWorkflow, ownValue } from "@civicase/core"
import { documentId } from "../../documents/document-ids.js"
import { durationUntil } from "../../province/local-time.js"
import { agencySucceededDefinition } from "../../province/succession-event.js"
import type { Province } from "../../province/types.js"
import { defaultApproval, type PlanApproval, type PlanConfig, planConfigSchema } from "../config.js"
import { planV2Labels } from "./labels.js"
import { type PlanV2Context, planV2Machine } from "./machine.js"

const text = (max = 4000): JsonSchema => ({ type: "string", minLength: 1, maxLength: max })
const object = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({ type: "object", required, properties, additionalProperties: false })

/** Figures by indicator id: only the province catalogue's ids, each a number ≥ 0. */
function figures(ids: ReadonlyArray<string>, description: string): JsonSchema {
  return { type: "object", description, propertyNames: { enum: [...ids] }, additionalProperties: { type: "number", minimum: 0, maximum: 1e12 }, maxProperties: 100 }
}

/** The approval chains of `province`, checked against its roles; the seed's arrangement when it names none. */
function approvalOf(province: Province, config: PlanConfig): PlanApproval {
  const approval = config.approval ?? defaultApproval(config.deadlines)
  const issues: ValidationIssue[] = []
  for (const route of ["agency", "provincial"] as const) {
    approval[route].forEach((step, i) => {
      const path = `/workflows/plan/approval/${route}/${i}`
      const holders = ownValue(province.roles, step.role)
      if (!holders) issues.push({ path: `${path}/role`, message: `names the role "${step.role}", which no agency holds in this province` })
      // An "any" step is done by the agencies the role is given to: a role given to every agency would let any agency's holder act.
      else if (step.agency === "any" && holders.includes("*")) issues.push({ path: `${path}/agency`, message: `"any" needs a role given to named agencies, but ${step.role} is given to every agency ("*"); use "owner"` })
    })
    const last = approval[route].at(-1)
    if (last && last.act !== "approve") issues.push({ path: `/workflows/plan/approval/${route}/${approval[route].length - 1}/act`, message: "the last step must approve: its approval issues the plan" })
  }
  if (issues.length) throw new InvalidConfigError(`province ${province.id}`, issues)
  return approval
}

/**
 * The yearly external-information plan and its periodic reports, version 2
 * (kế hoạch TTĐN hằng năm, báo cáo định kỳ), faithful to Plan 155/KH-UBND:
 * each agency drafts its own plan and its head approves and issues it (III.1);
 * projects (đề án) and plans for the province leadership are appraised by the
 * coordinator's head and approved by the province leader (III.2), or as the
 * province's `approval` says; the coordinator guides, urges and inspects any
 * plan (`COMMENT`) and is told when one is issued (`plan.issued`). The
 * approval that issues the plan (the last step) names its decision document
 * (`decisionDocument`: the signed plan, with số, ký hiệu, loại văn bản, người
 * ký; without one that step accepts no approval). Plans set
 * targets for the province's indicators; reports give their values, which
 * `planIndicatorReport` rolls up.
 *
 * @example
 * const engine = createEngine({ store: pglite(), workflows: [planWorkflowV1(province), planWorkflow(province)] })
 * await engine.createCase("plan", { title: "Kế hoạch TTĐN 2027", year: 2027, targets: { articles_published: 120 } }, officer) // version 2
 */
export function planWorkflow(province: Province): WorkflowDefinition {
  const config = province.workflows.plan as PlanConfig
  const d = config.deadlines
  const approval = approvalOf(province, config)
  const ids = (config.indicators ?? []).map((i) => i.id)
  const catalogue = new Map((config.indicators ?? []).map((i) => [i.id, i]))
  const current = (context: PlanV2Context) => context.periods[context.current]
  const succession = agencySucceededDefinition(province)
  const steps = [...approval.agency, ...approval.provincial]
  const rolesFor = (act: "approve" | "appraise") => [...new Set(steps.filter((s) => s.act === act).map((s) => s.role))]
  // Province-wide roles act on any plan; the agencies holding another role of an "any" step take part in every plan.
  const wide = new Set(province.provinceWideRoles ?? defaultProvinceWideRoles)
  const standing = [...new Set(steps.filter((s) => s.agency === "any" && !wide.has(s.role)).flatMap((s) => ownValue(province.roles, s.role) ?? []))].filter((a) => a !== "*")
  const chainOf = (context: PlanV2Context) => (context.route === "provincial" ? approval.provincial : approval.agency)
  const actors = (roles: string[]) => ({ roles: roles.length ? roles : ["agency_head"], agency: "party" as const })

  return defineWorkflow({
    id: "plan",
    version: 2,
    machine: planV2Machine(config, approval, province.calendar),
    input: object(
      {
        title: text(300),
        year: { type: "integer", minimum: 2000, maximum: 2100 },
        isProject: { type: "boolean", description: "A funded project (đề án): appraised and approved by the province leadership." },
        forProvinceApproval: { type: "boolean", description: "A plan submitted to the province leadership rather than issued by the agency itself." },
        targets: figures(ids, "Targets for the province's indicators (chỉ tiêu), by indicator id."),
      },
      ["title", "year"],
    ),
    events: {
      SUBMIT: object({ note: text(2000) }),
      APPROVE: object({
        comment: text(2000),
        decision: text(200),
        decisionDocument: documentId(
          "The signed plan or the decision issuing it (kế hoạch, quyết định ban hành): a document of the case with its number, symbol, type and signer. Required by the approval that issues the plan.",
        ),
      }),
      APPRAISE: object({ opinion: text(), favourable: { type: "boolean" } }, ["opinion", "favourable"]),
      RETURN: object({ comments: text() }, ["comments"]),
      COMMENT: object({ comments: text(), kind: { enum: ["guidance", "urging", "inspection"], description: "hướng dẫn, đôn đốc, kiểm tra; default guidance." } }, ["comments"]),
      START_IMPLEMENTATION: object({}),
      SUBMIT_REPORT: object(
        { summary: text(), values: figures(ids, "The indicators' figures since the start of the plan's year (lũy kế), by indicator id.") },
        ["summary"],
      ),
      ACCEPT_REPORT: object({ comment: text(2000) }),
      RETURN_REPORT: object({ comments: text() }, ["comments"]),
      CLOSE: object({ reason: text(2000), result: text() }, ["reason", "result"]),
      CANCEL: object({ reason: text(2000), result: text() }, ["reason", "result"]),
      ...succession.events,
    },
    permissions: {
      ...succession.permissions,
      SUBMIT: { roles: ["agency_officer", "agency_head"], agency: "owner" },
      APPROVE: actors(rolesFor("approve")),
      APPRAISE: actors(rolesFor("appraise")),
      RETURN: actors([...rolesFor("approve"), ...rolesFor("appraise")]),
      // The coordinator may comment on any plan at any step; that puts no plan on its work list.
      COMMENT: { roles: ["coordinator", "coordinator_head"], agency: "any", worklist: false },
      START_IMPLEMENTATION: { roles: ["agency_head", "agency_officer"], agency: "owner" },
      SUBMIT_REPORT: { roles: ["agency_head"], agency: "owner" },
      ACCEPT_REPORT: { roles: ["coordinator"], agency: "any" },
      RETURN_REPORT: { roles: ["coordinator"], agency: "any" },
      CLOSE: { roles: ["agency_head", "coordinator", "coordinator_head"], agency: "party" },
      CANCEL: { roles: ["agency_head", "coordinator_head", "province_leader"], agency: "party" },
    },
    start: { roles: ["agency_officer", "agency_head"] },
    deadlines: {
      submissionDeadline: { label: { vi: "Hạn trình kế hoạch", en: "Plan submission deadline" }, duration: d.submission, configPath: "/workflows/plan/deadlines/submission" },
      approvalStepDeadline: {
        label: { vi: "Hạn phê duyệt, thẩm định ở bước hiện tại", en: "Deadline of the current approval step" },
        duration: ({ context }: { context: PlanV2Context }) => chainOf(context)[context.step]?.deadline ?? d.review,
        configPath: config.approval ? "/workflows/plan/approval" : "/workflows/plan/deadlines",
      },
      revisionDeadline: { label: { vi: "Hạn chỉnh sửa kế hoạch", en: "Revision deadline" }, duration: d.revision, configPath: "/workflows/plan/deadlines/revision" },
      implementationStartDeadline: { label: { vi: "Hạn bắt đầu triển khai", en: "Implementation start deadline" }, duration: d.implementationStart, configPath: "/workflows/plan/deadlines/implementationStart" },
      reportReminder: {
        label: { vi: "Nhắc nộp báo cáo định kỳ", en: "Periodic report reminder" },
        duration: ({ context, now }: { context: PlanV2Context; now: Date }) => durationUntil(current(context)?.remindAt ?? now.toISOString(), now),
        configPath: "/workflows/plan/reportReminderBefore",
      },
      reportDue: {
        label: { vi: "Hạn nộp báo cáo định kỳ", en: "Periodic report due" },
        duration: ({ context, now }: { context: PlanV2Context; now: Date }) => durationUntil(current(context)?.dueAt ?? now.toISOString(), now),
        configPath: "/workflows/plan/reportPeriods",
      },
      reportReviewDeadline: { label: { vi: "Hạn xem xét báo cáo", en: "Report review deadline" }, duration: d.reportReview, configPath: "/workflows/plan/deadlines/reportReview" },
      closingDeadline: { label: { vi: "Hạn tổng kết", en: "Closing summary deadline" }, duration: d.closing, configPath: "/workflows/plan/deadlines/closing" },
    },
    calendar: province.calendar,
    parties: (context: PlanV2Context) => ({ owner: context.owner, cooperating: standing.filter((a) => a !== context.owner) }),
    title: (context: PlanV2Context) => context.title,
    // Found by its year and by the names of the indicators it sets targets for.
    searchable: (context: PlanV2Context) => [String(context.year ?? ""), ...Object.keys(context.targets ?? {}).map((id) => catalogue.get(id)?.labels.vi ?? id)],
    configSchema: planConfigSchema,
    documents: { APPROVE: { "/decisionDocument": { decision: true } } },
    labels: { ...planV2Labels, title: province.labels?.workflows?.plan ?? planV2Labels.title, events: { ...planV2Labels.events, ...succession.labels } },
  })
}
