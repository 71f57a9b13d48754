import { type CaseEvent, type CaseInput, type Label, ownValue, parseIsoDuration } from "@civicase/core"
import { assign, emit, setup } from "xstate"
import { localInstant } from "../../province/local-time.js"
import { type AgencySuccession, initialSuccessions, namesRetiredAgency, recordSuccession, succeeded, successionPayload, successionTransitions } from "../../province/succession-event.js"
import type { ProvinceCalendar } from "../../province/types.js"
import type { ApprovalStep, PlanApproval, PlanConfig } from "../config.js"

/** The case input of a yearly plan (version 2). */
export interface PlanV2Input {
  readonly title: string
  /** The plan's year (năm kế hoạch). */
  readonly year: number
  /** A funded project (đề án): goes to the province leadership. */
  readonly isProject?: boolean
  /** A plan the agency submits to the province leadership rather than issuing itself. */
  readonly forProvinceApproval?: boolean
  /** Targets for indicators of the province catalogue, by indicator id (chỉ tiêu). */
  readonly targets?: Readonly<Record<string, number>>
}

/** One period's report and its review; `values` are the indicators' figures since the start of the plan's year. */
export interface PeriodReport {
  readonly id: string
  readonly labels: Label
  readonly dueAt: string
  readonly remindAt: string
  readonly status: "pending" | "submitted" | "returned" | "accepted"
  readonly reminded: boolean
  readonly overdue: boolean
  readonly report: { readonly summary: string; readonly values: Readonly<Record<string, number>>; readonly by: string } | null
  readonly returns: ReadonlyArray<{ readonly by: string; readonly comments: string }>
  readonly acceptedBy: string | null
}

/** Who acted at a step of the approval chain, and how. */
export interface ApprovalDecision {
  readonly step: number
  readonly role: string
  readonly act: "approve" | "appraise" | "return"
  readonly by: string
  readonly agency: string
  readonly favourable?: boolean
  readonly note: string
}

/** A comment of the coordinator (hướng dẫn, đôn đốc, kiểm tra) on any plan, in any state. */
export interface CoordinatorComment {
  readonly by: string
  readonly agency: string
  readonly kind: "guidance" | "urging" | "inspection"
  readonly text: string
}

/** The context of a `plan` case of version 2. */
export interface PlanV2Context {
  readonly caseId: string
  readonly title: string
  readonly year: number
  /** The agency whose plan this is, and which issues it. */
  readonly owner: string
  readonly isProject: boolean
  /** `agency`: the agency issues its own plan; `provincial`: it goes to the province leadership. */
  readonly route: "agency" | "provincial"
  /** The chain this case follows, fixed when it was first submitted. */
  readonly chain: ReadonlyArray<Omit<ApprovalStep, "deadline">>
  /** The step of the chain now acting. */
  readonly step: number
  readonly decisions: ReadonlyArray<ApprovalDecision>
  readonly revisions: number
  readonly comments: ReadonlyArray<CoordinatorComment>
  /** Set by the last approval: the plan is issued (ban hành). */
  /** `decisionDocument`: the signed plan or its decision (quyết định ban hành), a document of the case; absent on plans issued before it was required. */
  readonly issued: { readonly by: string; readonly agency: string; readonly role: string; readonly decision: string | null; readonly decisionDocument?: string } | null
  readonly targets: Readonly<Record<string, number>>
  readonly escalations: ReadonlyArray<{ readonly deadline: string; readonly step: string; readonly to: string }>
  readonly periods: ReadonlyArray<PeriodReport>
  readonly current: number
  /** Results reached, computed when the last report is accepted: per indicator, the target and the last accepted value. */
  readonly summary: {
    readonly periodsAccepted: number
    readonly periodsLate: number
    readonly indicators: ReadonlyArray<{ readonly id: string; readonly target: number | null; readonly reached: number | null }>
  } | null
  readonly closure: { readonly outcome: "completed" | "cancelled"; readonly by: string; readonly agency: string; readonly reason: string; readonly result: string } | null
  readonly successions?: ReadonlyArray<AgencySuccession>
}

type Ev = CaseEvent
const who = (e: Ev) => e.actor.id
/** Whether the event names the decision document that issues the plan (kế hoạch đã ký, quyết định ban hành). */
const issuesWithDecision = (e: Ev) => typeof e.payload.decisionDocument === "string"

