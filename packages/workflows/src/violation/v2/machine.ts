import { assign, emit, setup } from "xstate"
import type { CaseEvent, CaseInput } from "@civicase/core"
import { type AgencySuccession, initialSuccessions, namesRetiredAgency, recordSuccession, succeeded, successionPayload, successionTransitions } from "../../province/succession-event.js"
import type { EnforcementHold, ViolationConfig } from "../config.js"
import { type ViolationReport, type ViolationSignature, sanctionSigners, sign, signerRole, terms } from "../machine.js"
import { type SanctionTerms, sanctionProblem } from "../sanction.js"

/** Where the complaint stands (khiếu nại): the window is open, a complaint is under review, it was resolved, or the window closed without one. */
export type ComplaintStatus = "window_open" | "under_review" | "resolved" | "window_closed"

/** One change of the enforcement of the decision (thi hành quyết định): why it started, stopped or restarted. */
export interface EnforcementEntry {
  readonly event: "started" | "held" | "suspended" | "resumed" | "restarted" | "stopped" | "complied"
  readonly cause: string
  /** The terms in force from then on. */
  readonly terms: SanctionTerms | null
}

/** The context of a `violation` case of version 2. */
export interface ViolationV2Context {
  readonly caseId: string
  readonly inspectingAgency: string
  readonly reportedBy: ViolationSignature
  readonly report: ViolationReport
  readonly check: ViolationSignature | null
  readonly inspection: (ViolationSignature & { readonly team: ReadonlyArray<string>; readonly scope: string }) | null
  readonly findings: (ViolationSignature & { readonly findings: string; readonly evidence: ReadonlyArray<string> }) | null
  readonly conclusion: (ViolationSignature & { readonly violation: boolean; readonly summary: string }) | null
  /** `decisionDocument`: the id of the decision document (quyết định xử phạt) of the case; absent in cases decided before it was required. */
  readonly sanction: (SanctionTerms & { readonly decisionDocument?: string; readonly decidedBy: ViolationSignature; readonly signatures: ReadonlyArray<ViolationSignature> }) | null
  readonly returns: ReadonlyArray<ViolationSignature & { readonly comments: string }>
  readonly notification: (ViolationSignature & { readonly notifiedAt: string; readonly method: string }) | null
  readonly complaintStatus: ComplaintStatus | null
  readonly complaint: (ViolationSignature & { readonly grounds: string; readonly filedAt?: string; readonly outcome?: "upheld" | "amended" | "annulled"; readonly reason?: string }) | null
  /** A suspension decided by the complaint's reviewer (tạm đình chỉ việc thi hành), until resolved or lifted. */
  readonly suspension: (ViolationSignature & { readonly reason: string }) | null
  readonly enforcement: ReadonlyArray<EnforcementEntry>
  readonly compliance: (ViolationSignature & { readonly evidence: string }) | null
  readonly overdue: ReadonlyArray<{ readonly deadline: string; readonly state: string; readonly to: string }>
  readonly closure: (ViolationSignature & { readonly reason: string; readonly result: string }) | null
  readonly successions?: ReadonlyArray<AgencySuccession>
}

type Event = CaseEvent

const decisionDocumentOf = (event: Event) => (typeof event.payload.decisionDocument === "string" ? { decisionDocument: event.payload.decisionDocument } : {})

/**
 * The `violation` machine, version 2: once the subject is notified the
 * decision is in force and two regions run in parallel, as the law has them.
 * Enforcement starts at once (a complaint does not suspend a sanction
 * decision, Luật Xử lý vi phạm hành chính 2012, Điều 15) unless the
 * configuration holds it (`enforcementHold`) or the complaint's reviewer
 * suspends it; the complaint window (default 90 days from receipt, Luật
 * Khiếu nại 2011, Điều 9) runs beside it. An amendment restarts enforcement
 * on the amended terms; an annulment stops it and ends the case.
 *
 * @example
 * const machine = violationV2Machine(province.workflows.violation as ViolationConfig, "so-tttt")
 */
