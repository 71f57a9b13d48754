import { type CaseEvent, type CaseInput, hasOwnKey, ownValue } from "@civicase/core"
import { assign, emit, setup } from "xstate"
import { localInstant } from "../province/local-time.js"
import type { ProvinceCalendar } from "../province/types.js"
import { type AgencySuccession, initialSuccessions, namesRetiredAgency, recordSuccession, succeeded, successionPayload, successionTransitions } from "../province/succession-event.js"

/** The case input of an inter-agency task (nhiệm vụ phối hợp). */
export interface CoordinationInput {
  readonly topic: string
  readonly description?: string
  /** The lead agency (cơ quan chủ trì). */
  readonly lead: string
  /** Cooperating agencies (cơ quan phối hợp). */
  readonly cooperating?: ReadonlyArray<string>
  /** Local due date `YYYY-MM-DD`; the task is due at the calendar's end of that day. */
  readonly dueDate: string
}

/** Where one agency stands on the task. */
export interface AgencyProgress {
  readonly role: "lead" | "cooperating"
  readonly status: "assigned" | "acknowledged" | "contributed" | "declined"
  /** Who acknowledged, contributed or declined last. */
  readonly by: string | null
  readonly contribution: string | null
  readonly reason: string | null
}

/** The context of a `coordination` case. */
export interface CoordinationContext {
  readonly caseId: string
  readonly topic: string
  /** The topic normalised for overlap checks (lower case, single spaces). */
  readonly topicKey: string
  readonly description: string
  /** The agency that assigned the task (usually the coordinator's). */
  readonly owner: string
  readonly lead: string
  /** ISO instant the task is due. */
  readonly dueAt: string
  /** Every agency on the task, lead included, keyed by agency id: the parallel work at a glance. */
  readonly agencies: Readonly<Record<string, AgencyProgress>>
  readonly reassignments: ReadonlyArray<{ readonly from: string; readonly to: string | null; readonly reason: string; readonly by: string }>
  readonly result: { readonly summary: string; readonly by: string } | null
  readonly returns: ReadonlyArray<{ readonly by: string; readonly comments: string }>
  /** Every deadline that passed: which, and who was alerted. */
  readonly escalations: ReadonlyArray<{ readonly deadline: string; readonly to: string; readonly agencies: ReadonlyArray<string> }>
  readonly closure: { readonly outcome: "accepted" | "cancelled"; readonly by: string; readonly agency: string; readonly reason: string; readonly result: string } | null
  /** Hand-overs from retired agencies (absent on cases started before they existed). */
  readonly successions?: ReadonlyArray<AgencySuccession>
}

type Ev = CaseEvent

/**
 * Normalises a topic so "Quảng bá  Du lịch" and "quảng bá du lịch" match.
 *
 * @example
 * topicKey("  Quảng bá  Du lịch ") // "quảng bá du lịch"
 */
export function topicKey(topic: string): string {
  return topic.normalize("NFC").toLocaleLowerCase("vi").replace(/\s+/g, " ").trim()
}

const progress = (role: AgencyProgress["role"]): AgencyProgress => ({ role, status: "assigned", by: null, contribution: null, reason: null })

function cooperating(context: CoordinationContext): Array<[string, AgencyProgress]> {
  return Object.entries(context.agencies).filter(([, p]) => p.role === "cooperating")
}

/**
 * Agency ids in a stable order, lead first, then alphabetical: the stored
 * context map does not keep insertion order (PostgreSQL jsonb sorts keys).
 */
export function agencyOrder(context: CoordinationContext, ids: ReadonlyArray<string>): string[] {
  return [...ids].sort((a, b) => (a === context.lead ? -1 : b === context.lead ? 1 : a.localeCompare(b)))
}

/**
 * Agencies that have not finished their part: the lead until it submits,
 * cooperating ones until they contribute.
 *
 * @example
 * lateAgencies(caseView.context) // ["so-vhttdl", "so-khdt"]
 */
export function lateAgencies(context: CoordinationContext): string[] {
  const late = Object.entries(context.agencies)
    .filter(([, p]) => (p.role === "lead" ? context.result === null : p.status !== "contributed"))
    .map(([id]) => id)
  return agencyOrder(context, late)
}

function update(context: CoordinationContext, agency: string, change: Partial<AgencyProgress>) {
  const current = ownValue(context.agencies, agency)
  return current ? { ...context.agencies, [agency]: { ...current, ...change } } : context.agencies
}

const advance: Record<AgencyProgress["status"], number> = { declined: 0, assigned: 1, acknowledged: 2, contributed: 3 }

/**
 * One agency's progress when a retired agency's part moves to a successor
 * that already takes part: the lead's part wins (the lead consolidates what
 * the other contributed), otherwise the further advanced of the two.
 */