/** The step acting now, or undefined when the chain is done. */
export function currentStep(context: PlanV2Context): Omit<ApprovalStep, "deadline"> | undefined {
  return context.chain[context.step]
}

/** Whether `actor` may act at the current step: it holds the step's role, and an `owner` step's actor is of the plan's agency. */
export function actsAtStep(context: PlanV2Context, actor: { agency: string; roles: ReadonlyArray<string> }, act: ApprovalStep["act"]): boolean {
  const s = currentStep(context)
  return !!s && s.act === act && actor.roles.includes(s.role) && (s.agency !== "owner" || actor.agency === context.owner)
}

function withCurrent(context: PlanV2Context, change: (p: PeriodReport) => PeriodReport): PeriodReport[] {
  return context.periods.map((p, i) => (i === context.current ? change(p) : p))
}

function alert(deadline: string, step: string, to: string): any[] {
  return [
    assign({ escalations: ({ context }: { context: PlanV2Context }) => [...context.escalations, { deadline, step, to }] }),
    emit(({ context }: { context: PlanV2Context }) => ({ type: `plan.${deadline}`, caseId: context.caseId, agency: context.owner, step, to })),
  ]
}

/**
 * The `plan` machine, version 2 (faithful to Plan 155/KH-UBND): the agency
 * drafts its plan and submits it to its own head, who approves and issues it;
 * a project or a plan for the province leadership goes on to the configured
 * appraisal (coordinator head) and approval (province leader). The
 * coordinator may comment on any plan at any time and is told when one is
 * issued. Reports carry the values of the plan's indicators.
 *
 * @example
 * const machine = planV2Machine(province.workflows.plan as PlanConfig, approval, province.calendar)
 */
