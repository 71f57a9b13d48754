import { fileURLToPath } from "node:url"
import { type Actor, type CaseView, type Engine, type WorkflowDefinition, compileSchema, createEngine, defaultProvinceWideRoles, isCivicaseError, silentLogger, testClock } from "@civicase/core"
import { pglite } from "@civicase/adapters"
import { type Province, loadProvince, provinceEngineOptions, provinceFiles } from "@civicase/workflows"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { actorOf, departmentOf, monday } from "./scenario-fixtures.js"

/**
 * The authorization matrix: every event (and the start) of every workflow, by
 * every role × agency × province the province files name, on an engine
 * serving one province with `provinceEngineOptions`. Nothing is listed by
 * hand: the rows come from the definitions, the columns from the files, and
 * the expected answer from the rules of docs/authorization.md applied to the
 * file. Each event is sent with a payload no schema accepts, so a cell the
 * rules permit answers `CIVICASE_E_VALIDATION` (it got past authorization)
 * and writes nothing either way.
 */

const laoCai = fileURLToPath(new URL("../../../examples/another-province/lao-cai.json", import.meta.url))
const provinces: ReadonlyArray<Province> = [loadProvince(provinceFiles.vinhPhuc), loadProvince(provinceFiles.daNang), loadProvince(laoCai)]

/** Every role any file gives (so a custom role of one province is tried in the others), and the reserved one. */
const roles = [...new Set([...provinces.flatMap((p) => Object.keys(p.roles)), "system"])].sort()
/** A payload (and a case input) no event schema accepts: an unknown member. */
const probe = { "matrix-probe": true }
const PERMITTED = "CIVICASE_E_VALIDATION"

type Parties = CaseView["parties"]

/** What the rules of docs/authorization.md say `actor` gets, before any payload check, for `event` (undefined: the start) on a case with `parties`. */
function expected(province: Province, def: WorkflowDefinition, event: string | undefined, parties: Parties | undefined, actor: Actor): string {
  const [role] = actor.roles as [string]
  const active = province.agencies.filter((a) => !a.retired).map((a) => a.id)
  if (actor.province !== province.id || role === "system" || !active.includes(actor.agency)) return "CIVICASE_E_UNKNOWN_ACTOR"
  const holders = province.roles[role] ?? []
  if (!holders.includes("*") && !holders.includes(actor.agency)) return "CIVICASE_E_ROLE_NOT_HELD"
  const wide = (province.provinceWideRoles ?? defaultProvinceWideRoles).includes(role)
  const party = (a: string) => a === parties?.owner || a === parties?.lead || (parties?.cooperating ?? []).includes(a)
  if (parties && !wide && !party(actor.agency)) return "CIVICASE_E_CASE_NOT_FOUND"
  const permission = event === undefined ? def.start : def.permissions[event]!
  if (permission.roles.length > 0 && !permission.roles.includes(role)) return "CIVICASE_E_FORBIDDEN"
  if (!parties) return PERMITTED
  const rule = permission.agency ?? "party"
  const allowed =
    rule === "any" ||
    (rule === "party" && (wide || party(actor.agency))) ||
    (rule === "owner" && actor.agency === parties.owner) ||
    (rule === "lead" && actor.agency === parties.lead) ||
    (rule === "cooperating" && parties.cooperating.includes(actor.agency))
  return allowed ? PERMITTED : "CIVICASE_E_FORBIDDEN"
}

const outcome = (call: Promise<unknown>): Promise<string> =>
  call.then(
    () => "ACCEPTED AND WRITTEN",
    (e: unknown) => (isCivicaseError(e) ? e.code : `not a civicase error: ${(e as Error).message}`),
  )

/** One open case of each workflow, with its parties set (the lead of a press response comes from triage). */
async function openCases(engine: Engine, province: Province): Promise<Map<string, CaseView>> {
  const lead = departmentOf(province, 0)
  const other = departmentOf(province, 1, [lead])
  const officer = actorOf(province, "agency_officer", lead)
  const coordinator = actorOf(province, "coordinator")
  const press = province.workflows["press-response"] as { categories: Array<{ id: string }> }
  const award = (province.workflows.commendation as { awards: Array<{ id: string }> }).awards[0]!.id
  const cases = new Map<string, CaseView>()
  cases.set("plan", await engine.createCase("plan", { title: "Kế hoạch TTĐN 2025", year: 2025 }, officer))
  cases.set("coordination", await engine.createCase("coordination", { topic: "Quảng bá hình ảnh tỉnh", lead, cooperating: [other], dueDate: "2025-03-31" }, coordinator))
  const reported = await engine.createCase("press-response", { kind: "false_information", summary: "Tin sai về dự án", suspectedSeverity: "high" }, actorOf(province, "agency_officer", other))
  const triage = { severity: "high", category: press.categories[0]!.id, responsibleAgency: lead }
  cases.set("press-response", await engine.send(reported.id, { type: "TRIAGE", payload: triage }, coordinator))
  const subject = { name: "Trang tin X", agency: departmentOf(province, 2, [lead, other]) }
  cases.set("violation", await engine.createCase("violation", { source: "monitoring", summary: "Tin sai lệch", subject }, coordinator))
  const nominee = { name: "Hội người Việt tại Viêng Chăn", kind: "overseas_community", country: "LA" }
  cases.set("commendation", await engine.createCase("commendation", { nominee, achievements: ["Quảng bá hình ảnh tỉnh"], awardType: award }, officer))
  return cases
}