function mergeProgress(retired: AgencyProgress, successor: AgencyProgress): AgencyProgress {
  if (retired.role !== successor.role) return retired.role === "lead" ? retired : successor
  return advance[retired.status] > advance[successor.status] ? retired : successor
}

/** The per-agency map without `id`'s entry. */
function without(agencies: Readonly<Record<string, AgencyProgress>>, id: string): Record<string, AgencyProgress> {
  return Object.fromEntries(Object.entries(agencies).filter(([agency]) => agency !== id))
}

/** The per-agency map with `from`'s part handed to `to`. */
function handOver(agencies: Readonly<Record<string, AgencyProgress>>, from: string, to: string): Record<string, AgencyProgress> {
  const retired = ownValue(agencies, from)
  const rest = without(agencies, from)
  if (!retired) return rest
  const existing = ownValue(rest, to)
  return { ...rest, [to]: existing ? mergeProgress(retired, existing) : retired }
}

function alert(deadline: string, to: string, agencies: (c: CoordinationContext) => string[]): any[] {
  return [
    assign({ escalations: ({ context }: { context: CoordinationContext }) => [...context.escalations, { deadline, to, agencies: agencies(context) }] }),
    emit(({ context }: { context: CoordinationContext }) => ({ type: `coordination.${deadline}`, caseId: context.caseId, topic: context.topic, to, agencies: agencies(context) })),
  ]
}

/**
 * The `coordination` state machine. While the task is worked on, three
 * regions run in parallel: the lead agency (acknowledge, then consolidate),
 * the cooperating agencies (each acknowledges, contributes or declines;
 * progress is kept per agency in `context.agencies`), and timeliness
 * (due date → reminder to late agencies → coordinator → province leader).
 *
 * @example
 * const machine = createCoordinationMachine(province.calendar)
 */
