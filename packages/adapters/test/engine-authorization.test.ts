import { type Actor, type CommittedTransition, type Engine, type EngineOptions, createEngine, silentLogger, testClock } from "@civicase/core"
import { demoActors as A, demoWorkflow, expectCode } from "@civicase/core/testing"
import { pglite } from "@civicase/adapters"
import { afterEach, describe, expect, it } from "vitest"

/** The demo province as a province file would describe it. */
const demoDirectory = {
  agencies: ["agency-a", "agency-b", "so-tttt"],
  roles: { agency_officer: ["*"], agency_head: ["*"], coordinator: ["so-tttt"] },
  provinceWideRoles: ["coordinator"],
}

/** Every engine operation that takes an actor, on the case `id`. */
function operations(engine: Engine, id: string) {
  return {
    createCase: (actor: Actor) => engine.createCase("demo", { title: "t" }, actor),
    send: (actor: Actor) => engine.send(id, { type: "NOTE", payload: { text: "n" } }, actor),
    getCase: (actor: Actor) => engine.getCase(id, actor),
    listCases: (actor: Actor) => engine.listCases({}, actor),
    history: (actor: Actor) => engine.history(id, actor),
    verify: (actor: Actor) => engine.verify(id, actor),
    "reports.sla": (actor: Actor) => engine.reports.sla({}, actor),
  }
}

describe("the engine authorizes every read and write itself", () => {
  const engines: Engine[] = []
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.close()
  })
  const open = (options: Partial<EngineOptions> = {}) => {
    const engine = createEngine({ store: pglite(), workflows: [demoWorkflow], clock: testClock(), scheduler: false, logger: silentLogger, ...options })
    engines.push(engine)
    return engine
  }
  /** The case's rev, history length and the number of cases: what a refusal must leave as it was. */
  const footprint = async (engine: Engine, id: string) => ({
    rev: (await engine.getCase(id, A.coordinator)).rev,
    history: (await engine.history(id, A.coordinator)).length,
    cases: (await engine.listCases({}, A.coordinator)).items.length,
  })

  it("with a province directory: refuses a foreign province, an unknown agency, a role the agency may not hold and a forged system actor, on every operation, changing nothing", async () => {
    const engine = open({ provinces: { demo: demoDirectory } })
    const c = await engine.createCase("demo", { title: "t" }, A.officer)
    await engine.send(c.id, { type: "SUBMIT" }, A.head)
    const before = await footprint(engine, c.id)
    const refused: Array<[string, Actor, string]> = [
      ["a foreign province", A.foreignCoordinator, "CIVICASE_E_UNKNOWN_ACTOR"],
      ["an unknown agency", { id: "x-1", province: "demo", agency: "so-y-te", roles: ["agency_officer"] }, "CIVICASE_E_UNKNOWN_ACTOR"],
      ["a role its agency may not hold", { id: "h-1", province: "demo", agency: "agency-a", roles: ["agency_officer", "coordinator"] }, "CIVICASE_E_ROLE_NOT_HELD"],
      ["a role no agency holds", { id: "h-2", province: "demo", agency: "agency-a", roles: ["province_leader"] }, "CIVICASE_E_ROLE_NOT_HELD"],
      ["the system role", { id: "s-1", province: "demo", agency: "so-tttt", roles: ["coordinator", "system"] }, "CIVICASE_E_UNKNOWN_ACTOR"],
      ["a copy of the system actor", { ...engine.access.systemActor("demo") }, "CIVICASE_E_UNKNOWN_ACTOR"],
    ]
    for (const [what, actor, code] of refused) {
      for (const [name, call] of Object.entries(operations(engine, c.id))) {
        const e = await expectCode(call(actor), code).catch((err: Error) => {
          throw new Error(`${what}, ${name}: ${err.message}`)
        })
        expect(e.status).toBe(code === "CIVICASE_E_ROLE_NOT_HELD" ? 403 : 401)
      }
    }
    expect(await footprint(engine, c.id)).toEqual(before)
    // The refused coordinator-from-agency-a would otherwise have approved: a real coordinator still can.
    expect((await engine.send(c.id, { type: "APPROVE" }, A.coordinator)).state).toBe("approved")
  })

  it("without a directory: refuses the system role and a forged system actor on every operation; other provinces see none of this province's cases", async () => {
    const engine = open()
    const c = await engine.createCase("demo", { title: "t" }, A.officer)
    const before = await footprint(engine, c.id)
    const forged = JSON.parse(JSON.stringify(engine.access.systemActor("demo"))) as Actor
    for (const actor of [forged, { ...A.coordinator, roles: ["system"] }]) {
      for (const call of Object.values(operations(engine, c.id))) await expectCode(call(actor), "CIVICASE_E_UNKNOWN_ACTOR")
    }
    await expectCode(engine.getCase(c.id, A.foreignCoordinator), "CIVICASE_E_CASE_NOT_FOUND")
    await expectCode(engine.send(c.id, { type: "NOTE", payload: { text: "x" } }, A.foreignCoordinator), "CIVICASE_E_CASE_NOT_FOUND")
    expect((await engine.listCases({}, A.foreignCoordinator)).items).toEqual([])
    expect(await footprint(engine, c.id)).toEqual(before)
  })

  it("lets the engine's own system actor act for its province only, and never hands it to listeners", async () => {
    const engine = open({ provinces: { demo: demoDirectory } })
    const system = engine.access.systemActor("demo")
    const heard: CommittedTransition[] = []
    engine.subscribe((t) => heard.push(t))
    const a = await engine.createCase("demo", { title: "a" }, A.officer)
    const b = await engine.createCase("demo", { title: "b" }, A.otherOfficer)
    // Every agency's cases, and every rule passed.
    expect((await engine.listCases({}, system)).items.map((c) => c.id).sort()).toEqual([a.id, b.id].sort())
    await engine.send(a.id, { type: "SUBMIT" }, system)
    const approved = await engine.send(a.id, { type: "APPROVE" }, system)
    expect(approved.state).toBe("approved")
    expect((await engine.history(a.id, system)).at(-1)?.actor).toEqual({ id: "system", province: "demo", agency: "system", roles: ["system"] })
    // Another province's system actor sees none of it.
    await expectCode(engine.getCase(a.id, engine.access.systemActor("elsewhere")), "CIVICASE_E_CASE_NOT_FOUND")
    // A listener gets who acted as data, not the engine's actor to act with.
    const byEngine = heard.find((t) => t.actor.id === "system")!
    expect(engine.access.isSystem(byEngine.actor)).toBe(false)
    await expectCode(engine.send(b.id, { type: "CLOSE", payload: { result: "r", reason: "r" } }, byEngine.actor), "CIVICASE_E_UNKNOWN_ACTOR")
  })

  it("fires deadlines as its system actor on an engine with a directory", async () => {
    const clock = testClock(new Date("2025-03-03T02:00:00Z"))
    const engine = open({ provinces: { demo: demoDirectory }, clock })
    const c = await engine.createCase("demo", { title: "t" }, A.officer)
    await engine.send(c.id, { type: "SUBMIT" }, A.head)
    const fired = await engine.testing.advanceTime("P7D")
    expect(fired.map((t) => t.actor.id)).toEqual(["system", "system"])
    expect((await engine.getCase(c.id, A.coordinator)).context.escalated).toBe(true)
  })
})
