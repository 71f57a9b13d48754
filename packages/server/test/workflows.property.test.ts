import { pglite } from "@civicase/adapters"
import { type Actor, type Engine, type WorkflowDefinition, createEngine, ownValue, silentLogger, testClock } from "@civicase/core"
import { buildServer, devTokens } from "@civicase/server"
import { loadProvince, provinceEngineOptions, provinceFiles } from "@civicase/workflows"
import fc from "fast-check"
import { sql } from "kysely"
import type { FastifyInstance } from "fastify"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { answerProblems, fuzzRuns, storedState, timeoutFor } from "./property-checks.js"
import { ResponseLog, undeclared } from "./response-log.js"
import { valueOf } from "./schema-arbitrary.js"

const province = loadProvince(provinceFiles.vinhPhuc)
const prototypeNames = Object.getOwnPropertyNames(Object.prototype)
const RUNS = fuzzRuns(300)

/** Agencies that stand in for a `"*"` holder: a department, a city, the lead department. */
const anyAgency = ["so-vhttdl", "so-khdt", "tp-vinh-yen", "so-tttt"]

/** One actor per role and agency that may hold it in Vĩnh Phúc. */
const rightful: Actor[] = Object.entries(province.roles).flatMap(([role, holders]) =>
  holders.flatMap((h) => (h === "*" ? anyAgency : [h])).map((agency) => ({ id: `${role}@${agency}`, province: "vinh-phuc", agency, roles: [role] })),
)

/** Actors that should get nowhere: another province, unknown or mismatched agency and role, prototype names, the system role. */
const wrongful: Actor[] = [
  { id: "dn-1", province: "da-nang", agency: "so-tttt", roles: ["coordinator"] },
  { id: "w-1", province: "vinh-phuc", agency: "khong-ton-tai", roles: ["agency_officer"] },
  { id: "w-2", province: "vinh-phuc", agency: "so-khdt", roles: ["coordinator_head"] },
  { id: "w-3", province: "vinh-phuc", agency: "so-tttt", roles: ["no_such_role"] },
  { id: "w-4", province: "vinh-phuc", agency: "__proto__", roles: ["constructor", "toString"] },
  { id: "w-5", province: "vinh-phuc", agency: "so-tttt", roles: ["system"] },
  { id: "w-6", province: "vinh-phuc", agency: "so-tttt", roles: [] },
]

/**
 * An actor for a call that needs one of `roles`: mostly one who holds one,
 * at an agency that is a party to the case or holds the role; sometimes
 * anyone of the province; sometimes one who should get nowhere.
 */
function actorFor(roles: ReadonlyArray<string>, parties: ReadonlyArray<string> = []): fc.Arbitrary<Actor> {
  const holders = rightful.filter((a) => roles.length === 0 || a.roles.some((r) => roles.includes(r)))
  const arbitraries = [
    { weight: 4, arbitrary: fc.constantFrom(...(holders.length ? holders : rightful)) },
    { weight: 2, arbitrary: fc.constantFrom(...rightful) },
    { weight: 1, arbitrary: fc.constantFrom(...wrongful) },
  ]
  if (roles.length && parties.length) {
    const party = fc.tuple(fc.constantFrom(...roles), fc.constantFrom(...parties)).map(([role, agency]): Actor => ({ id: `${role}@${agency}`, province: "vinh-phuc", agency, roles: [role] }))
    arbitraries.push({ weight: 6, arbitrary: party })
  }
  return fc.oneof(...arbitraries)
}

/** Decision metadata for the decision document each case of a workflow that names documents holds. */
const decision = { number: "125", notation: "QĐ-UBND", documentType: "Quyết định", signer: { name: "Trần Văn Bình", position: "Phó Chủ tịch UBND tỉnh" }, issuedOn: "2025-01-06" }

