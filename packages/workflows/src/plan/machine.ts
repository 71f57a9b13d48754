import { type CaseEvent, type CaseInput, type Label, parseIsoDuration } from "@civicase/core"
import { assign, emit, setup } from "xstate"
import { localInstant } from "../province/local-time.js"
import { type AgencySuccession, initialSuccessions, namesRetiredAgency, recordSuccession, succeeded, successionPayload, successionTransitions } from "../province/succession-event.js"
import type { ProvinceCalendar } from "../province/types.js"
import type { PlanConfig } from "./config.js"

/** The case input of a yearly plan. */
export interface PlanInput {
  readonly title: string
  /** The plan's year (năm kế hoạch). */
  readonly year: number
  /** A funded project (đề án) needs appraisal and the province leader's approval. */
  readonly isProject?: boolean
  /** Indicators the plan commits to (chỉ tiêu), reported on each period. */
  readonly indicators?: ReadonlyArray<{ readonly name: string; readonly target: string }>
}

/** One period's report and its review. */
export interface PeriodProgress {
  readonly id: string
  readonly labels: Label
  /** ISO instant. */
  readonly dueAt: string
  /** ISO instant of the reminder. */
  readonly remindAt: string
  readonly status: "pending" | "submitted" | "returned" | "accepted"
  readonly reminded: boolean
  readonly overdue: boolean
  readonly report: { readonly summary: string; readonly indicators: ReadonlyArray<{ name: string; achieved: string; note?: string }>; readonly by: string } | null
  readonly returns: ReadonlyArray<{ readonly by: string; readonly comments: string }>
  readonly acceptedBy: string | null
}

/** How a plan case ended: who, why and what came of it. */
export interface Closure {
  readonly outcome: "completed" | "cancelled"
  readonly by: string
  readonly agency: string
  readonly reason: string
  readonly result: string
}

/** The context of a `plan` case. */
export interface PlanContext {
  readonly caseId: string
  readonly title: string
  readonly year: number
  /** The agency whose plan this is. */
  readonly owner: string
  readonly isProject: boolean
  readonly indicators: ReadonlyArray<{ readonly name: string; readonly target: string }>
  readonly revisions: number
  readonly comments: ReadonlyArray<{ readonly by: string; readonly step: string; readonly text: string }>
  readonly approvals: ReadonlyArray<{ readonly step: "review" | "appraisal" | "leader"; readonly by: string; readonly note: string }>
  /** Every deadline that passed: which, in what step, and who was alerted. */
  readonly escalations: ReadonlyArray<{ readonly deadline: string; readonly step: string; readonly to: string }>
  readonly periods: ReadonlyArray<PeriodProgress>
  /** Index of the period being reported on. */
  readonly current: number
  /** Results reached, computed when the last report is accepted. */
  readonly summary: { readonly periodsAccepted: number; readonly periodsLate: number; readonly indicators: ReadonlyArray<{ name: string; target: string; achieved: string | null }> } | null
  readonly closure: Closure | null
  /** Hand-overs from retired agencies (absent on cases started before they existed). */
  readonly successions?: ReadonlyArray<AgencySuccession>
}

type Ev = CaseEvent

const who = (e: Ev) => e.actor.id

function withCurrent(context: PlanContext, change: (p: PeriodProgress) => PeriodProgress): PeriodProgress[] {
  return context.periods.map((p, i) => (i === context.current ? change(p) : p))
}

/** The actions of a passed deadline: record it on the case and emit it for notifiers. */
function alert(deadline: string, step: string, to: string): any[] {
  return [
    assign({ escalations: ({ context }: { context: PlanContext }) => [...context.escalations, { deadline, step, to }] }),
    emit(({ context }: { context: PlanContext }) => ({ type: `plan.${deadline}`, caseId: context.caseId, agency: context.owner, step, to })),
  ]
}

/**
 * The `plan` state machine for one province's configuration: draft →
 * submitted → under review → (revision loop) → [appraisal → leader approval
 * for projects] → approved → implementation with one report per configured
 * period → summary → closed.
 *
 * @example
 * const machine = createPlanMachine(province.workflows.plan as PlanConfig, province.calendar)
 */
