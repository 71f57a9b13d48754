import { describe, expect, it } from "vitest"
import { setup } from "xstate"
import { type CaseEvent, InvalidDefinitionError, type WorkflowOptions, defineWorkflow } from "@civicase/core"

/** draft --SUBMIT--> review --APPROVE--> done; review has a named deadline. */
const machine = setup({
  types: {} as { events: CaseEvent },
  delays: { reviewDeadline: 0 },
}).createMachine({
  id: "leave",
  initial: "draft",
  states: {
    draft: { on: { SUBMIT: "review" } },
    review: { after: { reviewDeadline: "draft" }, on: { APPROVE: "done" } },
    done: { type: "final" },
  },
})

const empty = { type: "object", additionalProperties: false } as const

const valid: WorkflowOptions<typeof machine> = {
  id: "leave",
  version: 1,
  machine,
  events: { SUBMIT: empty, APPROVE: empty },
  permissions: { SUBMIT: { roles: ["agency_head"], agency: "owner" }, APPROVE: { roles: ["coordinator"], agency: "any" } },
  deadlines: { reviewDeadline: { label: { vi: "Hạn xem xét", en: "Review deadline" }, duration: { workingDays: 3 } } },
  labels: { title: { vi: "Nghỉ phép", en: "Leave" } },
}

/** The problems `defineWorkflow` lists for these options (fails the test if it accepts them). */
function problemsOf(options: WorkflowOptions): ReadonlyArray<string> {
  try {
    defineWorkflow(options)
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidDefinitionError)
    const error = e as InvalidDefinitionError
    expect(error.code).toBe("CIVICASE_E_INVALID_DEFINITION")
    expect(error.workflow).toBe(String(options.id))
    // The message carries every problem too, for logs that only print messages.
    for (const p of error.problems) expect(error.message).toContain(p)
    return error.problems
  }
  throw new Error("defineWorkflow accepted an invalid definition")
}

