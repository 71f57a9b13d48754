import { assign, emit, setup } from "xstate"
import type { CaseEvent, CaseInput } from "@civicase/core"
import { type AgencySuccession, initialSuccessions, namesRetiredAgency, recordSuccession, succeeded, successionPayload, successionTransitions } from "../province/succession-event.js"
import type { ViolationConfig } from "./config.js"
import { type SanctionTerms, sanctionProblem } from "./sanction.js"

/** Who did something, as recorded in the case. */
export interface ViolationSignature {
  readonly by: string
  readonly agency: string
  readonly role?: string
}

/** The case input: where the report came from and whom it concerns. */
export interface ViolationReport {
  readonly source: "inspection_plan" | "complaint" | "monitoring"
  readonly summary: string
  readonly subject: { readonly name: string; readonly agency?: string }
  readonly reference?: string
}

/** The roles whose signatures a sanction decision needs (ký quyết định). */
export const sanctionSigners = ["legal_reviewer", "coordinator_head"] as const

/** The context of a `violation` case. */
export interface ViolationContext {
  readonly caseId: string
  /** The agency that inspects (Sở TT&TT), owner of the case. */
  readonly inspectingAgency: string
  readonly reportedBy: ViolationSignature
  readonly report: ViolationReport
  readonly check: ViolationSignature | null
  readonly inspection: (ViolationSignature & { readonly team: ReadonlyArray<string>; readonly scope: string }) | null
  readonly findings: (ViolationSignature & { readonly findings: string; readonly evidence: ReadonlyArray<string> }) | null
  readonly conclusion: (ViolationSignature & { readonly violation: boolean; readonly summary: string }) | null
  readonly sanction: (SanctionTerms & { readonly decidedBy: ViolationSignature; readonly signatures: ReadonlyArray<ViolationSignature> }) | null
  readonly returns: ReadonlyArray<ViolationSignature & { readonly comments: string }>
  readonly notification: (ViolationSignature & { readonly notifiedAt: string; readonly method: string }) | null
  readonly appeal: (ViolationSignature & { readonly grounds: string; readonly outcome?: "upheld" | "amended" | "annulled"; readonly reason?: string }) | null
  /** Set when the appeal window passed without an appeal. */
  readonly appealWindowPassed: boolean
  readonly compliance: (ViolationSignature & { readonly evidence: string }) | null
  readonly overdue: ReadonlyArray<{ readonly deadline: string; readonly state: string; readonly to: string }>
  readonly closure: (ViolationSignature & { readonly reason: string; readonly result: string }) | null
  /**
   * Hand-overs from retired agencies (absent on cases started before they
   * existed). They move the inspecting, reporting and subject's agencies;
   * signatures of acts keep the agency of their time.
   */
  readonly successions?: ReadonlyArray<AgencySuccession>
}

type Event = CaseEvent
/** Who did what, from an event (shared with version 2). */
export const sign = (event: Event, role?: string): ViolationSignature => ({ by: event.actor.id, agency: event.actor.agency, ...(role ? { role } : {}) })

/** The signer role `actor` would sign in now, or undefined when it may not sign. */
export function signerRole(context: Pick<ViolationContext, "sanction">, actor: { id: string; roles: ReadonlyArray<string> }): string | undefined {
  const signatures = context.sanction?.signatures ?? []
  if (signatures.some((s) => s.by === actor.id)) return undefined
  return sanctionSigners.find((role) => actor.roles.includes(role) && !signatures.some((s) => s.role === role))
}

/** The sanction terms of an event's payload (shared with version 2). */
export const terms = (payload: any): SanctionTerms => ({
  legalBasis: payload.legalBasis,
  penalty: payload.penalty,
  ...(payload.amount !== undefined ? { amount: payload.amount } : {}),
  ...(payload.measures ? { measures: payload.measures } : {}),
})

