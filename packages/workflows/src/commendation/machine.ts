import { and, assign, emit, setup } from "xstate"
import type { CaseEvent, CaseInput } from "@civicase/core"
import { type AgencySuccession, initialSuccessions, namesRetiredAgency, recordSuccession, succeeded, succeededList, successionPayload, successionTransitions } from "../province/succession-event.js"
import type { CommendationConfig } from "./config.js"
import { type CouncilTally, type CouncilVote, tallyVotes } from "./council.js"

/** Who did something, as recorded in the case. */
export interface CommendationSignature {
  readonly by: string
  readonly agency: string
}

/** The nomination (hồ sơ đề nghị khen thưởng): the case input. */
export interface Nomination {
  readonly nominee: {
    readonly name: string
    readonly kind: "individual" | "organisation" | "overseas_community" | "foreign_friend"
    readonly country?: string
  }
  readonly achievements: ReadonlyArray<string>
  readonly awardType: string
}

/** The context of a `commendation` case. */
export interface CommendationContext {
  readonly caseId: string
  readonly nominatedBy: CommendationSignature
  readonly nomination: Nomination
  /** The agencies of the council and its secretariat, parties to every case. */
  readonly councilAgencies: ReadonlyArray<string>
  readonly endorsement: (CommendationSignature & { readonly comment?: string }) | null
  readonly returns: ReadonlyArray<CommendationSignature & { readonly comments: string; readonly at: string }>
  readonly documents: ReadonlyArray<string>
  readonly votes: ReadonlyArray<CouncilVote>
  readonly tally: CouncilTally | null
  /** `decisionDocument`: the award decision attached to the case (version 2; absent in version 1). */
  readonly decision: (CommendationSignature & { readonly level: "province" | "central"; readonly decisionNumber: string; readonly decisionDocument?: string }) | null
  readonly forwarded: (CommendationSignature & { readonly note: string }) | null
  readonly announcement: (CommendationSignature & { readonly announcedAt: string; readonly channels: ReadonlyArray<string> }) | null
  readonly overdue: ReadonlyArray<{ readonly deadline: string; readonly state: string; readonly to: string }>
  readonly closure: { readonly by: string; readonly reason: string; readonly result: string } | null
  /**
   * Hand-overs from retired agencies (absent on cases started before they
   * existed). They move the nominating agency and the council's agencies;
   * signatures of acts keep the agency of their time.
   */
  readonly successions?: ReadonlyArray<AgencySuccession>
}

type Event = CaseEvent
const sign = (event: Event): CommendationSignature => ({ by: event.actor.id, agency: event.actor.agency })

