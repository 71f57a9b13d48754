import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Engine, createEngine, defaultInputLimits, silentLogger, testClock } from "@civicase/core"
import { demoActors as A, demoWorkflow, expectCode } from "@civicase/core/testing"
import { pglite } from "@civicase/adapters"

/** Every member of Object.prototype: the names a plain-object lookup would find without owning them. */
const prototypeNames = Object.getOwnPropertyNames(Object.prototype)

/** `{"a":{"a":…}}` nested `depth` deep around `leaf`. */
function nested(depth: number, leaf: unknown = 1): unknown {
  let v = leaf
  for (let i = 0; i < depth; i++) v = { a: v }
  return v
}

describe("engine input: user-supplied names and shapes (PGlite)", () => {
  let engine: Engine
  beforeAll(async () => {
    engine = createEngine({ store: pglite(), workflows: [demoWorkflow], clock: testClock(), scheduler: false, logger: silentLogger })
    await engine.start()
  })
  afterAll(() => engine.close())

  const unchanged = async (id: string, rev: number) => {
    expect((await engine.getCase(id, A.coordinator)).rev).toBe(rev)
    expect(await engine.history(id, A.coordinator)).toHaveLength(rev)
  }

  it("covers the names it means to (the list comes from the runtime, so it cannot shrink silently)", () => {
    expect(prototypeNames).toEqual(expect.arrayContaining(["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "isPrototypeOf"]))
  })

  it.each(prototypeNames)("an event type named %s is not accepted (409), and changes nothing", async (name) => {
    const c = await engine.createCase("demo", { title: "t" }, A.officer)
    const e = await expectCode(engine.send(c.id, { type: name }, A.coordinator), "CIVICASE_E_EVENT_NOT_ACCEPTED")
    expect(e.eventType).toBe(name)
    await expectCode(engine.send(c.id, { type: name, payload: { text: name } }, A.head, { idempotencyKey: name }), "CIVICASE_E_EVENT_NOT_ACCEPTED")
    await unchanged(c.id, 1)
  })

  it.each(prototypeNames)("a workflow named %s is not found, whatever the call", async (name) => {
    await expectCode(engine.createCase(name, { title: "t" }, A.officer), "CIVICASE_E_WORKFLOW_NOT_FOUND")
    expect(() => engine.workflow(name)).toThrow(expect.objectContaining({ code: "CIVICASE_E_WORKFLOW_NOT_FOUND" }))
    expect(() => engine.workflow(name, 1)).toThrow(expect.objectContaining({ code: "CIVICASE_E_WORKFLOW_NOT_FOUND" }))
    expect((await engine.listCases({ workflow: name, state: name, agency: name }, A.coordinator)).items).toEqual([])
    expect(await engine.reports.sla({ workflow: name, agency: name }, A.coordinator)).toEqual([])
  })

  it.each(prototypeNames)("an actor whose agency or role is named %s reads no case and may not send", async (name) => {
    const c = await engine.createCase("demo", { title: "t" }, A.officer)
    const odd = { id: name, province: "demo", agency: name, roles: [name] }
    await expectCode(engine.getCase(c.id, odd), "CIVICASE_E_CASE_NOT_FOUND")
    await expectCode(engine.send(c.id, { type: "NOTE", payload: { text: "x" } }, odd), "CIVICASE_E_CASE_NOT_FOUND")
    await unchanged(c.id, 1)
  })

  it("takes prototype names as ordinary data in payloads and inputs", async () => {
    const c = await engine.createCase("demo", { title: "constructor" }, A.officer)
    const sent = await engine.send(c.id, { type: "NOTE", payload: { text: "__proto__" } }, A.officer)
    expect(sent.context.notes).toEqual(["__proto__"])
    const v = await expectCode(engine.send(c.id, { type: "NOTE", payload: { text: "x", toString: "y" } }, A.officer), "CIVICASE_E_VALIDATION")
    expect(v.issues.map((i: { path: string }) => i.path)).toEqual(["/toString"])
  })

  it("refuses an own __proto__ key anywhere in a payload, naming its path", async () => {
    const c = await engine.createCase("demo", { title: "t" }, A.officer)
    const payload = JSON.parse('{"text":"x","deep":{"__proto__":{"admin":true}}}')
    const v = await expectCode(engine.send(c.id, { type: "NOTE", payload }, A.officer), "CIVICASE_E_VALIDATION")
    expect(v.issues).toEqual([{ path: "/deep/__proto__", message: expect.stringContaining("__proto__") }])
    await unchanged(c.id, 1)
  })

  describe("input limits, enforced by the engine itself", () => {
    const L = defaultInputLimits

    it("documents sensible defaults", () => {
      expect(L).toEqual({ maxDepth: 32, maxKeys: 256, maxItems: 1000, maxNodes: 10_000, maxStringLength: 100_000, maxKeyLength: 200 })
    })

    it("refuses a payload nested 5,000 deep with a ValidationError naming the path, not a stack overflow", async () => {
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      const v = await expectCode(engine.send(c.id, { type: "NOTE", payload: { text: "x", deep: nested(5000) } }, A.officer), "CIVICASE_E_VALIDATION")
      expect(v.issues).toEqual([{ path: `/deep${"/a".repeat(L.maxDepth - 1)}`, message: `nests deeper than ${L.maxDepth} levels` }])
      await unchanged(c.id, 1)
    })

    it("refuses case input nested 5,000 deep, and arrays nested as deep", async () => {
      const v = await expectCode(engine.createCase("demo", { title: "t", deep: nested(5000) }, A.officer), "CIVICASE_E_VALIDATION")
      expect(v.issues[0].path).toBe(`/deep${"/a".repeat(L.maxDepth - 1)}`)
      let arrays: unknown = 1
      for (let i = 0; i < 5000; i++) arrays = [arrays]
      const w = await expectCode(engine.createCase("demo", { title: "t", arrays }, A.officer), "CIVICASE_E_VALIDATION")
      expect(w.issues[0].path).toBe(`/arrays${"/0".repeat(L.maxDepth - 1)}`)
    })

    it("accepts the deepest nesting allowed", async () => {
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      // The payload object itself is level 1; NOTE refuses the extra member by schema, after the shape passed.
      const v = await expectCode(engine.send(c.id, { type: "NOTE", payload: { text: "x", deep: nested(L.maxDepth - 1) } }, A.officer), "CIVICASE_E_VALIDATION")
      expect(v.issues.map((i: { path: string }) => i.path)).toEqual(["/deep"])
    })

    it("refuses too many keys, items, values, and too long strings and keys, each by path", async () => {
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      const cases: Array<[unknown, string, RegExp]> = [
        [{ text: "x", wide: Object.fromEntries(Array.from({ length: L.maxKeys + 1 }, (_, i) => [`k${i}`, i])) }, "/wide", /has 257 keys; at most 256/],
        [{ text: "x", list: Array.from({ length: L.maxItems + 1 }, () => 0) }, "/list", /has 1001 items; at most 1000/],
        [{ text: "x".repeat(L.maxStringLength + 1) }, "/text", /is 100001 characters long; at most 100000/],
        [{ text: "x", ["k".repeat(L.maxKeyLength + 1)]: 1 }, "/", /has a key of 201 characters; at most 200/],
        [{ text: "x", many: Array.from({ length: 20 }, () => Array.from({ length: 600 }, () => 0)) }, "/many", /more than 10000 values/],
      ]
      for (const [payload, path, message] of cases) {
        const v = await expectCode(engine.send(c.id, { type: "NOTE", payload }, A.officer), "CIVICASE_E_VALIDATION")
        expect(v.issues[0].path.startsWith(path), `${v.issues[0].path} under ${path}`).toBe(true)
        expect(v.issues[0].message).toMatch(message)
      }
      await unchanged(c.id, 1)
    })

    it("refuses values that are not JSON (functions, bigints, symbols, non-finite numbers) by path", async () => {
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      for (const [value, message] of [
        [() => 1, /must be JSON/],
        [10n, /must be JSON/],
        [Symbol("s"), /must be JSON/],
        [Number.NaN, /finite number/],
        [Number.POSITIVE_INFINITY, /finite number/],
      ] as Array<[unknown, RegExp]>) {
        const v = await expectCode(engine.send(c.id, { type: "NOTE", payload: { text: "x", odd: [value] } }, A.officer), "CIVICASE_E_VALIDATION")
        expect(v.issues[0]).toEqual({ path: "/odd/0", message: expect.stringMatching(message) })
      }
      await unchanged(c.id, 1)
    })

    it("refuses a cyclic payload by its depth instead of looping", async () => {
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      const cyclic: Record<string, unknown> = { text: "x" }
      cyclic.self = cyclic
      const v = await expectCode(engine.send(c.id, { type: "NOTE", payload: cyclic }, A.officer), "CIVICASE_E_VALIDATION")
      expect(v.issues[0].message).toMatch(/nests deeper/)
    })

    it("still finds NUL and lone surrogates deep inside, with every path", async () => {
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      const v = await expectCode(engine.send(c.id, { type: "NOTE", payload: { text: "a\u0000", d: nested(20, "\ud800") } }, A.officer), "CIVICASE_E_VALIDATION")
      expect(v.issues.map((i: { path: string }) => i.path)).toEqual(["/text", `/d${"/a".repeat(20)}`])
    })

    it("takes its limits from the engine options, and refuses bad ones", async () => {
      const strict = createEngine({ store: pglite(), workflows: [demoWorkflow], scheduler: false, logger: silentLogger, inputLimits: { maxDepth: 2 } })
      try {
        const c = await strict.createCase("demo", { title: "t" }, A.officer)
        const v = await expectCode(strict.send(c.id, { type: "NOTE", payload: { text: "x", d: { e: {} } } }, A.officer), "CIVICASE_E_VALIDATION")
        expect(v.issues[0]).toEqual({ path: "/d/e", message: "nests deeper than 2 levels" })
      } finally {
        await strict.close()
      }
      expect(() => createEngine({ store: pglite(), inputLimits: { maxDepth: 0 } })).toThrow(expect.objectContaining({ code: "CIVICASE_E_INVALID_CONFIG" }))
    })

    it("refuses list filters of the wrong type or length instead of failing on them", async () => {
      for (const [filter, path] of [
        [{ state: 5 }, "/state"],
        [{ workflow: "w".repeat(101) }, "/workflow"],
        [{ agency: ["a"] }, "/agency"],
        [{ overdue: "yes" }, "/overdue"],
        [{ cursor: 7 }, "/cursor"],
      ] as Array<[object, string]>) {
        const v = await expectCode(engine.listCases(filter as never, A.coordinator), "CIVICASE_E_VALIDATION")
        expect(v.issues.map((i: { path: string }) => i.path)).toContain(path)
      }
    })
  })
})
