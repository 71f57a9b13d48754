import { type JsonSchema, type WorkflowDefinition, defineWorkflow } from "@civicase/core"
import { documentIds } from "../documents/document-ids.js"
import { durationUntil } from "../province/local-time.js"
import { agencySucceededDefinition } from "../province/succession-event.js"
import type { Province } from "../province/types.js"
import { type CoordinationConfig, coordinationConfigSchema } from "./config.js"
import { type CoordinationContext, createCoordinationMachine } from "./machine.js"

export { type CoordinationConfig, type CoordinationDeadlines, coordinationConfigSchema } from "./config.js"
export { type AgencyProgress, type CoordinationContext, type CoordinationInput, lateAgencies, topicKey } from "./machine.js"

const text = (max = 4000): JsonSchema => ({ type: "string", minLength: 1, maxLength: max })
const object = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: "object",
  required,
  properties,
  additionalProperties: false,
})

/**
 * The `coordination` workflow, version 2: as version 1, except that a
 * contribution's attachments are documents attached to the case (ids, not
 * names; issue 10 §4). New cases start here; version 1
 * (`coordinationWorkflowV1`) runs the cases started on it.
 *
 * @example
 * const engine = createEngine({ store: pglite(), workflows: [coordinationWorkflowV1(province), coordinationWorkflow(province)], plugins: [overlapCheckPlugin] })
 * const doc = await engine.attachDocument(c.id, { name: "gop-y.pdf", mediaType: "application/pdf", bytes }, officer)
 * await engine.send(c.id, { type: "CONTRIBUTE", payload: { contribution: "Ý kiến của Sở Ngoại vụ", attachments: [doc.id] } }, officer)
 */
export function coordinationWorkflow(province: Province): WorkflowDefinition {
  const v1 = coordinationWorkflowV1(province)
  return defineWorkflow({
    ...v1,
    version: 2,
    events: {
      ...v1.events,
      CONTRIBUTE: object({ contribution: text(), attachments: documentIds("Documents attached to the case that go with the contribution.", 50) }, ["contribution"]),
    },
    documents: { CONTRIBUTE: { "/attachments": {} } },
  })
}

/**
 * Version 1 of the `coordination` workflow, kept unchanged for the cases
 * started on it (a contribution's attachments are names; see
 * `coordinationWorkflow`, version 2). Do not change this definition's
 * behaviour; move cases instead.
 * Inter-agency coordination (phối hợp liên ngành, "tránh chồng chéo"),
 * configured for `province`: a coordinator or the province leader assigns a
 * task to one lead agency and cooperating agencies, which work in parallel;
 * the lead consolidates and submits the result; the coordinator accepts it or
 * returns it. Lead and cooperating agencies must be active agencies of the province.
 *
 * @example
 * const engine = createEngine({ store: pglite(), workflows: [coordinationWorkflowV1(province), coordinationWorkflow(province)], plugins: [overlapCheckPlugin] })
 * await engine.createCase("coordination", { topic: "Quảng bá du lịch", lead: "so-vhttdl", cooperating: ["so-ngoai-vu"], dueDate: "2025-03-31" }, coordinator)
 */