describe("defineWorkflow", () => {
  it("accepts a consistent definition and compiles its payload checks", () => {
    const def = defineWorkflow(valid)
    expect(def.key).toBe("leave@1")
    expect(def.checks.get("SUBMIT")?.({})).toEqual([])
    expect(def.checks.get("SUBMIT")?.({ extra: 1 })).toEqual([{ path: "/extra", message: "must NOT have additional properties" }])
    expect(def.start).toEqual({ roles: [], agency: "any" })
  })

  it("does not take Object.prototype members for schemas, permissions or deadlines", () => {
    // A machine whose events and delay carry prototype names: nothing in the options covers them.
    const odd = setup({ types: {} as { events: CaseEvent } }).createMachine({
      id: "odd",
      initial: "a",
      states: { a: { after: { toString: "b" }, on: { constructor: "b", valueOf: "b" } }, b: { type: "final" } },
    })
    const problems = problemsOf({ id: "odd", version: 1, machine: odd, events: {}, permissions: { hasOwnProperty: { roles: ["x"] } } as never, labels: valid.labels })
    expect(problems).toEqual(
      expect.arrayContaining([
        'the machine accepts "constructor", which has no payload schema in events',
        'the machine accepts "constructor", which has no permission',
        'the machine accepts "valueOf", which has no payload schema in events',
        'permissions names "hasOwnProperty", which has no payload schema in events',
        'the delay "toString" has no deadline and no implementation',
      ]),
    )
  })

  it("refuses an event in events that the machine does not know", () => {
    const problems = problemsOf({ ...valid, events: { ...valid.events, REJECT: empty } })
    expect(problems).toContain('events names "REJECT", which the machine does not know')
  })

  it("refuses a permission for an event that the machine does not know", () => {
    const problems = problemsOf({ ...valid, permissions: { ...valid.permissions, ESCALATE: { roles: ["coordinator"] } } })
    expect(problems).toContain('permissions names "ESCALATE", which the machine does not know')
    expect(problems).toContain('permissions names "ESCALATE", which has no payload schema in events')
  })

  it("refuses a machine event without a permission, and a permission without roles", () => {
    const { APPROVE: _, ...onlySubmit } = valid.permissions
    expect(problemsOf({ ...valid, permissions: onlySubmit })).toEqual(['the machine accepts "APPROVE", which has no permission'])
    expect(problemsOf({ ...valid, permissions: { ...valid.permissions, SUBMIT: { roles: [] } } })).toEqual([
      'permission of "SUBMIT" must list at least one role',
    ])
  })

  it("refuses a machine event without a payload schema", () => {
    const { SUBMIT: _, ...onlyApprove } = valid.events
    expect(problemsOf({ ...valid, events: onlyApprove })).toContain('the machine accepts "SUBMIT", which has no payload schema in events')
  })

  it("refuses a payload schema that does not compile, naming the event", () => {
    const problems = problemsOf({ ...valid, events: { ...valid.events, APPROVE: { type: "object", properties: { note: { type: "strnig" } } } } })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/^the payload schema of "APPROVE" does not compile: /)
  })

  it("refuses an input schema that does not compile", () => {
    const problems = problemsOf({ ...valid, input: { type: 42 } })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/^the input schema does not compile: /)
  })

  it("refuses a deadline no state uses, a bad duration, and a delay with no deadline", () => {
    expect(
      problemsOf({
        ...valid,
        deadlines: { ...valid.deadlines, triageDeadline: { label: { vi: "Hạn phân loại", en: "Triage" }, duration: "PT1H" } },
      }),
    ).toEqual(['deadline "triageDeadline" is not used by any state\'s "after"'])
    const bad = problemsOf({ ...valid, deadlines: { reviewDeadline: { label: valid.deadlines!.reviewDeadline!.label, duration: "P1M" } } })
    expect(bad).toHaveLength(1)
    expect(bad[0]).toMatch(/^deadline "reviewDeadline": "P1M" is not an ISO 8601 duration/)
  })

  it("refuses a named delay that has neither a deadline nor an implementation", () => {
    const noDelay = setup({ types: {} as { events: CaseEvent } }).createMachine({
      id: "x",
      initial: "a",
      states: { a: { after: { reminder: "b" }, on: { GO: "b" } }, b: {} },
    })
    expect(
      problemsOf({ id: "x", version: 1, machine: noDelay, events: { GO: empty }, permissions: { GO: { roles: ["coordinator"] } }, labels: valid.labels }),
    ).toEqual(['the delay "reminder" has no deadline and no implementation'])
  })

  it("refuses a machine event in the engine's case. namespace, where its history rows live", () => {
    const activity = setup({ types: {} as { events: CaseEvent } }).createMachine({ id: "x", initial: "a", states: { a: { on: { "case.assigned": "b" } }, b: {} } })
    const options = { id: "x", version: 1, machine: activity, events: { "case.assigned": empty }, permissions: { "case.assigned": { roles: ["coordinator"] } }, labels: valid.labels }
    expect(problemsOf(options)).toEqual(['the machine accepts "case.assigned": the "case." namespace is the engine\'s own (case.created, case.assigned, …)'])
  })

  it("checks title, searchable and document references", () => {
    const problems = problemsOf({
      ...valid,
      title: "Nghỉ phép" as never,
      searchable: ["x"] as never,
      documents: { REJECT: { "/doc": {} }, APPROVE: { decisionDocument: { decision: true } } },
    })
    expect(problems).toEqual([
      "title must be a function of the context",
      "searchable must be a function of the context",
      'documents names "REJECT", which has no payload schema in events',
      'documents of "APPROVE": "decisionDocument" must be a JSON Pointer such as /decisionDocument',
    ])
    const def = defineWorkflow({ ...valid, title: (c: { reason: string }) => c.reason, documents: { APPROVE: { "/decisionDocument": { decision: true } } } })
    expect(def.title!({ reason: "ốm" })).toBe("ốm")
  })

  it("refuses a bad id and version", () => {
    expect(problemsOf({ ...valid, id: "Leave Request", version: 0 })).toEqual([
      'id "Leave Request" must be kebab-case (a-z, 0-9, -), starting with a letter',
      "version must be a positive integer, got 0",
    ])
  })

  it("refuses something that is not an XState machine", () => {
    expect(problemsOf({ ...valid, machine: { states: {} } as any })).toEqual(["machine must be an XState v5 machine made with setup().createMachine()"])
  })

  it("lists every problem at once, not just the first", () => {
    const { APPROVE: _, ...onlySubmit } = valid.permissions
    const problems = problemsOf({
      ...valid,
      events: { ...valid.events, REJECT: empty, APPROVE: { type: "nope" } },
      permissions: { ...onlySubmit, ESCALATE: { roles: ["coordinator"] } },
      labels: { ...valid.labels, events: { ARCHIVE: { vi: "Lưu trữ", en: "Archive" } } },
      deadlines: { ...valid.deadlines, unused: { label: valid.labels.title, duration: "PT1H" } },
    })
    expect(problems).toEqual(
      expect.arrayContaining([
        'events names "REJECT", which the machine does not know',
        expect.stringMatching(/^the payload schema of "APPROVE" does not compile/),
        'permissions names "ESCALATE", which the machine does not know',
        'the machine accepts "APPROVE", which has no permission',
        'labels.events names "ARCHIVE", which the machine does not know',
        'deadline "unused" is not used by any state\'s "after"',
      ]),
    )
    expect(problems.length).toBeGreaterThanOrEqual(6)
  })
})