export function createCoordinationMachine(calendar: ProvinceCalendar) {
  return setup({
    types: {} as { context: CoordinationContext; events: Ev; input: CaseInput<CoordinationInput> },
    delays: { acknowledgementDeadline: 0, taskDue: 0, escalateToCoordinator: 0, escalateToLeader: 0, resultReviewDeadline: 0 },
    guards: {
      isLeadAssigned: ({ context, event }) => event.actor.agency === context.lead && ownValue(context.agencies, context.lead)?.status === "assigned",
      isCooperatingAssigned: ({ context, event }) => {
        const p = ownValue(context.agencies, event.actor.agency)
        return p?.role === "cooperating" && p.status === "assigned"
      },
      isCooperatingAcknowledged: ({ context, event }) => {
        const p = ownValue(context.agencies, event.actor.agency)
        return p?.role === "cooperating" && p.status === "acknowledged"
      },
      mayDecline: ({ context, event }) => {
        const p = ownValue(context.agencies, event.actor.agency)
        return p?.role === "cooperating" && (p.status === "assigned" || p.status === "acknowledged")
      },
      allContributed: ({ context }) => cooperating(context).every(([, p]) => p.status === "contributed"),
      isValidReassignment: ({ context, event }) => {
        const from = ownValue(context.agencies, event.payload.from)
        const to: string | null = event.payload.to ?? null
        return from?.role === "cooperating" && from.status === "declined" && (to === null || !hasOwnKey(context.agencies, to))
      },
      someUnacknowledged: ({ context }) => Object.values(context.agencies).some((p) => p.status === "assigned"),
      namesRetiredAgency: ({ context, event }) => namesRetiredAgency([context.owner, context.lead, ...Object.keys(context.agencies)], event),
    },
    actions: {
      succeedAgency: assign(({ context, event }) => {
        const { from, to } = successionPayload(event)
        return {
          owner: succeeded(context.owner, from, to),
          lead: succeeded(context.lead, from, to),
          agencies: handOver(context.agencies, from, to),
          successions: recordSuccession(context.successions, event),
        }
      }),
    },
  }).createMachine({
    id: "coordination",
    initial: "working",
    context: ({ input }) => {
      const i = input.input
      const agencies: Record<string, AgencyProgress> = Object.fromEntries([
        [i.lead, progress("lead")],
        ...(i.cooperating ?? []).filter((a) => a !== i.lead).map((a) => [a, progress("cooperating")] as const),
      ])
      return {
        caseId: input.caseId,
        topic: i.topic,
        topicKey: topicKey(i.topic),
        description: i.description ?? "",
        owner: input.actor.agency,
        lead: i.lead,
        dueAt: localInstant(i.dueDate, calendar.endOfDay, calendar.timeZone).toISOString(),
        agencies,
        reassignments: [],
        result: null,
        returns: [],
        escalations: [],
        closure: null,
        ...initialSuccessions(),
      }
    },
    on: {
      ...successionTransitions(),
      CANCEL: {
        target: ".cancelled",
        actions: assign({
          closure: ({ event }) => ({ outcome: "cancelled", by: event.actor.id, agency: event.actor.agency, reason: event.payload.reason, result: event.payload.result }),
        }),
      },
    },
    states: {
      working: {
        type: "parallel",
        after: {
          acknowledgementDeadline: {
            guard: "someUnacknowledged",
            actions: alert("acknowledgement_reminder", "agencies", (c) =>
              agencyOrder(
                c,
                Object.entries(c.agencies)
                  .filter(([, p]) => p.status === "assigned")
                  .map(([id]) => id),
              ),
            ),
          },
        },
        states: {
          lead: {
            initial: "assigned",
            states: {
              assigned: {
                on: {
                  ACKNOWLEDGE: {
                    guard: "isLeadAssigned",
                    target: "consolidating",
                    actions: assign({ agencies: ({ context, event }) => update(context, context.lead, { status: "acknowledged", by: event.actor.id }) }),
                  },
                },
              },
              consolidating: {
                on: {
                  SUBMIT_RESULT: {
                    guard: "allContributed",
                    target: "#coordination.result_submitted",
                    actions: assign({
                      result: ({ event }) => ({ summary: event.payload.summary, by: event.actor.id }),
                      agencies: ({ context, event }) => update(context, context.lead, { status: "contributed", by: event.actor.id, contribution: event.payload.summary }),
                    }),
                  },
                },
              },
            },
          },
          cooperation: {
            initial: "contributing",
            states: {
              contributing: {
                always: { guard: "allContributed", target: "complete" },
                on: {
                  ACKNOWLEDGE: {
                    guard: "isCooperatingAssigned",
                    actions: assign({ agencies: ({ context, event }) => update(context, event.actor.agency, { status: "acknowledged", by: event.actor.id }) }),
                  },
                  CONTRIBUTE: {
                    guard: "isCooperatingAcknowledged",
                    actions: assign({
                      agencies: ({ context, event }) => update(context, event.actor.agency, { status: "contributed", by: event.actor.id, contribution: event.payload.contribution }),
                    }),
                  },
                  DECLINE: {
                    guard: "mayDecline",
                    actions: [
                      assign({ agencies: ({ context, event }) => update(context, event.actor.agency, { status: "declined", by: event.actor.id, reason: event.payload.reason }) }),
                      emit(({ context, event }) => ({ type: "coordination.declined", caseId: context.caseId, agency: event.actor.agency, reason: event.payload.reason, to: "coordinator" })),
                    ],
                  },
                  REASSIGN: {
                    guard: "isValidReassignment",
                    actions: assign(({ context, event }) => {
                      const rest = without(context.agencies, event.payload.from)
                      const to: string | null = event.payload.to ?? null
                      return {
                        agencies: to ? { ...rest, [to]: progress("cooperating") } : rest,
                        reassignments: [...context.reassignments, { from: event.payload.from, to, reason: event.payload.reason, by: event.actor.id }],
                      }
                    }),
                  },
                },
              },
              complete: {},
            },
          },
          timeliness: {
            initial: "on_time",
            states: {
              on_time: { after: { taskDue: { target: "reminded", actions: alert("overdue_reminder", "agencies", lateAgencies) } } },
              reminded: { after: { escalateToCoordinator: { target: "escalated_to_coordinator", actions: alert("escalated", "coordinator", lateAgencies) } } },
              escalated_to_coordinator: { after: { escalateToLeader: { target: "escalated_to_leader", actions: alert("escalated", "province_leader", lateAgencies) } } },
              escalated_to_leader: {},
            },
          },
        },
      },
      result_submitted: {
        after: { resultReviewDeadline: { actions: alert("result_review_overdue", "coordinator_head", () => []) } },
        on: {
          ACCEPT: {
            target: "done",
            actions: assign({
              closure: ({ context, event }) => ({
                outcome: "accepted" as const,
                by: event.actor.id,
                agency: event.actor.agency,
                reason: event.payload.assessment,
                result: context.result?.summary ?? "",
              }),
            }),
          },
          RETURN: {
            target: ["#coordination.working.lead.consolidating", "#coordination.working.cooperation.complete", "#coordination.working.timeliness.on_time"],
            actions: assign({
              returns: ({ context, event }) => [...context.returns, { by: event.actor.id, comments: event.payload.comments }],
              result: () => null,
              agencies: ({ context }) => update(context, context.lead, { status: "acknowledged" }),
            }),
          },
        },
      },
      done: { type: "final" },
      cancelled: { type: "final" },
    },
  })
}