export function planV2Machine(config: PlanConfig, approval: PlanApproval, calendar: ProvinceCalendar) {
  const reminderMs = parseIsoDuration(config.reportReminderBefore)
  const strip = (steps: ReadonlyArray<ApprovalStep>) => steps.map(({ role, agency, act }) => ({ role, agency, act }))
  const periodsFor = (year: number): PeriodReport[] =>
    config.reportPeriods.map((p) => {
      const due = localInstant(`${year + (p.yearOffset ?? 0)}-${p.due}`, calendar.endOfDay, calendar.timeZone)
      return { id: p.id, labels: p.labels, dueAt: due.toISOString(), remindAt: new Date(due.getTime() - reminderMs).toISOString(), status: "pending", reminded: false, overdue: false, report: null, returns: [], acceptedBy: null }
    })
  // Built outside setup(), like alert(): typed loosely, checked by the scenario tests.
  const decide = (act: ApprovalDecision["act"], note: (e: Ev) => string, favourable?: boolean): any =>
    assign({
      decisions: ({ context, event }: { context: PlanV2Context; event: Ev }) => [
        ...context.decisions,
        { step: context.step, role: currentStep(context)?.role ?? "", act, by: who(event), agency: event.actor.agency, ...(favourable === undefined ? {} : { favourable }), note: note(event) },
      ],
    })
  const toRevision: any = assign({ revisions: ({ context }: { context: PlanV2Context }) => context.revisions + 1, step: 0 })

  return setup({
    types: {} as { context: PlanV2Context; events: Ev; input: CaseInput<PlanV2Input> },
    delays: {
      submissionDeadline: 0,
      approvalStepDeadline: 0,
      revisionDeadline: 0,
      implementationStartDeadline: 0,
      reportReminder: 0,
      reportDue: 0,
      reportReviewDeadline: 0,
      closingDeadline: 0,
    },
    actions: {
      startChain: assign({ step: 0 }),
      nextStep: assign({ step: ({ context }) => context.step + 1 }),
      recordIssue: assign({
        issued: ({ context, event }) => ({
          by: who(event),
          agency: event.actor.agency,
          role: currentStep(context)?.role ?? "",
          decision: (event.payload.decision as string | undefined) ?? null,
          decisionDocument: event.payload.decisionDocument as string,
        }),
      }),
      notifyIssued: emit(({ context }) => ({
        type: "plan.issued",
        caseId: context.caseId,
        agency: context.owner,
        route: context.route,
        title: context.title,
        year: context.year,
        to: "coordinator",
      })),
      recordComment: assign({
        comments: ({ context, event }) => [
          ...context.comments,
          { by: who(event), agency: event.actor.agency, kind: (event.payload.kind ?? "guidance") as CoordinatorComment["kind"], text: event.payload.comments as string },
        ],
      }),
      notifyComment: emit(({ context, event }) => ({ type: "plan.comment", caseId: context.caseId, agency: context.owner, kind: event.payload.kind ?? "guidance", to: "agency_head" })),
      recordReport: assign({
        periods: ({ context, event }) =>
          withCurrent(context, (p) => ({ ...p, status: "submitted", report: { summary: event.payload.summary, values: event.payload.values ?? {}, by: who(event) } })),
      }),
      succeedAgency: assign(({ context, event }) => {
        const { from, to } = successionPayload(event)
        return { owner: succeeded(context.owner, from, to), successions: recordSuccession(context.successions, event) }
      }),
    },
    guards: {
      namesRetiredAgency: ({ context, event }) => namesRetiredAgency([context.owner], event),
      // The approval that issues the plan names its decision document (the workflow checks that it is a decision of
      // this case); without one the last step accepts nothing, rather than moving past the end of the chain.
      approvesNow: ({ context, event }) => actsAtStep(context, event.actor, "approve") && context.step < context.chain.length - 1,
      approvesLast: ({ context, event }) => actsAtStep(context, event.actor, "approve") && context.step === context.chain.length - 1 && issuesWithDecision(event),
      appraisesNow: ({ context, event }) => actsAtStep(context, event.actor, "appraise"),
      appraisesLastFavourably: ({ context, event }) =>
        actsAtStep(context, event.actor, "appraise") && event.payload.favourable === true && context.step === context.chain.length - 1 && issuesWithDecision(event),
      appraisesFavourably: ({ context, event }) => actsAtStep(context, event.actor, "appraise") && event.payload.favourable === true && context.step < context.chain.length - 1,
      actsNow: ({ context, event }) => actsAtStep(context, event.actor, "approve") || actsAtStep(context, event.actor, "appraise"),
      hasNextPeriod: ({ context }) => context.current + 1 < context.periods.length,
      notYetReminded: ({ context }) => {
        const p = context.periods[context.current]
        return !!p && !p.reminded && p.status !== "submitted"
      },
    },
  }).createMachine({
    id: "plan",
    initial: "draft",
    context: ({ input }) => {
      const route = input.input.isProject || input.input.forProvinceApproval ? "provincial" : "agency"
      return {
        caseId: input.caseId,
        title: input.input.title,
        year: input.input.year,
        owner: input.actor.agency,
        isProject: input.input.isProject ?? false,
        route,
        chain: strip(approval[route]),
        step: 0,
        decisions: [],
        revisions: 0,
        comments: [],
        issued: null,
        targets: { ...(input.input.targets ?? {}) },
        escalations: [],
        periods: periodsFor(input.input.year),
        current: 0,
        summary: null,
        closure: null,
        ...initialSuccessions(),
      }
    },
    on: {
      ...successionTransitions(),
      COMMENT: { actions: ["recordComment", "notifyComment"] },
      CANCEL: {
        target: ".cancelled",
        actions: assign({
          closure: ({ event }) => ({ outcome: "cancelled", by: who(event), agency: event.actor.agency, reason: event.payload.reason, result: event.payload.result }),
        }),
      },
    },
    states: {
      draft: {
        after: { submissionDeadline: { actions: alert("submission_overdue", "draft", "agency_head,coordinator") } },
        on: { SUBMIT: { target: "approval", actions: "startChain" } },
      },
      approval: {
        after: { approvalStepDeadline: { target: "approval", reenter: true, actions: alert("approval_overdue", "approval", "coordinator_head") } },
        on: {
          APPROVE: [
            { guard: "approvesLast", target: "issued", actions: [decide("approve", (e) => (e.payload.comment as string | undefined) ?? ""), "recordIssue", "notifyIssued"] },
            { guard: "approvesNow", target: "approval", reenter: true, actions: [decide("approve", (e) => (e.payload.comment as string | undefined) ?? ""), "nextStep"] },
          ],
          APPRAISE: [
            { guard: "appraisesLastFavourably", target: "issued", actions: [decide("appraise", (e) => e.payload.opinion as string, true), "recordIssue", "notifyIssued"] },
            { guard: "appraisesFavourably", target: "approval", reenter: true, actions: [decide("appraise", (e) => e.payload.opinion as string, true), "nextStep"] },
            { guard: "appraisesNow", target: "revision_requested", actions: [decide("appraise", (e) => e.payload.opinion as string, false), toRevision] },
          ],
          RETURN: { guard: "actsNow", target: "revision_requested", actions: [decide("return", (e) => e.payload.comments as string), toRevision] },
        },
      },
      revision_requested: {
        after: { revisionDeadline: { actions: alert("revision_overdue", "revision_requested", "agency_head") } },
        on: { SUBMIT: { target: "approval", actions: "startChain" } },
      },
      issued: {
        after: { implementationStartDeadline: { actions: alert("implementation_overdue", "issued", "agency_head") } },
        on: { START_IMPLEMENTATION: "in_implementation" },
      },
      in_implementation: {
        initial: "awaiting_report",
        states: {
          awaiting_report: {
            after: {
              reportReminder: {
                guard: "notYetReminded",
                actions: [
                  assign({ periods: ({ context }) => withCurrent(context, (p) => ({ ...p, reminded: true })) }),
                  emit(({ context }) => ({ type: "plan.report_reminder", caseId: context.caseId, agency: context.owner, period: context.periods[context.current]?.id, to: "agency_head" })),
                ],
              },
              reportDue: {
                target: "overdue",
                actions: [assign({ periods: ({ context }) => withCurrent(context, (p) => ({ ...p, overdue: true })) }), ...alert("report_overdue", "in_implementation", "coordinator")],
              },
            },
            on: { SUBMIT_REPORT: { target: "report_review", actions: "recordReport" } },
          },
          overdue: { on: { SUBMIT_REPORT: { target: "report_review", actions: "recordReport" } } },
          report_review: {
            after: { reportReviewDeadline: { actions: alert("report_review_overdue", "report_review", "coordinator_head") } },
            on: {
              ACCEPT_REPORT: [
                {
                  guard: "hasNextPeriod",
                  target: "awaiting_report",
                  actions: [
                    assign({ periods: ({ context, event }) => withCurrent(context, (p) => ({ ...p, status: "accepted", acceptedBy: who(event) })) }),
                    assign({ current: ({ context }) => context.current + 1 }),
                  ],
                },
                {
                  target: "#plan.summarizing",
                  actions: [
                    assign({ periods: ({ context, event }) => withCurrent(context, (p) => ({ ...p, status: "accepted", acceptedBy: who(event) })) }),
                    assign({
                      summary: ({ context }) => {
                        const accepted = context.periods.filter((p) => p.status === "accepted")
                        const ids = [...new Set([...Object.keys(context.targets), ...accepted.flatMap((p) => Object.keys(p.report?.values ?? {}))])]
                        const reached = (id: string) => [...accepted].reverse().map((p) => ownValue(p.report?.values, id)).find((v) => v !== undefined) ?? null
                        return {
                          periodsAccepted: accepted.length,
                          periodsLate: context.periods.filter((p) => p.overdue).length,
                          indicators: ids.map((id) => ({ id, target: ownValue(context.targets, id) ?? null, reached: reached(id) })),
                        }
                      },
                    }),
                  ],
                },
              ],
              RETURN_REPORT: {
                target: "awaiting_report",
                actions: assign({
                  periods: ({ context, event }) => withCurrent(context, (p) => ({ ...p, status: "returned", returns: [...p.returns, { by: who(event), comments: event.payload.comments }] })),
                }),
              },
            },
          },
        },
      },
      summarizing: {
        after: { closingDeadline: { actions: alert("closing_overdue", "summarizing", "coordinator_head") } },
        on: {
          CLOSE: {
            target: "closed",
            actions: assign({ closure: ({ event }) => ({ outcome: "completed", by: who(event), agency: event.actor.agency, reason: event.payload.reason, result: event.payload.result }) }),
          },
        },
      },
      closed: { type: "final" },
      cancelled: { type: "final" },
    },
  })
}