export function createPlanMachine(config: PlanConfig, calendar: ProvinceCalendar) {
  const reminderMs = parseIsoDuration(config.reportReminderBefore)
  const periodsFor = (year: number): PeriodProgress[] =>
    config.reportPeriods.map((p) => {
      const due = localInstant(`${year + (p.yearOffset ?? 0)}-${p.due}`, calendar.endOfDay, calendar.timeZone)
      return {
        id: p.id,
        labels: p.labels,
        dueAt: due.toISOString(),
        remindAt: new Date(due.getTime() - reminderMs).toISOString(),
        status: "pending",
        reminded: false,
        overdue: false,
        report: null,
        returns: [],
        acceptedBy: null,
      }
    })

  return setup({
    types: {} as { context: PlanContext; events: Ev; input: CaseInput<PlanInput> },
    delays: {
      submissionDeadline: 0,
      reviewDeadline: 0,
      revisionDeadline: 0,
      appraisalDeadline: 0,
      leaderApprovalDeadline: 0,
      implementationStartDeadline: 0,
      reportReminder: 0,
      reportDue: 0,
      reportReviewDeadline: 0,
      closingDeadline: 0,
    },
    actions: {
      recordReport: assign({
        periods: ({ context, event }) =>
          withCurrent(context, (p) => ({
            ...p,
            status: "submitted",
            report: { summary: event.payload.summary, indicators: event.payload.indicators ?? [], by: who(event) },
          })),
      }),
      succeedAgency: assign(({ context, event }) => {
        const { from, to } = successionPayload(event)
        return { owner: succeeded(context.owner, from, to), successions: recordSuccession(context.successions, event) }
      }),
    },
    guards: {
      namesRetiredAgency: ({ context, event }) => namesRetiredAgency([context.owner], event),
      isProject: ({ context }) => context.isProject,
      favourable: ({ event }) => event.payload.favourable === true,
      hasNextPeriod: ({ context }) => context.current + 1 < context.periods.length,
      notYetReminded: ({ context }) => {
        const p = context.periods[context.current]
        return !!p && !p.reminded && p.status !== "submitted"
      },
    },
  }).createMachine({
    id: "plan",
    initial: "draft",
    context: ({ input }) => ({
      caseId: input.caseId,
      title: input.input.title,
      year: input.input.year,
      owner: input.actor.agency,
      isProject: input.input.isProject ?? false,
      indicators: input.input.indicators ?? [],
      revisions: 0,
      comments: [],
      approvals: [],
      escalations: [],
      periods: periodsFor(input.input.year),
      current: 0,
      summary: null,
      closure: null,
      ...initialSuccessions(),
    }),
    on: {
      ...successionTransitions(),
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
        on: { SUBMIT: "submitted" },
      },
      submitted: {
        after: { reviewDeadline: { actions: alert("review_overdue", "submitted", "coordinator_head") } },
        on: { START_REVIEW: "under_review" },
      },
      under_review: {
        after: { reviewDeadline: { actions: alert("review_overdue", "under_review", "coordinator_head") } },
        on: {
          REQUEST_REVISION: {
            target: "revision_requested",
            actions: assign({
              comments: ({ context, event }) => [...context.comments, { by: who(event), step: "review", text: event.payload.comments }],
              revisions: ({ context }) => context.revisions + 1,
            }),
          },
          APPROVE: [
            {
              guard: "isProject",
              target: "appraisal",
              actions: assign({ approvals: ({ context, event }) => [...context.approvals, { step: "review" as const, by: who(event), note: event.payload.comment ?? "" }] }),
            },
            {
              target: "approved",
              actions: assign({ approvals: ({ context, event }) => [...context.approvals, { step: "review" as const, by: who(event), note: event.payload.comment ?? "" }] }),
            },
          ],
        },
      },
      revision_requested: {
        after: { revisionDeadline: { actions: alert("revision_overdue", "revision_requested", "agency_head") } },
        on: { SUBMIT: "submitted" },
      },
      appraisal: {
        after: { appraisalDeadline: { actions: alert("appraisal_overdue", "appraisal", "province_leader") } },
        on: {
          APPRAISE: [
            {
              guard: "favourable",
              target: "leader_approval",
              actions: assign({ approvals: ({ context, event }) => [...context.approvals, { step: "appraisal" as const, by: who(event), note: event.payload.opinion }] }),
            },
            {
              target: "revision_requested",
              actions: assign({
                comments: ({ context, event }) => [...context.comments, { by: who(event), step: "appraisal", text: event.payload.opinion }],
                revisions: ({ context }) => context.revisions + 1,
              }),
            },
          ],
        },
      },
      leader_approval: {
        after: { leaderApprovalDeadline: { actions: alert("approval_overdue", "leader_approval", "province_leader") } },
        on: {
          LEADER_APPROVE: {
            target: "approved",
            actions: assign({ approvals: ({ context, event }) => [...context.approvals, { step: "leader" as const, by: who(event), note: event.payload.decision }] }),
          },
          LEADER_RETURN: {
            target: "revision_requested",
            actions: assign({
              comments: ({ context, event }) => [...context.comments, { by: who(event), step: "leader_approval", text: event.payload.comments }],
              revisions: ({ context }) => context.revisions + 1,
            }),
          },
        },
      },
      approved: {
        entry: emit(({ context }) => ({ type: "plan.approved", caseId: context.caseId, agency: context.owner })),
        after: { implementationStartDeadline: { actions: alert("implementation_overdue", "approved", "agency_head") } },
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
                actions: [
                  assign({ periods: ({ context }) => withCurrent(context, (p) => ({ ...p, overdue: true })) }),
                  ...alert("report_overdue", "in_implementation", "coordinator"),
                ],
              },
            },
            on: { SUBMIT_REPORT: { target: "report_review", actions: "recordReport" } },
          },
          overdue: {
            on: { SUBMIT_REPORT: { target: "report_review", actions: "recordReport" } },
          },
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
                        const reported = [...context.periods].reverse()
                        return {
                          periodsAccepted: context.periods.filter((p) => p.status === "accepted").length,
                          periodsLate: context.periods.filter((p) => p.overdue).length,
                          indicators: context.indicators.map((i) => ({
                            name: i.name,
                            target: i.target,
                            achieved: reported.flatMap((p) => p.report?.indicators ?? []).find((r) => r.name === i.name)?.achieved ?? null,
                          })),
                        }
                      },
                    }),
                  ],
                },
              ],
              RETURN_REPORT: {
                target: "awaiting_report",
                actions: assign({
                  periods: ({ context, event }) =>
                    withCurrent(context, (p) => ({ ...p, status: "returned", returns: [...p.returns, { by: who(event), comments: event.payload.comments }] })),
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
            actions: assign({
              closure: ({ event }) => ({ outcome: "completed", by: who(event), agency: event.actor.agency, reason: event.payload.reason, result: event.payload.result }),
            }),
          },
        },
      },
      closed: { type: "final" },
      cancelled: { type: "final" },
    },
  })
}
