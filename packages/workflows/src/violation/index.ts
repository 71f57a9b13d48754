import { defineWorkflow, type WorkflowDefinition } from "@civicase/core"
import { holdersOf } from "../province/role-holders.js"
import { agencySucceededDefinition } from "../province/succession-event.js"
import type { Province } from "../province/types.js"
import { statutoryComplaintWindow, type ViolationConfig, violationConfigSchema } from "./config.js"
import { inspectingAgencyOf, violationSectionOf } from "./section.js"
import { violationEvents, violationInputSchema } from "./events.js"
import { violationDeadlineLabels, violationLabels } from "./labels.js"
import { type ViolationContext, violationMachine } from "./machine.js"

export { type EnforcementHold, type Penalty, type ViolationConfig, type ViolationDeadlines, statutoryComplaintWindow, violationConfigSchema } from "./config.js"
export { violationWorkflow } from "./v2/index.js"
export { type ComplaintStatus, type EnforcementEntry, type ViolationV2Context } from "./v2/machine.js"
export { type SanctionTerms, sanctionProblem } from "./sanction.js"
export { type ViolationContext, type ViolationReport, type ViolationSignature, sanctionSigners, signerRole } from "./machine.js"

/**
 * Version 1 of the `violation` workflow, kept unchanged for the cases started
 * on it: enforcement waits until the appeal window ends or the appeal is
 * decided, which the law does not ask (a complaint does not suspend a
 * sanction decision; see `violationWorkflow`, version 2). Do not change this
 * definition's behaviour; move cases instead. For one province: reported →
 * preliminary check (inspector) → dismissed, or inspection opened → findings
 * recorded → no violation, or violation confirmed → sanction decided from the
 * catalogue (amount within its bounds; the legal reviewer and the coordinator
 * head both sign) → subject notified → appeal window: appeal review (upheld,
 * amended, annulled) or enforcement → compliance verified → closed.
 *
 * @example
 * const engine = createEngine({ store: pglite(), workflows: [violationWorkflowV1(province), violationWorkflow(province)] })
 */
export function violationWorkflowV1(province: Province): WorkflowDefinition {
  const config = violationSectionOf(province)
  const inspecting = inspectingAgencyOf(province)
  const agencies = province.agencies.filter((a) => !a.retired).map((a) => a.id)
  const deadline = (name: keyof ViolationConfig["deadlines"]) => ({ label: violationDeadlineLabels[name]!, duration: config.deadlines[name] })
  // Inspectors and legal reviewers may sit in other agencies (thanh tra, Sở Tư pháp): they take part in every case.
  const standing = holdersOf(province, ["inspector", "legal_reviewer"])
  const inspectors = { roles: ["inspector"], agency: "party" } as const
  const succession = agencySucceededDefinition(province)
  return defineWorkflow({
    id: "violation",
    version: 1,
    machine: violationMachine(config, inspecting),
    input: violationInputSchema(agencies),
    events: { ...violationEvents(config), ...succession.events },
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
      FILE_APPEAL: { roles: ["coordinator", "agency_head", "integration"], agency: "party" },
      UPHOLD: { roles: ["coordinator_head"], agency: "party" },
      AMEND: { roles: ["coordinator_head"], agency: "party" },
      ANNUL: { roles: ["coordinator_head"], agency: "party" },
      VERIFY_COMPLIANCE: inspectors,
      CLOSE: { roles: ["coordinator_head", "inspector"], agency: "party" },
      ...succession.permissions,
    },
    start: { roles: ["inspector", "coordinator", "coordinator_head", "agency_officer", "agency_head", "integration"], agency: "any" },
    labels: violationLabels,
    deadlines: {
      preliminaryCheck: deadline("preliminaryCheck"),
      inspection: deadline("inspection"),
      sanction: deadline("sanction"),
      appealWindow: { label: violationDeadlineLabels.appealWindow!, duration: config.appealWindow ?? config.complaintWindow ?? statutoryComplaintWindow },
      appealReview: deadline("appealReview"),
      enforcement: deadline("enforcement"),
    },
    calendar: province.calendar,
    parties: (context: ViolationContext) => ({
      owner: context.inspectingAgency,
      cooperating: [...new Set([...standing, context.reportedBy.agency, context.report.subject.agency])].filter(
        (a): a is string => !!a && a !== context.inspectingAgency,
      ),
    }),
    configSchema: violationConfigSchema,
    title: (context: ViolationContext) => context.report?.summary,
    searchable: (context: ViolationContext) => [context.report?.subject?.name, context.report?.subject?.agency, context.report?.reference],
  })
}
