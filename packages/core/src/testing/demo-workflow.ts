import { assign, emit, setup } from "xstate"
import type { CaseEvent, CaseInput } from "../workflow/types.js"
import { defineWorkflow } from "../workflow/define-workflow.js"

interface DemoContext {
  title: string
  owner: string
  reviewer: string | null
  notes: string[]
  escalated: boolean
  result: string | null
}

const demoMachine = setup({
  types: {} as { context: DemoContext; events: CaseEvent; input: CaseInput<{ title: string }> },
  delays: { reviewDeadline: 0, reminder: 0 },
}).createMachine({
  id: "demo",
  initial: "draft",
  context: ({ input }) => ({ title: input.input.title, owner: input.actor.agency, reviewer: null, notes: [], escalated: false, result: null }),
  on: {
    NOTE: { actions: assign({ notes: ({ context, event }) => [...context.notes, event.payload.text] }) },
  },
  states: {
    draft: { on: { SUBMIT: "review" } },
    review: {
      after: {
        reviewDeadline: { target: "review", reenter: true, actions: [assign({ escalated: true }), emit({ type: "demo.escalated" })] },
        reminder: { actions: emit({ type: "demo.reminder" }) },
      },
      on: {
        APPROVE: {
          target: "approved",
          actions: [assign({ reviewer: ({ event }) => event.actor.id }), emit(({ context }) => ({ type: "demo.approved", title: context.title }))],
        },
        RETURN: { target: "draft", guard: ({ event }) => event.payload.comment.length > 0 },
      },
    },
    approved: { on: { CLOSE: { target: "closed", actions: assign({ result: ({ event }) => event.payload.result }) } } },
    closed: { type: "final" },
  },
})

/**
 * A small workflow for tests and examples (not one of the five processes): a
 * draft is submitted, reviewed within three working days (missing the
 * deadline escalates and restarts it; a reminder fires after one hour),
 * approved, and closed with a result. `NOTE` is accepted in every state.
 */
export const demoWorkflow = defineWorkflow({
  id: "demo",
  version: 1,
  machine: demoMachine,
  input: { type: "object", required: ["title"], properties: { title: { type: "string", minLength: 1, maxLength: 200 } }, additionalProperties: false },
  events: {
    SUBMIT: { type: "object", additionalProperties: false },
    APPROVE: { type: "object", properties: { comment: { type: "string", maxLength: 2000 } }, additionalProperties: false },
    RETURN: { type: "object", required: ["comment"], properties: { comment: { type: "string", maxLength: 2000 } }, additionalProperties: false },
    CLOSE: {
      type: "object",
      required: ["result", "reason"],
      properties: { result: { type: "string", minLength: 1 }, reason: { type: "string", minLength: 1 } },
      additionalProperties: false,
    },
    NOTE: { type: "object", required: ["text"], properties: { text: { type: "string", maxLength: 500 } }, additionalProperties: false },
  },
  permissions: {
    SUBMIT: { roles: ["agency_head"], agency: "owner" },
    APPROVE: { roles: ["coordinator"], agency: "any" },
    RETURN: { roles: ["coordinator"], agency: "any" },
    CLOSE: { roles: ["agency_head", "coordinator"], agency: "party" },
    // A note is accepted in every state: it must not make every case look like work waiting.
    NOTE: { roles: ["agency_officer", "agency_head", "coordinator"], agency: "party", worklist: false },
  },
  start: { roles: ["agency_officer", "agency_head"] },
  deadlines: {
    reviewDeadline: { label: { vi: "Hạn thẩm định", en: "Review deadline" }, duration: { workingDays: 3 } },
    reminder: { label: { vi: "Nhắc việc", en: "Reminder" }, duration: "PT1H" },
  },
  parties: (context: DemoContext) => ({ owner: context.owner }),
  title: (context: DemoContext) => context.title,
  searchable: (context: DemoContext) => context.notes,
  labels: {
    title: { vi: "Quy trình mẫu", en: "Demo workflow" },
    states: {
      draft: { vi: "Dự thảo", en: "Draft" },
      review: { vi: "Đang xem xét", en: "Under review" },
      approved: { vi: "Đã phê duyệt", en: "Approved" },
      closed: { vi: "Đã đóng", en: "Closed" },
    },
  },
})

/** Actors of the demo province, for tests. */
export const demoActors = {
  officer: { id: "officer-1", province: "demo", agency: "agency-a", roles: ["agency_officer"] },
  head: { id: "head-1", province: "demo", agency: "agency-a", roles: ["agency_head"] },
  otherHead: { id: "head-2", province: "demo", agency: "agency-b", roles: ["agency_head"] },
  otherOfficer: { id: "officer-2", province: "demo", agency: "agency-b", roles: ["agency_officer"] },
  colleague: { id: "officer-3", province: "demo", agency: "agency-a", roles: ["agency_officer"] },
  observer: { id: "obs-1", province: "demo", agency: "so-noi-vu", roles: ["observer"] },
  coordinator: { id: "coord-1", province: "demo", agency: "so-tttt", roles: ["coordinator"] },
  foreignCoordinator: { id: "coord-9", province: "elsewhere", agency: "so-tttt", roles: ["coordinator"] },
} as const

const memoMachine = setup({
  types: {} as { context: { title: string; owner: string }; events: CaseEvent; input: CaseInput<{ title: string }> },
}).createMachine({
  id: "memo",
  initial: "open",
  context: ({ input }) => ({ title: input.input.title, owner: input.actor.agency }),
  states: { open: { on: { CLOSE: "closed" } }, closed: { type: "final" } },
})

/**
 * A second, smaller test workflow (bản ghi nhớ): opened by an agency, closed
 * by its head. Tests that need two workflows (a key reused across them) use it.
 *
 * @example
 * createEngine({ store: pglite(), workflows: [demoWorkflow, memoWorkflow] })
 */
export const memoWorkflow = defineWorkflow({
  id: "memo",
  version: 1,
  machine: memoMachine,
  input: demoWorkflow.input,
  events: { CLOSE: { type: "object", additionalProperties: false } },
  permissions: { CLOSE: { roles: ["agency_head"], agency: "owner" } },
  start: { roles: ["agency_officer", "agency_head"] },
  parties: (context: { owner: string }) => ({ owner: context.owner }),
  labels: { title: { vi: "Bản ghi nhớ", en: "Memo" } },
})