/** The `violation` machine for one province's section; `inspectingAgency` owns the cases. */
export function violationMachine(config: ViolationConfig, inspectingAgency: string) {
  const overdue = (deadline: string, state: string) => [
    { type: "recordOverdue" as const, params: { deadline, state } },
    { type: "notifyOverdue" as const, params: { deadline, state } },
  ]
  const closeAs = (result: string) => ({ type: "recordClosure" as const, params: { result } })
  return setup({
    types: {} as { context: ViolationContext; events: Event; input: CaseInput<ViolationReport> },
    delays: { preliminaryCheck: 0, inspection: 0, sanction: 0, appealWindow: 0, appealReview: 0, enforcement: 0 },
    guards: {
      namesRetiredAgency: ({ context, event }) => namesRetiredAgency([context.inspectingAgency, context.reportedBy.agency, context.report.subject.agency], event),
      withinCatalogue: ({ event }) => sanctionProblem(config, terms(event.payload)) === undefined,
      maySign: ({ context, event }) => signerRole(context, event.actor) !== undefined,
      fullySigned: ({ context }) => sanctionSigners.every((role) => context.sanction?.signatures.some((s) => s.role === role)),
    },
    actions: {
      succeedAgency: assign(({ context, event }) => {
        const { from, to } = successionPayload(event)
        const subject = context.report.subject
        return {
          inspectingAgency: succeeded(context.inspectingAgency, from, to),
          reportedBy: { ...context.reportedBy, agency: succeeded(context.reportedBy.agency, from, to) },
          report: subject.agency === from ? { ...context.report, subject: { ...subject, agency: to } } : context.report,
          successions: recordSuccession(context.successions, event),
        }
      }),
      recordCheck: assign(({ event }) => ({ check: sign(event) })),
      recordInspection: assign(({ event }) => ({
        inspection: { ...sign(event), team: event.payload.team as string[], scope: event.payload.scope as string },
      })),
      recordFindings: assign(({ event }) => ({
        findings: { ...sign(event), findings: event.payload.findings as string, evidence: (event.payload.evidence ?? []) as string[] },
      })),
      recordConclusion: assign(({ event }, params: { violation: boolean }) => ({
        conclusion: { ...sign(event), violation: params.violation, summary: (event.payload.summary ?? event.payload.reason) as string },
      })),
      recordSanction: assign(({ event }) => ({ sanction: { ...terms(event.payload), decidedBy: sign(event), signatures: [] } })),
      recordSignature: assign(({ context, event }) => ({
        sanction: context.sanction && { ...context.sanction, signatures: [...context.sanction.signatures, sign(event, signerRole(context, event.actor))] },
      })),
      recordReturn: assign(({ context, event }) => ({
        sanction: null,
        returns: [...context.returns, { ...sign(event), comments: event.payload.comments as string }],
      })),
      recordNotification: assign(({ event }) => ({
        notification: { ...sign(event), notifiedAt: event.payload.notifiedAt as string, method: event.payload.method as string },
      })),
      recordAppeal: assign(({ event }) => ({ appeal: { ...sign(event), grounds: event.payload.grounds as string } })),
      recordAppealOutcome: assign(({ context, event }, params: { outcome: "upheld" | "amended" | "annulled" }) => ({
        appeal: context.appeal && { ...context.appeal, outcome: params.outcome, reason: event.payload.reason as string },
        sanction:
          params.outcome === "amended" && context.sanction
            ? { ...context.sanction, ...terms(event.payload), decidedBy: sign(event), signatures: context.sanction.signatures }
            : context.sanction,
      })),
      recordCompliance: assign(({ event }) => ({ compliance: { ...sign(event), evidence: event.payload.evidence as string } })),
      recordClosure: assign(({ event }, params: { result: string }) => ({
        closure: {
          ...sign(event),
          reason: (event.payload.reason ?? "") as string,
          result: (event.payload.result ?? params.result) as string,
        },
      })),
      recordAppealWindowPassed: assign({ appealWindowPassed: true }),
      recordOverdue: assign(({ context }, params: { deadline: string; state: string }) => ({
        overdue: [...context.overdue, { ...params, to: "coordinator_head" }],
      })),
      notifyOverdue: emit(({ context }, params: { deadline: string; state: string }) => ({
        type: "violation.overdue",
        caseId: context.caseId,
        deadline: params.deadline,
        state: params.state,
        to: "coordinator_head",
      })),
      notifySanction: emit(({ context }) => ({
        type: "violation.subject-notified",
        caseId: context.caseId,
        subject: context.report.subject.name,
        penalty: context.sanction?.penalty,
        amount: context.sanction?.amount ?? null,
      })),
      notifyEnforcement: emit(({ context }) => ({ type: "violation.enforcement-started", caseId: context.caseId })),
    },
  }).createMachine({
    id: "violation",
    initial: "screening",
    context: ({ input }) => ({
      caseId: input.caseId,
      inspectingAgency,
      reportedBy: { by: input.actor.id, agency: input.actor.agency },
      report: input.input,
      check: null,
      inspection: null,
      findings: null,
      conclusion: null,
      sanction: null,
      returns: [],
      notification: null,
      appeal: null,
      appealWindowPassed: false,
      compliance: null,
      overdue: [],
      closure: null,
      ...initialSuccessions(),
    }),
    on: {
      ...successionTransitions(),
    },
    states: {
      screening: {
        initial: "reported",
        after: { preliminaryCheck: { actions: overdue("preliminaryCheck", "screening") } },
        states: {
          reported: { on: { START_CHECK: { target: "preliminary_check", actions: "recordCheck" } } },
          preliminary_check: {
            on: {
              DISMISS: { target: "#violation.dismissed", actions: closeAs("dismissed") },
              OPEN_INSPECTION: { target: "#violation.inspection_opened", actions: "recordInspection" },
            },
          },
        },
      },
      dismissed: { type: "final" },
      inspection_opened: {
        after: { inspection: { target: "inspection_opened", reenter: true, actions: overdue("inspection", "inspection_opened") } },
        on: { RECORD_FINDINGS: { target: "findings_recorded", actions: "recordFindings" } },
      },
      findings_recorded: {
        on: {
          CONCLUDE_NO_VIOLATION: { target: "no_violation", actions: [{ type: "recordConclusion", params: { violation: false } }, closeAs("no_violation")] },
          CONFIRM_VIOLATION: { target: "violation_confirmed", actions: { type: "recordConclusion", params: { violation: true } } },
        },
      },
      no_violation: { type: "final" },
      violation_confirmed: {
        after: { sanction: { target: "violation_confirmed", reenter: true, actions: overdue("sanction", "violation_confirmed") } },
        on: { DECIDE_SANCTION: { guard: "withinCatalogue", target: "sanction_decided", actions: "recordSanction" } },
      },
      sanction_decided: {
        after: { sanction: { target: "sanction_decided", reenter: true, actions: overdue("sanction", "sanction_decided") } },
        on: {
          SIGN: { guard: "maySign", actions: "recordSignature" },
          RETURN_SANCTION: { target: "violation_confirmed", actions: "recordReturn" },
          NOTIFY_SUBJECT: { guard: "fullySigned", target: "subject_notified", actions: ["recordNotification", "notifySanction"] },
        },
      },
      subject_notified: {
        after: { appealWindow: { target: "enforcement", actions: ["recordAppealWindowPassed", "notifyEnforcement"] } },
        on: { FILE_APPEAL: { target: "appeal_review", actions: "recordAppeal" } },
      },
      appeal_review: {
        after: { appealReview: { target: "appeal_review", reenter: true, actions: overdue("appealReview", "appeal_review") } },
        on: {
          UPHOLD: { target: "enforcement", actions: [{ type: "recordAppealOutcome", params: { outcome: "upheld" } }, "notifyEnforcement"] },
          AMEND: {
            guard: "withinCatalogue",
            target: "enforcement",
            actions: [{ type: "recordAppealOutcome", params: { outcome: "amended" } }, "notifyEnforcement"],
          },
          ANNUL: { target: "annulled", actions: [{ type: "recordAppealOutcome", params: { outcome: "annulled" } }, closeAs("annulled")] },
        },
      },
      annulled: { type: "final" },
      enforcement: {
        after: { enforcement: { target: "enforcement", reenter: true, actions: overdue("enforcement", "enforcement") } },
        on: { VERIFY_COMPLIANCE: { target: "compliance_verified", actions: "recordCompliance" } },
      },
      compliance_verified: { on: { CLOSE: { target: "closed", actions: closeAs("closed") } } },
      closed: { type: "final" },
    },
  })
}
