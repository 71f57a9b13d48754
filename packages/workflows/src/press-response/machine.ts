import { assign, emit, setup } from "xstate"
import type { CaseEvent, CaseInput } from "@civicase/core"
import { type AgencySuccession, initialSuccessions, namesRetiredAgency, recordSuccession, succeeded, successionPayload, successionTransitions } from "../province/succession-event.js"
import type { PressResponseConfig, Severity } from "./config.js"

/** What the reporter says happened: an incident, false information, or a foreign press request. */
export interface PressReport {
  readonly kind: "incident" | "false_information" | "foreign_press_request"
  readonly summary: string
  readonly source?: string
  /** The reporter's estimate; the triage deadline follows it until the coordinator triages. */
  readonly suspectedSeverity: Severity
}

/** Who did something, as recorded in the case. */
export interface Signature {
  readonly by: string
  readonly agency: string
  readonly role?: string
}

/** One missed deadline and whom it alerted. */
export interface Escalation {
  readonly deadline: string
  readonly state: string
  readonly level: number
  readonly to: string
}

/** How a case ended: who, why, and the result (no case closes silently). */
export interface Closure extends Signature {
  readonly reason: string
  readonly result: string
  readonly afterActionReport?: string
}

/** The context of a `press-response` case. */
export interface PressResponseContext {
  readonly caseId: string
  readonly reportedBy: Signature
  readonly report: PressReport
  readonly severity: Severity | null
  readonly category: string | null
  readonly responsibleAgency: string | null
  readonly triage: (Signature & { readonly rationale?: string }) | null
  readonly facts: (Signature & { readonly findings: string; readonly sources: ReadonlyArray<string> }) | null
  readonly statement: (Signature & { readonly text: string; readonly version: number }) | null
  readonly review: {
    readonly chain: ReadonlyArray<string>
    readonly step: number
    readonly approvals: ReadonlyArray<Signature & { readonly comment?: string }>
    readonly sentBack: ReadonlyArray<Signature & { readonly comments: string }>
  }
  readonly publication: (Signature & { readonly channels: ReadonlyArray<string>; readonly publishedAt: string; readonly links: ReadonlyArray<string> }) | null
  readonly monitoringNotes: ReadonlyArray<Signature & { readonly note: string }>
  /** Set when the monitoring period ended: the after-action report is due. */
  readonly afterActionDue: boolean
  readonly escalation: { readonly level: number; readonly log: ReadonlyArray<Escalation> }
  readonly closure: Closure | null
  readonly reopened: ReadonlyArray<Signature & { readonly reason: string }>
  /**
   * Hand-overs from retired agencies (absent on cases started before they
   * existed). They move the reporting and responsible agencies; signatures of
   * acts keep the agency of their time.
   */
  readonly successions?: ReadonlyArray<AgencySuccession>
}

type Event = CaseEvent

const sign = (event: Event, role?: string): Signature => ({ by: event.actor.id, agency: event.actor.agency, ...(role ? { role } : {}) })

/** The role of the approver whose turn it is, or undefined when the chain is done. */
export function currentApprover(context: PressResponseContext): string | undefined {
  return context.review.chain[context.review.step]
}

/**
 * The `press-response` machine for one province's section. Deadlines are
 * named delays (their durations come from the definition's `deadlines`);
 * missing any of them climbs the escalation chain one level.
 */
