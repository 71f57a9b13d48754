import { describe, expect, it } from "vitest"
import { definePlugin } from "../src/plugins/plugin.js"
import { registeredPlans } from "../src/migration/registered-plans.js"
import { stateValueOf } from "../src/migration/state-value.js"
import type { CaseMigrationPlan } from "../src/migration/migration-plan.js"

const plan: CaseMigrationPlan = { workflow: "leave", from: 1, to: 2, states: { draft: "draft" }, deadlines: "keep" }

describe("migration plans registered with an engine", () => {
  it("takes the option's plans, then plugins'", () => {
    const plugin = definePlugin({ name: "leave-plans", caseMigrations: [{ ...plan, from: 2, to: 3 }] })
    expect(registeredPlans([plan], [plugin]).map((p) => `${p.from}→${p.to}`)).toEqual(["1→2", "2→3"])
  })

  it("refuses a malformed plan and a second plan for the same versions, by path", () => {
    const plugin = definePlugin({ name: "leave-plans", caseMigrations: [plan] })
    const bad = { ...plan, from: 0, to: 0, states: { draft: "" }, deadlines: "later" } as unknown as CaseMigrationPlan
    let issues: Array<{ path: string }> = []
    try {
      registeredPlans([plan, bad], [plugin])
    } catch (e) {
      expect((e as { code: string }).code).toBe("CIVICASE_E_INVALID_CONFIG")
      issues = (e as { issues: Array<{ path: string }> }).issues
    }
    expect(issues.map((i) => i.path)).toEqual(["/caseMigrations/1/from", "/caseMigrations/1/to", "/caseMigrations/1/to", "/caseMigrations/1/states/draft", "/caseMigrations/1/deadlines", "/plugins/0/caseMigrations/0"])
  })
})

describe("stateValueOf: a flat state back to an XState value", () => {
  it("nests dotted states and joins parallel regions", () => {
    expect(stateValueOf("draft")).toBe("draft")
    expect(stateValueOf("in_implementation.report_review")).toEqual({ in_implementation: "report_review" })
    expect(stateValueOf("working.a.done,working.b.waiting")).toEqual({ working: { a: "done", b: "waiting" } })
  })
})
