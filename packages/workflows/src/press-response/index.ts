import { compileSchema, defineWorkflow, InvalidConfigError, type WorkflowDefinition } from "@civicase/core"
import { agencySucceededDefinition } from "../province/succession-event.js"
import { holdersOf } from "../province/role-holders.js"
import type { Province } from "../province/types.js"
import { type PressResponseConfig, type PressResponseDeadlines, type Severity, pressResponseConfigSchema, pressResponseSectionProblems, severities } from "./config.js"
import { pressResponseEvents, pressResponseInputSchema } from "./events.js"
import { pressResponseDeadlineLabels, pressResponseLabels } from "./labels.js"
import { type PressResponseContext, pressResponseMachine } from "./machine.js"

export { type PressResponseConfig, type PressResponseDeadlines, type Severity, pressResponseConfigSchema, severities } from "./config.js"
export { publicationChannels, pressResponseInputSchema } from "./events.js"
export { type PressChannel, pressChannelLabels, pressChannels, publishV2Schema } from "./v2/channels.js"
export { type PublicationV2, pressResponseWorkflow } from "./v2/index.js"
export {
  type Closure as PressResponseClosure,
  type Escalation as PressResponseEscalation,
  type PressReport,
  type PressResponseContext,
  type Signature as PressResponseSignature,
  currentApprover,
} from "./machine.js"

const check = compileSchema(pressResponseConfigSchema)

/** The section of `province`, checked (schema, category ids, chain roles held); a bad section is refused with every path. */
function sectionOf(province: Province): PressResponseConfig {
  const section = province.workflows["press-response"]
  const issues = check(section).map((i) => ({ path: `/workflows/press-response${i.path === "/" ? "" : i.path}`, message: i.message }))
  if (!issues.length) issues.push(...pressResponseSectionProblems(section as PressResponseConfig, new Set(Object.keys(province.roles))))
  if (issues.length) throw new InvalidConfigError(`province ${province.id}`, issues)
  return section as PressResponseConfig
}

/**
 * Version 1 of the `press-response` workflow, kept unchanged for the cases
 * started on it (its publication channels predate the Decree 09/2017 list of
 * version 2, `pressResponseWorkflow`; do not change its behaviour, move cases
 * instead). The process (xử lý thông tin báo chí về sự cố nhạy cảm) for
 * one province: reported → triaged by the coordinator → fact finding by the
 * responsible agency → statement drafted by the spokesperson → review along the
 * approval chain of the severity → approved → published → monitoring → closed
 * with an after-action report (re-openable until archived). Deadlines follow the
 * severity; each missed one escalates one level up the configured chain.
 *
 * @example
 * const engine = createEngine({ store: pglite(), workflows: [pressResponseWorkflowV1(province), pressResponseWorkflow(province)] })
 * const c = await engine.createCase("press-response", { kind: "false_information", summary: "…", suspectedSeverity: "critical" }, reporter)
 * await engine.send(c.id, { type: "TRIAGE", payload: { severity: "critical", category: "false_information", responsibleAgency: "so-y-te" } }, coordinator)
 */
export function pressResponseWorkflowV1(province: Province): WorkflowDefinition {
  const config = sectionOf(province)
  const agencies = province.agencies.filter((a) => !a.retired).map((a) => a.id)
  const leadDepartment = province.agencies.find((a) => a.kind === "lead_department" && !a.retired)?.id
  // The lead department and the agencies of named spokespeople take part in every case.
  const standing = [...new Set([...(leadDepartment ? [leadDepartment] : []), ...holdersOf(province, ["spokesperson"])])]
  const approvers = [...new Set(severities.flatMap((s) => config.approvalChains[s]))]
  const succession = agencySucceededDefinition(province)
  const deadline = (name: keyof PressResponseDeadlines) => ({
    label: pressResponseDeadlineLabels[name]!,
    duration: ({ context }: { context: PressResponseContext }) => config.deadlines[(context.severity ?? context.report.suspectedSeverity) as Severity][name],
  })
  return defineWorkflow({
    id: "press-response",
    version: 1,
    machine: pressResponseMachine(config),
    input: pressResponseInputSchema,
    events: { ...pressResponseEvents(config, agencies), ...succession.events },
    permissions: {
      TRIAGE: { roles: ["coordinator"], agency: "any" },
      RECORD_FACTS: { roles: ["agency_officer", "agency_head"], agency: "lead" },
      DRAFT_STATEMENT: { roles: ["spokesperson"], agency: "party" },
      SUBMIT_FOR_REVIEW: { roles: ["spokesperson"], agency: "party" },
      APPROVE: { roles: approvers.length ? approvers : ["coordinator_head"], agency: "any" },
      SEND_BACK: { roles: approvers.length ? approvers : ["coordinator_head"], agency: "any" },
      PUBLISH: { roles: ["spokesperson", "coordinator"], agency: "party" },
      ADD_MONITORING_NOTE: { roles: ["coordinator", "spokesperson", "agency_officer", "agency_head"], agency: "party" },
      CLOSE: { roles: ["coordinator", "coordinator_head"], agency: "any" },
      REOPEN: { roles: ["coordinator", "coordinator_head"], agency: "any" },
      ...succession.permissions,
    },
    start: { roles: [], agency: "any" },
    labels: pressResponseLabels,
    deadlines: {
      triage: deadline("triage"),
      factFinding: deadline("factFinding"),
      drafting: deadline("drafting"),
      review: deadline("review"),
      publication: deadline("publication"),
      monitoring: deadline("monitoring"),
      reopenWindow: { label: pressResponseDeadlineLabels.reopenWindow!, duration: config.reopenWindow },
    },
    calendar: province.calendar,
    parties: (context: PressResponseContext) => ({
      owner: context.reportedBy.agency,
      lead: context.responsibleAgency ?? undefined,
      cooperating: standing.filter((a) => a !== context.reportedBy.agency && a !== context.responsibleAgency),
    }),
    configSchema: pressResponseConfigSchema,
    title: (context: PressResponseContext) => context.report?.summary,
    searchable: (context: PressResponseContext) => [context.report?.source, context.category, context.responsibleAgency],
  })
}