/** The `commendation` machine for one province's section. */
export function commendationMachine(config: CommendationConfig, councilAgencies: ReadonlyArray<string>) {
  const authorityOf = (award: string) => config.awards.find((a) => a.id === award)?.authority
  const overdue = (deadline: string, state: string, to: string) => [
    { type: "recordOverdue" as const, params: { deadline, state, to } },
    { type: "notifyOverdue" as const, params: { deadline, state, to } },
  ]
  return setup({
    types: {} as { context: CommendationContext; events: Event; input: CaseInput<Nomination> },
    delays: { agencyReview: 0, completenessCheck: 0, councilVote: 0, decision: 0, announcement: 0 },
    guards: {
      namesRetiredAgency: ({ context, event }) => namesRetiredAgency([context.nominatedBy.agency, ...context.councilAgencies], event),
      hasNotVoted: ({ context, event }) => !context.votes.some((v) => v.by === event.actor.id) && context.votes.length < config.council.members,
      everyoneVoted: ({ context }) => context.votes.length >= config.council.members,
      quorumMet: ({ context }) => tallyVotes(context.votes, config.council).quorumMet,
      carried: ({ context }) => tallyVotes(context.votes, config.council).carried,
      withinProvinceAuthority: ({ context }) => authorityOf(context.nomination.awardType) === "province",
      aboveProvinceAuthority: ({ context }) => authorityOf(context.nomination.awardType) === "central",
      granted: ({ event }) => event.payload.granted === true,
    },
    actions: {
      succeedAgency: assign(({ context, event }) => {
        const { from, to } = successionPayload(event)
        return {
          nominatedBy: { ...context.nominatedBy, agency: succeeded(context.nominatedBy.agency, from, to) },
          councilAgencies: succeededList(context.councilAgencies, from, to),
          successions: recordSuccession(context.successions, event),
        }
      }),
      recordEndorsement: assign(({ event }) => ({ endorsement: { ...sign(event), ...(event.payload.comment ? { comment: event.payload.comment as string } : {}) } })),
      recordReturn: assign(({ context, event }, params: { at: string }) => ({
        returns: [...context.returns, { ...sign(event), comments: event.payload.comments as string, at: params.at }],
      })),
      recordDocuments: assign(({ context, event }) => ({ documents: [...context.documents, ...((event.payload.documents ?? []) as string[])] })),
      recordVote: assign(({ context, event }) => ({
        votes: [...context.votes, { by: event.actor.id, vote: event.payload.vote, ...(event.payload.comment ? { comment: event.payload.comment as string } : {}) }],
      })),
      recordTally: assign(({ context }) => ({ tally: tallyVotes(context.votes, config.council) })),
      recordVoteRejection: assign(({ context }) => {
        const t = tallyVotes(context.votes, config.council)
        return {
          closure: {
            by: "council",
            reason: `the council vote did not reach the ${config.council.majority} majority: ${t.for} for, ${t.against} against, ${t.abstain} abstaining of ${config.council.members} members`,
            result: "rejected",
          },
        }
      }),
      recordDecision: assign(({ event }, params: { level: "province" | "central" }) => ({
        decision: {
          ...sign(event),
          level: params.level,
          decisionNumber: event.payload.decisionNumber as string,
          // Version 2 only: version 1's schemas refuse the field, so its cases record what they always did.
          ...(typeof event.payload.decisionDocument === "string" ? { decisionDocument: event.payload.decisionDocument } : {}),
        },
      })),
      recordForward: assign(({ event }) => ({ forwarded: { ...sign(event), note: event.payload.note as string } })),
      recordAnnouncement: assign(({ event }) => ({
        announcement: { ...sign(event), announcedAt: event.payload.announcedAt as string, channels: event.payload.channels as string[] },
      })),
      recordRejection: assign(({ event }) => ({ closure: { by: event.actor.id, reason: event.payload.reason as string, result: "rejected" } })),
      recordClosure: assign(({ event }) => ({ closure: { by: event.actor.id, reason: event.payload.reason as string, result: event.payload.result as string } })),
      recordOverdue: assign(({ context }, params: { deadline: string; state: string; to: string }) => ({ overdue: [...context.overdue, params] })),
      notifyOverdue: emit(({ context }, params: { deadline: string; state: string; to: string }) => ({ type: "commendation.overdue", caseId: context.caseId, ...params })),
      notifyDecided: emit(({ context }) => ({ type: "commendation.decided", caseId: context.caseId, nominee: context.nomination.nominee.name, award: context.nomination.awardType })),
      notifyRejected: emit(({ context }) => ({ type: "commendation.rejected", caseId: context.caseId, nominee: context.nomination.nominee.name })),
    },
  }).createMachine({
    id: "commendation",
    initial: "nominated",
    context: ({ input }) => ({
      caseId: input.caseId,
      nominatedBy: { by: input.actor.id, agency: input.actor.agency },
      nomination: input.input,
      councilAgencies: [...councilAgencies],
      endorsement: null,
      returns: [],
      documents: [],
      votes: [],
      tally: null,
      decision: null,
      forwarded: null,
      announcement: null,
      overdue: [],
      closure: null,
      ...initialSuccessions(),
    }),
    on: {
      ...successionTransitions(),
    },
    states: {
      nominated: {
        on: { SUBMIT_NOMINATION: { target: "agency_review", actions: "recordDocuments" } },
      },
      agency_review: {
        after: { agencyReview: { target: "agency_review", reenter: true, actions: overdue("agencyReview", "agency_review", "agency_head") } },
        on: {
          ENDORSE: { target: "submitted", actions: "recordEndorsement" },
          RETURN: { target: "nominated", actions: { type: "recordReturn", params: { at: "agency_review" } } },
          REJECT: { target: "rejected", actions: ["recordRejection", "notifyRejected"] },
        },
      },
      submitted: {
        initial: "completeness_check",
        states: {
          completeness_check: {
            after: {
              completenessCheck: { target: "completeness_check", reenter: true, actions: overdue("completenessCheck", "submitted.completeness_check", "council_secretary") },
            },
            on: {
              MARK_COMPLETE: { target: "#commendation.council_vote" },
              REQUEST_DOCUMENTS: { target: "documents_requested", actions: { type: "recordReturn", params: { at: "submitted.completeness_check" } } },
              REJECT: { target: "#commendation.rejected", actions: ["recordRejection", "notifyRejected"] },
            },
          },
          documents_requested: {
            on: { PROVIDE_DOCUMENTS: { target: "completeness_check", actions: "recordDocuments" } },
          },
        },
      },
      council_vote: {
        always: [
          { guard: and(["everyoneVoted", "carried"]), target: "proposed", actions: "recordTally" },
          { guard: "everyoneVoted", target: "rejected", actions: ["recordTally", "recordVoteRejection", "notifyRejected"] },
        ],
        after: {
          councilVote: [
            { guard: "carried", target: "proposed", actions: "recordTally" },
            { guard: "quorumMet", target: "rejected", actions: ["recordTally", "recordVoteRejection", "notifyRejected"] },
            { target: "council_vote", reenter: true, actions: overdue("councilVote", "council_vote", "council_secretary") },
          ],
        },
        on: {
          VOTE: { guard: "hasNotVoted", actions: "recordVote" },
          CLOSE_VOTE: [
            { guard: "carried", target: "proposed", actions: "recordTally" },
            { guard: "quorumMet", target: "rejected", actions: ["recordTally", "recordVoteRejection", "notifyRejected"] },
          ],
        },
      },
      proposed: {
        after: { decision: { target: "proposed", reenter: true, actions: overdue("decision", "proposed", "province_leader") } },
        on: {
          DECIDE: { guard: "withinProvinceAuthority", target: "decided", actions: [{ type: "recordDecision", params: { level: "province" } }, "notifyDecided"] },
          FORWARD_TO_CENTRAL: { guard: "aboveProvinceAuthority", target: "forwarded_to_central", actions: "recordForward" },
          REJECT: { target: "rejected", actions: ["recordRejection", "notifyRejected"] },
        },
      },
      forwarded_to_central: {
        on: {
          RECORD_CENTRAL_DECISION: [
            { guard: "granted", target: "decided", actions: [{ type: "recordDecision", params: { level: "central" } }, "notifyDecided"] },
            { target: "rejected", actions: ["recordRejection", "notifyRejected"] },
          ],
        },
      },
      decided: {
        after: { announcement: { target: "decided", reenter: true, actions: overdue("announcement", "decided", "council_secretary") } },
        on: { ANNOUNCE: { target: "announced", actions: "recordAnnouncement" } },
      },
      announced: {
        on: { CLOSE: { target: "closed", actions: "recordClosure" } },
      },
      rejected: { type: "final" },
      closed: { type: "final" },
    },
  })
}