export function violationV2Machine(config: ViolationConfig, inspectingAgency: string) {
  const hold: EnforcementHold = config.enforcementHold ?? "none"
  const overdue = (deadline: string, state: string) => [
    { type: "recordOverdue" as const, params: { deadline, state } },
    { type: "notifyOverdue" as const, params: { deadline, state } },
  ]
  const log = (event: EnforcementEntry["event"], cause: string) => ({ type: "logEnforcement" as const, params: { event, cause } })
  const closeAs = (result: string) => ({ type: "recordClosure" as const, params: { result } })
  const resolve = (outcome: "upheld" | "amended" | "annulled") => ({ type: "recordOutcome" as const, params: { outcome } })
  return setup({
    types: {} as { context: ViolationV2Context; events: Event; input: CaseInput<ViolationReport> },
    delays: { preliminaryCheck: 0, inspection: 0, sanction: 0, complaintWindow: 0, complaintReview: 0, enforcement: 0 },
    guards: {
      namesRetiredAgency: ({ context, event }) => namesRetiredAgency([context.inspectingAgency, context.reportedBy.agency, context.report.subject.agency], event),
      withinCatalogue: ({ event }) => sanctionProblem(config, terms(event.payload)) === undefined,
      maySign: ({ context, event }) => signerRole(context, event.actor) !== undefined,
      fullySigned: ({ context }) => sanctionSigners.every((role) => context.sanction?.signatures.some((s) => s.role === role)),
      holdsUntilWindowEnds: () => hold === "until_window_ends",
      complaintSettled: ({ context }) => context.complaintStatus === "resolved" || context.complaintStatus === "window_closed",
      suspended: ({ context }) => context.suspension !== null || (hold === "while_complaint_pending" && context.complaintStatus === "under_review"),
      notSuspended: ({ context }) => context.suspension === null && !(hold === "while_complaint_pending" && context.complaintStatus === "under_review"),
      complaintUnderReview: ({ context }) => context.complaintStatus === "under_review",
      amendable: ({ context, event }) => context.complaintStatus === "under_review" && sanctionProblem(config, terms(event.payload)) === undefined,
      notYetSuspended: ({ context }) => context.suspension === null,
      isSuspendedByReviewer: ({ context }) => context.suspension !== null,
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
      recordInspection: assign(({ event }) => ({ inspection: { ...sign(event), team: event.payload.team as string[], scope: event.payload.scope as string } })),
      recordFindings: assign(({ event }) => ({ findings: { ...sign(event), findings: event.payload.findings as string, evidence: (event.payload.evidence ?? []) as string[] } })),
      recordConclusion: assign(({ event }, params: { violation: boolean }) => ({
        conclusion: { ...sign(event), violation: params.violation, summary: (event.payload.summary ?? event.payload.reason) as string },
      })),
      recordSanction: assign(({ event }) => ({ sanction: { ...terms(event.payload), ...decisionDocumentOf(event), decidedBy: sign(event), signatures: [] } })),
      recordSignature: assign(({ context, event }) => ({
        sanction: context.sanction && { ...context.sanction, signatures: [...context.sanction.signatures, sign(event, signerRole(context, event.actor))] },
      })),
      recordReturn: assign(({ context, event }) => ({ sanction: null, returns: [...context.returns, { ...sign(event), comments: event.payload.comments as string }] })),
      recordNotification: assign(({ event }) => ({
        notification: { ...sign(event), notifiedAt: event.payload.notifiedAt as string, method: event.payload.method as string },
        complaintStatus: "window_open" as const,
      })),
      recordComplaint: assign(({ event }) => ({
        complaint: { ...sign(event), grounds: event.payload.grounds as string, ...(event.payload.filedAt ? { filedAt: event.payload.filedAt as string } : {}) },
        complaintStatus: "under_review" as const,
      })),
      recordWindowClosed: assign({ complaintStatus: "window_closed" as const }),
      recordOutcome: assign(({ context, event }, params: { outcome: "upheld" | "amended" | "annulled" }) => ({
        complaint: context.complaint && { ...context.complaint, outcome: params.outcome, reason: event.payload.reason as string },
        complaintStatus: "resolved" as const,
        suspension: null,
        sanction:
          params.outcome === "amended" && context.sanction ? { ...context.sanction, ...terms(event.payload), ...decisionDocumentOf(event), decidedBy: sign(event), signatures: context.sanction.signatures } : context.sanction,
      })),
      recordSuspension: assign(({ event }) => ({ suspension: { ...sign(event), reason: event.payload.reason as string } })),
      liftSuspension: assign({ suspension: null }),
      logEnforcement: assign(({ context }, params: { event: EnforcementEntry["event"]; cause: string }) => {
        const inForce = context.sanction ? { legalBasis: context.sanction.legalBasis, penalty: context.sanction.penalty, ...(context.sanction.amount !== undefined ? { amount: context.sanction.amount } : {}), ...(context.sanction.measures ? { measures: context.sanction.measures } : {}) } : null
        return { enforcement: [...context.enforcement, { event: params.event, cause: params.cause, terms: params.event === "stopped" ? null : inForce }] }
      }),
      recordCompliance: assign(({ event }) => ({ compliance: { ...sign(event), evidence: event.payload.evidence as string } })),
      recordClosure: assign(({ event }, params: { result: string }) => ({
        closure: { ...sign(event), reason: (event.payload.reason ?? "") as string, result: (event.payload.result ?? params.result) as string },
      })),
      recordOverdue: assign(({ context }, params: { deadline: string; state: string }) => ({ overdue: [...context.overdue, { ...params, to: "coordinator_head" }] })),
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
      notifyEnforcement: emit(({ context }) => ({ type: "violation.enforcement-started", caseId: context.caseId, cause: context.enforcement.at(-1)?.cause ?? "notified" })),
      notifySuspended: emit(({ context }) => ({ type: "violation.enforcement-suspended", caseId: context.caseId, cause: context.enforcement.at(-1)?.cause ?? "" })),
      notifyStopped: emit(({ context }) => ({ type: "violation.enforcement-stopped", caseId: context.caseId, cause: "annulled" })),
      notifyComplaint: emit(({ context }) => ({ type: "violation.complaint-filed", caseId: context.caseId, to: "coordinator_head" })),
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
      complaintStatus: null,
      complaint: null,
      suspension: null,
      enforcement: [],
      compliance: null,
      overdue: [],
      closure: null,
      ...initialSuccessions(),
    }),
    on: { ...successionTransitions() },
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
          NOTIFY_SUBJECT: { guard: "fullySigned", target: "decision_in_force", actions: ["recordNotification", "notifySanction"] },
        },
      },
      decision_in_force: {
        type: "parallel",
        onDone: "compliance_verified",
        on: {
          AMEND: {
            guard: "amendable",
            target: [".enforcement.enforcing", ".complaint.resolved"],
            reenter: true,
            actions: [resolve("amended"), log("restarted", "amended"), "notifyEnforcement"],
          },
          ANNUL: { guard: "complaintUnderReview", target: "#violation.annulled", actions: [resolve("annulled"), log("stopped", "annulled"), "notifyStopped", closeAs("annulled")] },
        },
        states: {
          enforcement: {
            initial: "starting",
            states: {
              starting: {
                always: [
                  { guard: "holdsUntilWindowEnds", target: "held", actions: log("held", "until the complaint window ends (configured)") },
                  { target: "enforcing", actions: [log("started", "notified"), "notifyEnforcement"] },
                ],
              },
              held: { always: { guard: "complaintSettled", target: "enforcing", actions: [log("started", "complaint window ended or complaint resolved"), "notifyEnforcement"] } },
              enforcing: {
                after: { enforcement: { target: "enforcing", reenter: true, actions: overdue("enforcement", "decision_in_force.enforcement") } },
                always: { guard: "suspended", target: "suspended", actions: [log("suspended", "complaint under review"), "notifySuspended"] },
                on: { VERIFY_COMPLIANCE: { target: "complied", actions: ["recordCompliance", log("complied", "compliance verified")] } },
              },
              suspended: { always: { guard: "notSuspended", target: "enforcing", actions: [log("resumed", "suspension ended"), "notifyEnforcement"] } },
              complied: { type: "final" },
            },
          },
          complaint: {
            initial: "window_open",
            states: {
              window_open: {
                after: { complaintWindow: { target: "window_closed", actions: "recordWindowClosed" } },
                on: { FILE_COMPLAINT: { target: "under_review", actions: ["recordComplaint", "notifyComplaint"] } },
              },
              under_review: {
                after: { complaintReview: { target: "under_review", reenter: true, actions: overdue("complaintReview", "decision_in_force.complaint") } },
                on: {
                  UPHOLD: { target: "resolved", actions: resolve("upheld") },
                  SUSPEND_ENFORCEMENT: { guard: "notYetSuspended", actions: "recordSuspension" },
                  RESUME_ENFORCEMENT: { guard: "isSuspendedByReviewer", actions: "liftSuspension" },
                },
              },
              resolved: { type: "final" },
              window_closed: { type: "final" },
            },
          },
        },
      },
      compliance_verified: { on: { CLOSE: { target: "closed", actions: closeAs("closed") } } },
      annulled: { type: "final" },
      closed: { type: "final" },
    },
  })
}
