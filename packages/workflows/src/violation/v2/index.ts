import { type JsonSchema, type WorkflowDefinition, defineWorkflow } from "@civicase/core"
import { agencySucceededDefinition } from "../../province/succession-event.js"
import type { Province } from "../../province/types.js"
import { statutoryComplaintWindow, violationConfigSchema } from "../config.js"
import { documentId, documentIds } from "../../documents/document-ids.js"
import { violationEvents, violationInputSchema } from "../events.js"
import { sanctionTermsSchema } from "../sanction.js"
import { holdersOf } from "../../province/role-holders.js"
import { inspectingAgencyOf, violationSectionOf } from "../section.js"
import { violationV2DeadlineLabels, violationV2Labels } from "./labels.js"
import { type ViolationV2Context, violationV2Machine } from "./machine.js"

const reasoned = (description: string): JsonSchema => ({
  type: "object",
  required: ["reason"],
  properties: { reason: { type: "string", minLength: 1, maxLength: 4000, description } },
  additionalProperties: false,
})

/**
 * The `violation` workflow, version 2 (kiểm tra, xử lý vi phạm): as version 1
 * up to the signed decision; then the decision is in force and enforcement
 * runs at once, in parallel with the complaint window (configured; default 90
 * days from receipt, Luật Khiếu nại 2011, Điều 9). A complaint does not suspend
 * enforcement (Luật Xử lý vi phạm hành chính 2012, Điều 15) unless the
 * configuration says so (`enforcementHold`) or the reviewer suspends it
 * (`SUSPEND_ENFORCEMENT`); an amendment restarts enforcement on the amended
 * terms, an annulment stops it and closes the case. The sanction decision
 * and an amended one name a decision document of the case (số, ký hiệu, loại
 * văn bản, người ký; `engine.attachDocument` first), and the findings' evidence
 * names documents of the case. New cases start here;
 * version 1 (`violationWorkflowV1`) runs the cases started on it.
 *
 * @example
 * const engine = createEngine({ store: pglite(), workflows: [violationWorkflowV1(province), violationWorkflow(province)] })
 * const c = await engine.createCase("violation", { source: "monitoring", summary: "…", subject: { name: "Trang tin X" } }, inspector)
 */
export function violationWorkflow(province: Province): WorkflowDefinition {
  const config = violationSectionOf(province)
  const inspecting = inspectingAgencyOf(province)
  const agencies = province.agencies.filter((a) => !a.retired).map((a) => a.id)
  const standing = holdersOf(province, ["inspector", "legal_reviewer"])
  const inspectors = { roles: ["inspector"], agency: "party" } as const
  const reviewer = { roles: ["coordinator_head"], agency: "party" } as const
  const succession = agencySucceededDefinition(province)
  const { FILE_APPEAL: appeal, ...shared } = violationEvents(config)
  const decisionDocument = documentId("The decision document (quyết định xử phạt): attached to the case with its number, symbol, type and signer.")
  const text = (description: string): JsonSchema => ({ type: "string", minLength: 1, maxLength: 4000, description })
  const deadline = (name: "preliminaryCheck" | "inspection" | "sanction" | "enforcement") => ({
    label: violationV2DeadlineLabels[name]!,
    duration: config.deadlines[name],
    configPath: `/workflows/violation/deadlines/${name}`,
  })
  return defineWorkflow({
    id: "violation",
    version: 2,
    machine: violationV2Machine(config, inspecting),
    input: violationInputSchema(agencies),
    events: {
      ...shared,
      // Evidence and the decision are documents attached to the case, not names (issue 10 §4).
      RECORD_FINDINGS: {
        type: "object",
        required: ["findings"],
        properties: { findings: { ...text("What the inspection found."), maxLength: 20000 }, evidence: documentIds("Evidence (chứng cứ): documents attached to the case.", 100) },
        additionalProperties: false,
      },
      DECIDE_SANCTION: sanctionTermsSchema(config, { decisionDocument }, ["decisionDocument"]),
      AMEND: sanctionTermsSchema(config, { reason: text("Why the decision is amended."), decisionDocument }, ["reason", "decisionDocument"]),
      FILE_COMPLAINT: appeal!,
      SUSPEND_ENFORCEMENT: reasoned("Why continued enforcement would cause consequences hard to remedy (Luật Khiếu nại 2011, Điều 35)."),
      RESUME_ENFORCEMENT: reasoned("Why the suspension is lifted."),
      ...succession.events,
    },
    permissions: {
      START_CHECK: inspectors,
      DISMISS: inspectors,
      OPEN_INSPECTION: { roles: ["inspector", "coordinator_head"], agency: "party" },
      RECORD_FINDINGS: inspectors,
      CONCLUDE_NO_VIOLATION: inspectors,
      CONFIRM_VIOLATION: inspectors,
      DECIDE_SANCTION: { roles: ["inspector", "coordinator_head"], agency: "party" },
      SIGN: { roles: ["legal_reviewer", "coordinator_head"], agency: "party" },
      RETURN_SANCTION: { roles: ["legal_reviewer", "coordinator_head"], agency: "party" },
      NOTIFY_SUBJECT: { roles: ["inspector", "coordinator"], agency: "party" },
      FILE_COMPLAINT: { roles: ["coordinator", "agency_head", "integration"], agency: "party" },
      UPHOLD: reviewer,
      AMEND: reviewer,
      ANNUL: reviewer,
      SUSPEND_ENFORCEMENT: reviewer,
      RESUME_ENFORCEMENT: reviewer,
      VERIFY_COMPLIANCE: inspectors,
      CLOSE: { roles: ["coordinator_head", "inspector"], agency: "party" },
      ...succession.permissions,
    },
    start: { roles: ["inspector", "coordinator", "coordinator_head", "agency_officer", "agency_head", "integration"], agency: "any" },
    labels: violationV2Labels,
    deadlines: {
      preliminaryCheck: deadline("preliminaryCheck"),
      inspection: deadline("inspection"),
      sanction: deadline("sanction"),
      complaintWindow: {
        label: violationV2DeadlineLabels.complaintWindow!,
        // Counted from the day the subject received the decision, as the law counts it, not from when that was recorded.
        duration: ({ context }: { context: ViolationV2Context }) => ({ duration: config.complaintWindow ?? statutoryComplaintWindow, from: context.notification?.notifiedAt ?? "" }),
        configPath: "/workflows/violation/complaintWindow",
      },
      complaintReview: { label: violationV2DeadlineLabels.complaintReview!, duration: config.deadlines.appealReview, configPath: "/workflows/violation/deadlines/appealReview" },
      enforcement: deadline("enforcement"),
    },
    calendar: province.calendar,
    title: (context: ViolationV2Context) => context.report?.summary,
    searchable: (context: ViolationV2Context) => [context.report?.subject?.name, context.report?.subject?.agency, context.report?.reference],
    parties: (context: ViolationV2Context) => ({
      owner: context.inspectingAgency,
      cooperating: [...new Set([...standing, context.reportedBy.agency, context.report.subject.agency])].filter((a): a is string => !!a && a !== context.inspectingAgency),
    }),
    configSchema: violationConfigSchema,
    documents: {
      RECORD_FINDINGS: { "/evidence": {} },
      DECIDE_SANCTION: { "/decisionDocument": { decision: true } },
      AMEND: { "/decisionDocument": { decision: true } },
    },
  })
}
