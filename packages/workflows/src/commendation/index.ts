import { compileSchema, defineWorkflow, InvalidConfigError, type WorkflowDefinition } from "@civicase/core"
import { agencySucceededDefinition } from "../province/succession-event.js"
import { holdersOf } from "../province/role-holders.js"
import type { Province } from "../province/types.js"
import { type CommendationConfig, commendationConfigSchema, commendationSectionProblems } from "./config.js"
import { commendationEvents, commendationEventsV2, commendationInputSchema } from "./events.js"
import { commendationDeadlineLabels, commendationLabels } from "./labels.js"
import { type CommendationContext, commendationMachine } from "./machine.js"

export { type Award, type AwardAuthority, type CommendationConfig, type CommendationDeadlines, type CouncilRules, commendationConfigSchema } from "./config.js"
export { type CouncilTally, type CouncilVote, tallyVotes } from "./council.js"
export { type CommendationContext, type CommendationSignature, type Nomination } from "./machine.js"

const check = compileSchema(commendationConfigSchema)

/** The section of `province`, checked (schema, award ids, quorum within membership); a bad section is refused with every path. */
function sectionOf(province: Province): CommendationConfig {
  const section = province.workflows.commendation
  const issues = check(section).map((i) => ({ path: `/workflows/commendation${i.path === "/" ? "" : i.path}`, message: i.message }))
  if (!issues.length) issues.push(...commendationSectionProblems(section as CommendationConfig))
  if (issues.length) throw new InvalidConfigError(`province ${province.id}`, issues)
  return section as CommendationConfig
}

/**
 * The `commendation` workflow (khen thưởng), version 2: as version 1, except
 * that the dossier's documents are documents attached to the case (ids, not
 * names), and the province's award decision (`DECIDE`) and a central one that
 * grants the award (`RECORD_CENTRAL_DECISION`) name a decision document of
 * the case carrying its number, symbol, type and signer (issue 10 §4). New
 * cases start here; version 1 (`commendationWorkflowV1`) runs the cases
 * started on it.
 *
 * @example
 * const engine = createEngine({ store: pglite(), workflows: [commendationWorkflowV1(province), commendationWorkflow(province)] })
 * const qd = await engine.attachDocument(c.id, { name: "qd-125.pdf", mediaType: "application/pdf", bytes, decision }, leader)
 * await engine.send(c.id, { type: "DECIDE", payload: { decisionNumber: "125/QĐ-UBND", decisionDocument: qd.id } }, leader)
 */
export function commendationWorkflow(province: Province): WorkflowDefinition {
  return defineWorkflow({
    ...commendationWorkflowV1(province),
    version: 2,
    events: { ...commendationEventsV2(), ...agencySucceededDefinition(province).events },
    documents: {
      SUBMIT_NOMINATION: { "/documents": {} },
      PROVIDE_DOCUMENTS: { "/documents": {} },
      DECIDE: { "/decisionDocument": { decision: true } },
      RECORD_CENTRAL_DECISION: { "/decisionDocument": { decision: true } },
    },
  })
}

/**
 * Version 1 of the `commendation` workflow, kept unchanged for the cases
 * started on it (its documents are names, its decisions numbers only; see
 * `commendationWorkflow`, version 2). Do not change this definition's
 * behaviour; move cases instead. For one province: nominated by an
 * agency officer → agency review (agency head) → submitted to the council
 * secretariat, completeness check (may ask for documents) → council vote (one
 * vote per member; configured quorum and majority) → proposed → decided by the
 * province leader, or forwarded to central level for awards above the
 * province's authority → announced → closed. Rejected at any review with a reason.
 *
 * The council's agency and the agencies of council members and the secretary
 * (from the province's role map) are parties to every case.
 *
 * @example
 * const engine = createEngine({ store: pglite(), workflows: [commendationWorkflowV1(province), commendationWorkflow(province)] })
 * await engine.createCase("commendation", { nominee: { name: "Hội người Việt tại Lào", kind: "overseas_community" }, achievements: ["…"], awardType: "provincial_merit" }, officer)
 */
export function commendationWorkflowV1(province: Province): WorkflowDefinition {
  const config = sectionOf(province)
  const council = [
    ...new Set([
      ...province.agencies.filter((a) => a.kind === "commendation_council" && !a.retired).map((a) => a.id),
      ...holdersOf(province, ["council_member", "council_secretary"]),
    ]),
  ]
  const deadline = (name: keyof CommendationConfig["deadlines"]) => ({ label: commendationDeadlineLabels[name]!, duration: config.deadlines[name] })
  const councilStaff = (roles: string[]) => ({ roles, agency: "party" as const })
  const succession = agencySucceededDefinition(province)
  return defineWorkflow({
    id: "commendation",
    version: 1,
    machine: commendationMachine(config, council),
    input: commendationInputSchema(config),
    events: { ...commendationEvents(), ...succession.events },
    permissions: {
      SUBMIT_NOMINATION: { roles: ["agency_officer"], agency: "owner" },
      ENDORSE: { roles: ["agency_head"], agency: "owner" },
      RETURN: { roles: ["agency_head"], agency: "owner" },
      REJECT: { roles: ["agency_head", "council_secretary", "province_leader"], agency: "party" },
      MARK_COMPLETE: councilStaff(["council_secretary"]),
      REQUEST_DOCUMENTS: councilStaff(["council_secretary"]),
      PROVIDE_DOCUMENTS: { roles: ["agency_officer", "agency_head"], agency: "owner" },
      VOTE: councilStaff(["council_member"]),
      CLOSE_VOTE: councilStaff(["council_secretary"]),
      DECIDE: { roles: ["province_leader"], agency: "any" },
      FORWARD_TO_CENTRAL: { roles: ["province_leader"], agency: "any" },
      RECORD_CENTRAL_DECISION: councilStaff(["council_secretary", "integration"]),
      ANNOUNCE: councilStaff(["council_secretary", "coordinator"]),
      CLOSE: councilStaff(["council_secretary"]),
      ...succession.permissions,
    },
    start: { roles: ["agency_officer"], agency: "any" },
    labels: commendationLabels,
    deadlines: {
      agencyReview: deadline("agencyReview"),
      completenessCheck: deadline("completenessCheck"),
      councilVote: deadline("councilVote"),
      decision: deadline("decision"),
      announcement: deadline("announcement"),
    },
    calendar: province.calendar,
    parties: (context: CommendationContext) => ({
      owner: context.nominatedBy.agency,
      cooperating: context.councilAgencies.filter((a) => a !== context.nominatedBy.agency),
    }),
    configSchema: commendationConfigSchema,
    title: (context: CommendationContext) => context.nomination?.nominee?.name,
    searchable: (context: CommendationContext) => [context.nomination?.awardType, context.nomination?.nominee?.country, ...(context.nomination?.achievements ?? [])],
  })
}