describe.each(provinces.map((p) => [p.id, p] as const))("authorization matrix of an engine serving %s", (_id, province) => {
  let engine: Engine
  let cases: Map<string, CaseView>
  /** Every actor of the matrix: each role, alone, in each agency of each province (retired ones too) and in one no file has. */
  const actors: Actor[] = provinces.flatMap((p) =>
    [...p.agencies.map((a) => a.id), "khong-co-co-quan-nay"].flatMap((agency) => roles.map((role) => ({ id: `${role}@${agency}`, province: p.id, agency, roles: [role] }))),
  )

  // The version new cases start on, of each workflow: the open cases below are of it (earlier versions keep their own tested permissions).
  const current = () => engine.workflows().filter((d) => !engine.workflows().some((o) => o.id === d.id && o.version > d.version))

  beforeAll(async () => {
    engine = createEngine({ store: pglite(), ...provinceEngineOptions(province), clock: testClock(monday), scheduler: false, logger: silentLogger })
    cases = await openCases(engine, province)
  })
  afterAll(async () => {
    await engine.close()
  })

  it("has the cells it claims: every workflow, a probe no schema accepts, and each kind of answer", () => {
    expect([...cases.keys()].sort()).toEqual(current().map((d) => d.id).sort())
    for (const def of current()) {
      expect(def.checkInput(probe), `${def.id} input`).not.toEqual([])
      for (const type of Object.keys(def.permissions)) expect(compileSchema(def.events[type]!)(probe), `${def.id} ${type}`).not.toEqual([])
    }
    const answers = new Set(actors.flatMap((a) => current().flatMap((def) => Object.keys(def.permissions).map((type) => expected(province, def, type, cases.get(def.id)!.parties, a)))))
    expect([...answers].sort()).toEqual(["CIVICASE_E_CASE_NOT_FOUND", "CIVICASE_E_FORBIDDEN", "CIVICASE_E_ROLE_NOT_HELD", "CIVICASE_E_UNKNOWN_ACTOR", PERMITTED])
  })

  it("answers every event of every workflow, and every start, as the province file says, and a refusal changes nothing", { timeout: 600_000 }, async () => {
    const system = engine.access.systemActor(province.id)
    const footprint = async () =>
      Promise.all([...cases.values()].map(async (c) => ({ id: c.id, rev: (await engine.getCase(c.id, system)).rev, history: (await engine.history(c.id, system)).length })))
    const before = await footprint()
    const total = (await engine.listCases({}, system)).items.length
    const wrong: string[] = []
    let cells = 0
    for (const def of current()) {
      const c = cases.get(def.id)!
      for (const actor of actors) {
        const cell = `${province.id} ${def.id} ${actor.province}/${actor.agency}/${actor.roles[0]}`
        const start = expected(province, def, undefined, undefined, actor)
        const started = await outcome(engine.createCase(def.id, probe, actor))
        if (started !== start) wrong.push(`${cell} start: ${started}, expected ${start}`)
        for (const type of Object.keys(def.permissions)) {
          cells++
          const want = expected(province, def, type, c.parties, actor)
          const got = await outcome(engine.send(c.id, { type, payload: probe }, actor))
          if (got !== want) wrong.push(`${cell} ${type}: ${got}, expected ${want}`)
        }
      }
    }
    expect(wrong).toEqual([])
    expect(cells).toBeGreaterThan(10_000)
    expect(await footprint()).toEqual(before)
    expect((await engine.listCases({}, system)).items).toHaveLength(total)
  })

  it("shows each actor a case, and its allowed events, only as the same rules permit", async () => {
    const wrong: string[] = []
    for (const def of current()) {
      const c = cases.get(def.id)!
      for (const actor of actors) {
        const refusal = expected(province, def, undefined, c.parties, actor)
        const read = await engine.getCase(c.id, actor).then(
          (view) => view,
          (e: { code: string }) => e.code,
        )
        const seen = typeof read === "string" ? read : "SEEN"
        const want = ["CIVICASE_E_UNKNOWN_ACTOR", "CIVICASE_E_ROLE_NOT_HELD", "CIVICASE_E_CASE_NOT_FOUND"].includes(refusal) ? refusal : "SEEN"
        if (seen !== want) wrong.push(`${def.id} ${actor.id} of ${actor.province}: ${seen}, expected ${want}`)
        if (typeof read !== "string") {
          const notPermitted = read.allowedEvents.filter((type) => expected(province, def, type, c.parties, actor) !== PERMITTED)
          if (notPermitted.length) wrong.push(`${def.id} ${actor.id}: allowed ${notPermitted.join(", ")} without permission`)
        }
      }
    }
    expect(wrong).toEqual([])
  })
})