export function coordinationWorkflowV1(province: Province): WorkflowDefinition {
  const config = province.workflows.coordination as CoordinationConfig
  const d = config.deadlines
  const agencyIds = province.agencies.filter((a) => !a.retired).map((a) => a.id)
  const agency: JsonSchema = { type: "string", enum: agencyIds }
  const succession = agencySucceededDefinition(province)
  return defineWorkflow({
    id: "coordination",
    version: 1,
    machine: createCoordinationMachine(province.calendar),
    input: object(
      {
        topic: text(300),
        description: text(),
        lead: agency,
        cooperating: { type: "array", items: agency, uniqueItems: true, maxItems: config.maxCooperating },
        dueDate: { type: "string", format: "date" },
      },
      ["topic", "lead", "dueDate"],
    ),
    events: {
      ACKNOWLEDGE: object({ note: text(2000) }),
      CONTRIBUTE: object({ contribution: text(), attachments: { type: "array", maxItems: 50, items: text(500) } }, ["contribution"]),
      DECLINE: object({ reason: text(2000) }, ["reason"]),
      REASSIGN: object({ from: agency, to: { anyOf: [agency, { type: "null" }] }, reason: text(2000) }, ["from", "reason"]),
      SUBMIT_RESULT: object({ summary: text() }, ["summary"]),
      ACCEPT: object({ assessment: text(2000) }, ["assessment"]),
      RETURN: object({ comments: text() }, ["comments"]),
      CANCEL: object({ reason: text(2000), result: text() }, ["reason", "result"]),
      ...succession.events,
    },
    permissions: {
      ACKNOWLEDGE: { roles: ["agency_officer", "agency_head"], agency: "party" },
      CONTRIBUTE: { roles: ["agency_officer", "agency_head"], agency: "cooperating" },
      DECLINE: { roles: ["agency_head"], agency: "cooperating" },
      REASSIGN: { roles: ["coordinator", "coordinator_head", "province_leader"], agency: "any" },
      SUBMIT_RESULT: { roles: ["agency_head"], agency: "lead" },
      ACCEPT: { roles: ["coordinator", "coordinator_head", "province_leader"], agency: "any" },
      RETURN: { roles: ["coordinator", "coordinator_head", "province_leader"], agency: "any" },
      CANCEL: { roles: ["coordinator_head", "province_leader"], agency: "any" },
      ...succession.permissions,
    },
    // `integration`: a task forwarded by another province's deployment (a link) starts here as its link actor.
    start: { roles: ["coordinator", "coordinator_head", "province_leader", "integration"] },
    deadlines: {
      acknowledgementDeadline: { label: { vi: "Hạn tiếp nhận nhiệm vụ", en: "Acknowledgement deadline" }, duration: d.acknowledgement },
      taskDue: {
        label: { vi: "Hạn hoàn thành nhiệm vụ", en: "Task due date" },
        duration: ({ context, now }: { context: CoordinationContext; now: Date }) => durationUntil(context.dueAt, now),
      },
      escalateToCoordinator: { label: { vi: "Báo cáo Sở chủ trì về việc chậm", en: "Escalation to the coordinator" }, duration: d.escalateToCoordinator },
      escalateToLeader: { label: { vi: "Báo cáo lãnh đạo UBND tỉnh về việc chậm", en: "Escalation to the province leader" }, duration: d.escalateToLeader },
      resultReviewDeadline: { label: { vi: "Hạn xem xét kết quả", en: "Result review deadline" }, duration: d.resultReview },
    },
    calendar: province.calendar,
    parties: (context: CoordinationContext) => ({
      owner: context.owner,
      lead: context.lead,
      cooperating: Object.entries(context.agencies)
        .filter(([, p]) => p.role === "cooperating")
        .map(([id]) => id)
        .sort(),
    }),
    configSchema: coordinationConfigSchema,
    title: (context: CoordinationContext) => context.topic,
    searchable: (context: CoordinationContext) => [context.description, context.lead],
    labels: {
      title: province.labels?.workflows?.coordination ?? { vi: "Phối hợp liên ngành", en: "Inter-agency coordination" },
      description: {
        vi: "Giao nhiệm vụ cho cơ quan chủ trì và các cơ quan phối hợp; các cơ quan phối hợp thực hiện song song; cơ quan chủ trì tổng hợp và báo cáo kết quả.",
        en: "A task is assigned to a lead agency and cooperating agencies, which work in parallel; the lead consolidates and reports the result.",
      },
      states: {
        working: { vi: "Đang thực hiện", en: "In progress" },
        "working.lead": { vi: "Cơ quan chủ trì", en: "Lead agency" },
        "working.lead.assigned": { vi: "Đã giao, chờ tiếp nhận", en: "Assigned, awaiting acknowledgement" },
        "working.lead.consolidating": { vi: "Đang tổng hợp", en: "Consolidating" },
        "working.cooperation": { vi: "Cơ quan phối hợp", en: "Cooperating agencies" },
        "working.cooperation.contributing": { vi: "Đang đóng góp", en: "Contributing" },
        "working.cooperation.complete": { vi: "Đã đóng góp đủ", en: "All contributions in" },
        "working.timeliness": { vi: "Tiến độ", en: "Timeliness" },
        "working.timeliness.on_time": { vi: "Trong hạn", en: "On time" },
        "working.timeliness.reminded": { vi: "Quá hạn, đã nhắc", en: "Overdue, reminded" },
        "working.timeliness.escalated_to_coordinator": { vi: "Đã báo cáo Sở chủ trì", en: "Escalated to the coordinator" },
        "working.timeliness.escalated_to_leader": { vi: "Đã báo cáo lãnh đạo UBND tỉnh", en: "Escalated to the province leader" },
        result_submitted: { vi: "Đã báo cáo kết quả", en: "Result submitted" },
        done: { vi: "Hoàn thành", en: "Done" },
        cancelled: { vi: "Đã hủy", en: "Cancelled" },
      },
      events: {
        ACKNOWLEDGE: { vi: "Tiếp nhận nhiệm vụ", en: "Acknowledge" },
        CONTRIBUTE: { vi: "Gửi nội dung phối hợp", en: "Contribute" },
        DECLINE: { vi: "Từ chối phối hợp", en: "Decline" },
        REASSIGN: { vi: "Giao lại cơ quan phối hợp", en: "Reassign" },
        SUBMIT_RESULT: { vi: "Báo cáo kết quả", en: "Submit result" },
        ACCEPT: { vi: "Chấp nhận kết quả", en: "Accept result" },
        RETURN: { vi: "Trả lại cơ quan chủ trì", en: "Return to lead" },
        CANCEL: { vi: "Hủy nhiệm vụ", en: "Cancel task" },
        ...succession.labels,
      },
    },
  })
}