/**
 * A payload whose document fields (the workflow's `documents` option for the
 * event; top-level pointers) name mostly the case's decision document,
 * sometimes its plain one or an id no document has: a payload drawn from the
 * schema alone would name no document and never pass.
 */
function withDocuments(
  payload: unknown,
  schema: WorkflowDefinition["input"],
  refs: Readonly<Record<string, unknown>> | undefined,
  docs: { decision: string; plain: string } | undefined,
): fc.Arbitrary<unknown> {
  if (!refs || !docs || payload === null || typeof payload !== "object" || Array.isArray(payload)) return fc.constant(payload)
  const id = fc.oneof({ weight: 6, arbitrary: fc.constant(docs.decision) }, { weight: 1, arbitrary: fc.constant(docs.plain) }, { weight: 1, arbitrary: fc.uuid() })
  const names = Object.keys(refs).map((pointer) => pointer.slice(1)).filter((name) => !name.includes("/"))
  const fields = names.map((name) => {
    const property = Object.entries((schema?.properties ?? {}) as Record<string, { type?: unknown }>).find(([k]) => k === name)?.[1]
    const value: fc.Arbitrary<string | string[]> = property?.type === "array" ? fc.uniqueArray(id, { minLength: 1, maxLength: 2 }) : id
    return fc.option(value, { nil: undefined, freq: 8 }).map((value) => [name, value] as const)
  })
  return fc.tuple(...fields).map((entries) => ({ ...payload, ...Object.fromEntries(entries.filter(([, v]) => v !== undefined)) }))
}

/** A payload or input: mostly one that fits the schema, sometimes anything. */
function dataFor(schema: WorkflowDefinition["input"]): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 8, arbitrary: valueOf(schema) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) }, { weight: 1, arbitrary: fc.object({ maxDepth: 2 }) })
}