export function pressResponseMachine(config: PressResponseConfig) {
  const escalate = (deadline: string, state: string) => [
    { type: "recordEscalation" as const, params: { deadline, state } },
    { type: "notifyEscalation" as const, params: { deadline, state } },
  ]
  return setup({
    types: {} as { context: PressResponseContext; events: Event; input: CaseInput<Omit<PressReport, "suspectedSeverity"> & { suspectedSeverity?: Severity }> },
    delays: { triage: 0, factFinding: 0, drafting: 0, review: 0, publication: 0, monitoring: 0, reopenWindow: 0 },
    guards: {
      namesRetiredAgency: ({ context, event }) => namesRetiredAgency([context.reportedBy.agency, context.responsibleAgency], event),
      closesAtTriage: ({ event }) => event.payload.severity === "low" && typeof event.payload.closeRationale === "string",
      hasApprovers: ({ context }) => (config.approvalChains[context.severity ?? "critical"] ?? []).length > 0,
      isCurrentApprover: ({ context, event }) => {
        const role = currentApprover(context)
        return role !== undefined && event.actor.roles.includes(role)
      },
      isLastApprover: ({ context, event }) => {
        const role = currentApprover(context)
        return role !== undefined && event.actor.roles.includes(role) && context.review.step === context.review.chain.length - 1
      },
    },
    actions: {
      succeedAgency: assign(({ context, event }) => {
        const { from, to } = successionPayload(event)
        return {
          reportedBy: { ...context.reportedBy, agency: succeeded(context.reportedBy.agency, from, to) },
          responsibleAgency: succeeded(context.responsibleAgency, from, to),
          successions: recordSuccession(context.successions, event),
        }
      }),
      recordTriage: assign(({ event }) => ({
        severity: event.payload.severity as Severity,
        category: event.payload.category as string,
        responsibleAgency: event.payload.responsibleAgency as string,
        triage: { ...sign(event), ...(event.payload.rationale ? { rationale: event.payload.rationale as string } : {}) },
      })),
      recordFacts: assign(({ event }) => ({
        facts: { ...sign(event), findings: event.payload.findings as string, sources: (event.payload.sources ?? []) as string[] },
      })),
      recordDraft: assign(({ context, event }) => ({
        statement: { ...sign(event), text: event.payload.text as string, version: (context.statement?.version ?? 0) + 1 },
      })),
      startReview: assign(({ context }) => ({
        review: { ...context.review, chain: [...(config.approvalChains[context.severity ?? "critical"] ?? [])], step: 0, approvals: [] },
      })),
      recordApproval: assign(({ context, event }) => ({
        review: {
          ...context.review,
          step: context.review.step + 1,
          approvals: [...context.review.approvals, { ...sign(event, currentApprover(context)), ...(event.payload.comment ? { comment: event.payload.comment as string } : {}) }],
        },
      })),
      recordSendBack: assign(({ context, event }) => ({
        review: {
          ...context.review,
          step: 0,
          approvals: [],
          sentBack: [...context.review.sentBack, { ...sign(event, currentApprover(context)), comments: event.payload.comments as string }],
        },
      })),
      recordPublication: assign(({ event }) => ({
        publication: {
          ...sign(event),
          channels: event.payload.channels as string[],
          publishedAt: event.payload.publishedAt as string,
          links: (event.payload.links ?? []) as string[],
        },
      })),
      recordNote: assign(({ context, event }) => ({ monitoringNotes: [...context.monitoringNotes, { ...sign(event), note: event.payload.note as string }] })),
      recordClosure: assign(({ event }) => ({
        closure: {
          ...sign(event),
          reason: event.payload.reason as string,
          result: event.payload.result as string,
          ...(event.payload.afterActionReport ? { afterActionReport: event.payload.afterActionReport as string } : {}),
        },
      })),
      recordTriageClosure: assign(({ event }) => ({
        closure: { ...sign(event), reason: event.payload.closeRationale as string, result: "closed_at_triage" },
      })),
      recordReopen: assign(({ context, event }) => ({
        closure: null,
        reopened: [...context.reopened, { ...sign(event), reason: event.payload.reason as string }],
      })),
      recordEscalation: assign(({ context }, params: { deadline: string; state: string }) => {
        const level = Math.min(context.escalation.level + 1, config.escalationChain.length - 1)
        const to = config.escalationChain[level] ?? "coordinator"
        return { escalation: { level, log: [...context.escalation.log, { deadline: params.deadline, state: params.state, level, to }] } }
      }),
      notifyEscalation: emit(({ context }, params: { deadline: string; state: string }) => ({
        type: "press-response.escalated",
        caseId: context.caseId,
        deadline: params.deadline,
        state: params.state,
        severity: context.severity ?? context.report.suspectedSeverity,
        to: config.escalationChain[context.escalation.level] ?? "coordinator",
        level: context.escalation.level,
      })),
      markAfterActionDue: assign({ afterActionDue: true }),
      notifyMonitoringDue: emit(({ context }) => ({ type: "press-response.after-action-due", caseId: context.caseId })),
      notifyPublished: emit(({ context }) => ({
        type: "press-response.published",
        caseId: context.caseId,
        severity: context.severity,
        channels: context.publication?.channels ?? [],
      })),
      notifyArchived: emit(({ context }) => ({ type: "press-response.archived", caseId: context.caseId })),
    },
  }).createMachine({
    id: "press-response",
    initial: "reported",
    context: ({ input }) => ({
      caseId: input.caseId,
      reportedBy: { by: input.actor.id, agency: input.actor.agency },
      report: { ...input.input, suspectedSeverity: input.input.suspectedSeverity ?? "medium" },
      severity: null,
      category: null,
      responsibleAgency: null,
      triage: null,
      facts: null,
      statement: null,
      review: { chain: [], step: 0, approvals: [], sentBack: [] },
      publication: null,
      monitoringNotes: [],
      afterActionDue: false,
      escalation: { level: 0, log: [] },
      closure: null,
      reopened: [],
      ...initialSuccessions(),
    }),
    on: {
      ...successionTransitions(),
    },
    states: {
      reported: {
        after: { triage: { target: "reported", reenter: true, actions: escalate("triage", "reported") } },
        on: {
          TRIAGE: [
            { guard: "closesAtTriage", target: "closed", actions: ["recordTriage", "recordTriageClosure"] },
            { target: "responding", actions: "recordTriage" },
          ],
        },
      },
      responding: {
        initial: "fact_finding",
        after: { publication: { actions: escalate("publication", "responding") } },
        states: {
          fact_finding: {
            after: { factFinding: { target: "fact_finding", reenter: true, actions: escalate("factFinding", "responding.fact_finding") } },
            on: { RECORD_FACTS: { target: "drafting", actions: "recordFacts" } },
          },
          drafting: {
            after: { drafting: { target: "drafting", reenter: true, actions: escalate("drafting", "responding.drafting") } },
            on: { DRAFT_STATEMENT: { target: "statement_drafted", actions: "recordDraft" } },
          },
          statement_drafted: {
            on: {
              DRAFT_STATEMENT: { target: "statement_drafted", actions: "recordDraft" },
              SUBMIT_FOR_REVIEW: [
                { guard: "hasApprovers", target: "review", actions: "startReview" },
                { target: "approved", actions: "startReview" },
              ],
            },
          },
          review: {
            after: { review: { target: "review", reenter: true, actions: escalate("review", "responding.review") } },
            on: {
              APPROVE: [
                { guard: "isLastApprover", target: "approved", actions: "recordApproval" },
                { guard: "isCurrentApprover", target: "review", reenter: true, actions: "recordApproval" },
              ],
              SEND_BACK: { guard: "isCurrentApprover", target: "statement_drafted", actions: "recordSendBack" },
            },
          },
          approved: {
            on: { PUBLISH: { target: "#press-response.published", actions: ["recordPublication", "notifyPublished"] } },
          },
        },
      },
      published: {
        initial: "monitoring",
        states: {
          monitoring: {
            after: { monitoring: { actions: ["markAfterActionDue", "notifyMonitoringDue"] } },
            on: {
              ADD_MONITORING_NOTE: { actions: "recordNote" },
              CLOSE: { target: "#press-response.closed", actions: "recordClosure" },
            },
          },
        },
      },
      closed: {
        after: { reopenWindow: { target: "archived", actions: "notifyArchived" } },
        on: { REOPEN: { target: "responding", actions: "recordReopen" } },
      },
      archived: { type: "final" },
    },
  })
}