describe("property: event sequences of the five workflows (Vĩnh Phúc) with random actors", () => {
  const clock = testClock(new Date("2025-01-06T02:00:00.000Z"))
  let engine: Engine
  let app: FastifyInstance
  let log: ResponseLog
  const dev = devTokens({ now: () => clock.now() })
  const definitions = new Map<string, WorkflowDefinition>()

  beforeAll(async () => {
    engine = createEngine({ store: pglite(), ...provinceEngineOptions(province), clock, scheduler: false, logger: silentLogger })
    await engine.start()
    app = await buildServer({ engine, auth: dev.auth, province: "vinh-phuc", rateLimit: false, now: () => clock.now() })
    log = new ResponseLog(app)
    for (const def of engine.workflows()) definitions.set(def.id, def)
  })
  afterAll(async () => {
    await app.close()
    await engine.close()
  })

  /** Sends one request (with a token minted now: the runs move the clock by days) and checks what must hold of every answer, and of a refused one. */
  const call = async (method: "GET" | "POST", url: string, actor: Actor, payload?: unknown) => {
    const before = await storedState(engine)
    const res = await app.inject({ method, url, headers: { authorization: `Bearer ${await dev.mint(actor)}` }, ...(payload === undefined ? {} : { payload: payload as object }) })
    log.record(method, res)
    expect(answerProblems(method, res), `${method} ${url} as ${actor.id}`).toEqual([])
    if (res.statusCode >= 400) expect(await storedState(engine), `${method} ${url} → ${res.statusCode} changed stored state`).toBe(before)
    return res
  }

  const verifies = async (ids: Iterable<string>) => {
    for (const id of ids) expect(await engine.verify(id, rightful.find((a) => a.roles.includes("coordinator"))!), `case ${id} verifies`).toMatchObject({ ok: true })
  }

  it("no 5xx; every error a registered problem; a refused request changes nothing; every committed case verifies", async () => {
    const committed = new Map<string, number>()
    const seen = new Map<number, number>()
    const workflowIds = [...definitions.keys()]
    expect(workflowIds.sort()).toEqual(["commendation", "coordination", "plan", "press-response", "violation"])
    await fc.assert(
      fc.asyncProperty(fc.gen(), async (g) => {
        // Earlier runs' cases are not looked at again: dropping their timers keeps a wait in this run to this run's
        // deadlines, so a long FUZZ_RUNS costs time in proportion to its runs instead of their square.
        await sql`delete from civicase_timers`.execute(engine.db)
        const def = definitions.get(g(fc.constantFrom, ...workflowIds))!
        const created = await call("POST", "/v1/cases", g(() => actorFor(def.start.roles)), { workflow: def.id, input: g(() => dataFor(def.input)) })
        seen.set(created.statusCode, (seen.get(created.statusCode) ?? 0) + 1)
        if (created.statusCode !== 201) return
        const id = created.json().id as string
        const touched = new Set([id])
        // Cases of workflows whose events name documents hold a decision and a plain file to name.
        const docs = def.documents
          ? {
              decision: (await engine.attachDocument(id, { name: "qd.pdf", mediaType: "application/pdf", bytes: new TextEncoder().encode("%PDF qd"), decision }, engine.access.systemActor("vinh-phuc"))).id,
              plain: (await engine.attachDocument(id, { name: "tep.pdf", mediaType: "application/pdf", bytes: new TextEncoder().encode("%PDF tep") }, engine.access.systemActor("vinh-phuc"))).id,
            }
          : undefined
        await verifies(touched)
        const steps = g(fc.integer, { min: 1, max: 8 })
        for (let step = 0; step < steps; step++) {
          if (g(fc.integer, { min: 0, max: 9 }) === 0) {
            // Let deadlines fall due: their timers commit as the system actor.
            await engine.testing.advanceTime(g(fc.constantFrom, "PT1H", "P1D", "P3D", "P10D", "P40D"))
            await verifies(touched)
            continue
          }
          // What the state accepts, whoever may send it: the system actor passes every permission.
          const now = await engine.getCase(id, engine.access.systemActor("vinh-phuc"))
          if (now.status === "done") break
          const parties = [now.parties.owner, ...(now.parties.lead ? [now.parties.lead] : []), ...now.parties.cooperating]
          const type = g(() =>
            fc.oneof(
              ...(now.allowedEvents.length ? [{ weight: 12, arbitrary: fc.constantFrom(...now.allowedEvents) }] : []),
              { weight: 3, arbitrary: fc.constantFrom(...Object.keys(def.events)) },
              { weight: 1, arbitrary: fc.constantFrom(...prototypeNames, "case.created", "xstate.after.0.x", "agency.succeeded") },
              { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) },
            ),
          )
          const expectedRev = g(() => fc.option(fc.constantFrom(now.rev, now.rev, 1, 99), { nil: undefined, freq: 3 }))
          const res = await call("POST", `/v1/cases/${id}/events`, g(() => actorFor(ownValue(def.permissions, type)?.roles ?? [], parties)), {
            type,
            payload: g(() => dataFor(ownValue(def.events, type)).chain((p) => withDocuments(p, ownValue(def.events, type), ownValue(def.documents ?? {}, type), docs))),
            ...(expectedRev === undefined ? {} : { expectedRev }),
          })
          seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1)
          if (res.statusCode === 200) {
            committed.set(def.id, (committed.get(def.id) ?? 0) + 1)
            await verifies(touched)
          }
        }
      }),
      { numRuns: RUNS },
    )
    // The runs moved every workflow past its first state and met refusals of each kind.
    expect([...committed.keys()].sort(), `events committed per workflow: ${[...committed].join(" ")}`).toEqual(workflowIds.sort())
    for (const status of [200, 201, 400, 401, 403, 409]) expect([...seen.keys()], `statuses seen: ${[...seen].join(" ")}`).toContain(status)
    expect(undeclared(app.swagger(), log.observed())).toEqual([])
  }, timeoutFor(RUNS, 1000))
})
