import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { initialTransition, transition } from "xstate"
import { pglite } from "@civicase/adapters"
import { type Engine, type InvalidConfigError, compileSchema, createEngine, silentLogger, testClock } from "@civicase/core"
import { expectCode } from "@civicase/core/testing"
import {
  type CommendationConfig,
  type Province,
  applySuccession,
  commendationWorkflow,
  coordinationWorkflow,
  loadProvince,
  planSuccession,
  planWorkflow,
  pressResponseWorkflow,
  provinceEngineOptions,
  successionsOf,
  violationWorkflow,
  workflows,
} from "@civicase/workflows"
import { attachFile } from "./scenario-fixtures.js"
import { people, person, vinhPhuc } from "./support.js"

/**
 * Version 2 of Vĩnh Phúc after the 2025 reform removed the district level:
 * Tam Đảo district is merged into Vĩnh Yên city, and Bình Xuyên into Tam Đảo
 * (a chain, so its cases must end at Vĩnh Yên, never at a retired agency).
 */
function vinhPhucV2(changes: Record<string, { on: string; successor: string }> = {}): Province {
  const retire: Record<string, { on: string; successor: string }> = {
    "huyen-tam-dao": { on: "2025-07-01", successor: "tp-vinh-yen" },
    "huyen-binh-xuyen": { on: "2025-07-01", successor: "huyen-tam-dao" },
    ...changes,
  }
  const copy = structuredClone(vinhPhuc) as any
  copy.version = 2
  copy.agencies = copy.agencies.map((a: any) => (retire[a.id] ? { ...a, retired: retire[a.id] } : a))
  return copy
}

const reason = "Nghị quyết của UBTVQH về sắp xếp đơn vị hành chính cấp xã năm 2025: huyện Tam Đảo nhập vào thành phố Vĩnh Yên"
const tdOfficer = person("td-1", "huyen-tam-dao", "agency_officer")
const tdHead = person("td-ct", "huyen-tam-dao", "agency_head")
const vyOfficer = person("vy-1", "tp-vinh-yen", "agency_officer")
const vyHead = people.vyHead
const { coordinator, coordinatorHead } = people

describe("configuration checks for retired agencies", () => {
  it("loads version 2 and resolves the chain Bình Xuyên → Tam Đảo → Vĩnh Yên to the final successor", () => {
    const v2 = loadProvince(vinhPhucV2())
    expect(successionsOf(v2)).toEqual([
      { from: "huyen-binh-xuyen", to: "tp-vinh-yen" },
      { from: "huyen-tam-dao", to: "tp-vinh-yen" },
    ])
    expect(planSuccession(vinhPhuc, v2)).toEqual(successionsOf(v2))
    // Agencies retired by an earlier version are not part of this version's plan.
    const v3 = { ...structuredClone(v2), version: 3 } as Province
    expect(planSuccession(v2, v3)).toEqual([])
  })

  it("refuses a successor that does not exist, a cycle, and a role held by a retired agency, each by path", () => {
    const unknown = expectIssues(() => loadProvince(vinhPhucV2({ "huyen-tam-dao": { on: "2025-07-01", successor: "tp-tam-dao" } })))
    expect(unknown).toContainEqual({ path: "/agencies/20/retired/successor", message: 'names the unknown agency "tp-tam-dao"' })

    const cycle = expectIssues(() => loadProvince(vinhPhucV2({ "huyen-tam-dao": { on: "2025-07-01", successor: "huyen-binh-xuyen" } })))
    expect(cycle).toEqual(
      expect.arrayContaining([
        { path: "/agencies/16/retired/successor", message: "the successors form a cycle: huyen-binh-xuyen → huyen-tam-dao → huyen-binh-xuyen" },
        { path: "/agencies/20/retired/successor", message: "the successors form a cycle: huyen-tam-dao → huyen-binh-xuyen → huyen-tam-dao" },
      ]),
    )

    const retiredHolder = expectIssues(() => loadProvince(vinhPhucV2({ "so-noi-vu": { on: "2025-03-01", successor: "so-tttt" } })))
    expect(retiredHolder).toContainEqual({ path: "/roles/council_secretary/0", message: 'names the retired agency "so-noi-vu"; give the role to its successor "so-tttt"' })
  })

  it("refuses to plan a version that drops an agency, is not newer, or belongs to another province", () => {
    const v2 = structuredClone(vinhPhucV2()) as any
    v2.agencies = v2.agencies.filter((a: any) => a.id !== "huyen-song-lo")
    expect(expectIssues(() => planSuccession(vinhPhuc, v2))).toContainEqual({
      path: "/agencies",
      message: 'drops the agency "huyen-song-lo" of version 1; keep it with "retired": { "on", "successor" } so its cases move',
    })
    expect(expectIssues(() => planSuccession(vinhPhuc, { ...vinhPhuc, id: "da-nang" } as Province))).toEqual([
      { path: "/id", message: 'is "da-nang", but the earlier version is of "vinh-phuc"' },
      { path: "/version", message: "must be above the earlier version 1, got 1" },
    ])
  })
})

function expectIssues(run: () => unknown): InvalidConfigError["issues"] {
  try {
    run()
  } catch (e) {
    expect((e as InvalidConfigError).code).toBe("CIVICASE_E_INVALID_CONFIG")
    return (e as InvalidConfigError).issues
  }
  throw new Error("expected an InvalidConfigError")
}

describe("AGENCY_SUCCEEDED in each machine: moves the agency, records it, changes no state", () => {
  const v2 = loadProvince(vinhPhucV2())
  const event = (from: string) => ({ type: "AGENCY_SUCCEEDED", payload: { from, to: "tp-vinh-yen", reason, configVersion: 2 }, actor: coordinatorHead })
  const start = (def: { machine: any }, input: unknown, actor = tdOfficer) =>
    initialTransition(def.machine, { input, actor, caseId: "00000000-0000-4000-8000-000000000009", now: "2025-03-03T02:00:00.000Z" })[0]
  const cases = [
    { def: planWorkflow(v2), input: { title: "Kế hoạch TTĐN 2025", year: 2025 }, actor: tdOfficer, named: (c: any) => c.owner },
    {
      def: coordinationWorkflow(vinhPhuc),
      input: { topic: "Quảng bá du lịch Tam Đảo", lead: "huyen-tam-dao", cooperating: ["so-ngoai-vu"], dueDate: "2025-03-31" },
      actor: coordinator,
      named: (c: any) => [c.lead, Object.keys(c.agencies)],
    },
    { def: pressResponseWorkflow(v2), input: { kind: "incident", summary: "Sạt lở tại Tam Đảo" }, actor: tdOfficer, named: (c: any) => c.reportedBy.agency },
    {
      def: violationWorkflow(v2),
      input: { source: "complaint", summary: "Trang tin sai phép", subject: { name: "Trang tin X", agency: "tp-vinh-yen" } },
      actor: tdOfficer,
      named: (c: any) => [c.reportedBy.agency, c.report.subject.agency],
    },
    {
      def: commendationWorkflow(v2),
      input: {
        nominee: { name: "Hội người Việt tại Lào", kind: "overseas_community" },
        achievements: ["Quảng bá Tam Đảo"],
        awardType: (v2.workflows.commendation as CommendationConfig).awards[0]!.id,
      },
      actor: tdOfficer,
      named: (c: any) => c.nominatedBy.agency,
    },
  ]

  it.each(cases.map((c) => [c.def.id, c] as const))("%s", (_id, { def, input, actor, named }) => {
    const before = start(def, input, actor)
    const [after, actions] = transition(def.machine, before, event("huyen-tam-dao") as any)
    expect(after.value).toEqual(before.value)
    expect(actions.filter((a: any) => a.type === "xstate.raise" || a.type === "xstate.cancel")).toEqual([])
    expect(JSON.stringify(named(after.context))).not.toContain("huyen-tam-dao")
    expect(JSON.stringify(named(after.context))).toContain("tp-vinh-yen")
    expect(after.context.successions).toEqual([{ from: "huyen-tam-dao", to: "tp-vinh-yen", reason, by: coordinatorHead.id, configVersion: 2 }])
    // A case that does not name the agency refuses the hand-over.
    expect(before.can(event("huyen-song-lo") as any)).toBe(false)
    expect(def.events.AGENCY_SUCCEEDED).toBeDefined()
    expect(def.permissions.AGENCY_SUCCEEDED).toEqual({ roles: ["coordinator_head"], agency: "any", worklist: false })
  })

  it("hands over a case started before hand-overs existed (its context has no successions)", () => {
    const def = planWorkflow(v2)
    const current = start(def, cases[0]!.input)
    const { successions: _none, ...context } = current.context
    const old = def.machine.resolveState({ value: current.value, context })
    const [after] = transition(def.machine, old, event("huyen-tam-dao") as any)
    expect(after.context.owner).toBe("tp-vinh-yen")
    expect(after.context.successions).toHaveLength(1)
  })

  it("coordination: a retired lead merged into a cooperating successor keeps the lead's part", () => {
    const def = coordinationWorkflow(vinhPhuc)
    const input = { topic: "Quảng bá du lịch Tam Đảo", lead: "huyen-tam-dao", cooperating: ["tp-vinh-yen"], dueDate: "2025-03-31" }
    const before = start(def, input, coordinator)
    const [after] = transition(def.machine, before, event("huyen-tam-dao") as any)
    expect(after.context.lead).toBe("tp-vinh-yen")
    expect(after.context.agencies).toEqual({ "tp-vinh-yen": { role: "lead", status: "assigned", by: null, contribution: null, reason: null } })
    // No cooperating agency is left waiting, so that region completes, as for a task assigned without any.
    expect(after.value).toEqual({ working: { lead: "assigned", cooperation: "complete", timeliness: "on_time" } })
  })
})

describe("applySuccession: open cases of a retired district move to its successor, through recorded events", () => {
  const dir = mkdtempSync(join(tmpdir(), "civicase-succession-"))
  const clock = testClock(new Date("2025-03-03T02:00:00.000Z"))
  const v2 = loadProvince(vinhPhucV2())
  const open = (province: Province) => createEngine({ store: pglite({ dataDir: dir }), workflows: workflows(province), clock, scheduler: false, logger: silentLogger })
  let engine: Engine
  const ids = { plan: "", coordination: "", commendation: "", closedPlan: "", otherPlan: "" }
  const before: Record<string, { state: string; rev: number; deadlines: unknown }> = {}

  beforeAll(async () => {
    // Version 1 is in force: Tam Đảo district has open cases in three workflows, and one closed.
    const v1 = open(vinhPhuc)
    ids.plan = (await v1.createCase("plan", { title: "Kế hoạch TTĐN huyện Tam Đảo 2025", year: 2025 }, tdOfficer)).id
    const task = await v1.createCase(
      "coordination",
      { topic: "Quảng bá du lịch Tam Đảo", lead: "so-vhttdl", cooperating: ["huyen-tam-dao", "so-ngoai-vu"], dueDate: "2025-03-31" },
      coordinator,
    )
    ids.coordination = (await v1.send(task.id, { type: "ACKNOWLEDGE", payload: {} }, tdHead)).id
    const award = (vinhPhuc.workflows.commendation as CommendationConfig).awards[0]!.id
    ids.commendation = (
      await v1.createCase("commendation", { nominee: { name: "Hội người Việt tại Lào", kind: "overseas_community" }, achievements: ["Quảng bá Tam Đảo"], awardType: award }, tdOfficer)
    ).id
    const closed = await v1.createCase("plan", { title: "Kế hoạch TTĐN huyện Tam Đảo 2024", year: 2024 }, tdOfficer)
    ids.closedPlan = (await v1.send(closed.id, { type: "CANCEL", payload: { reason: "Trùng kế hoạch", result: "Gộp vào kế hoạch 2025" } }, coordinatorHead)).id
    ids.otherPlan = (await v1.createCase("plan", { title: "Kế hoạch TTĐN Sở Văn hóa 2025", year: 2025 }, people.vhOfficer)).id
    for (const id of Object.values(ids)) {
      const c = await v1.getCase(id, coordinatorHead)
      before[id] = { state: c.state, rev: c.rev, deadlines: c.deadlines }
    }
    await v1.close()
    // Version 2 is published and the engine restarted on it.
    clock.advance("P1D")
    engine = open(v2)
  }, 120_000)

  afterAll(async () => {
    await engine?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it("hands every open case over with AGENCY_SUCCEEDED, leaves the closed one, and a second run moves nothing", async () => {
    const report = await applySuccession(engine, v2, coordinatorHead, { reason })
    expect(report.failed).toEqual([])
    expect(report.unchanged).toEqual([])
    expect(report.moved.map((m) => [m.workflow, m.caseId, m.from, m.to, m.rev]).sort()).toEqual(
      [
        ["commendation", ids.commendation, "huyen-tam-dao", "tp-vinh-yen", before[ids.commendation]!.rev + 1],
        ["coordination", ids.coordination, "huyen-tam-dao", "tp-vinh-yen", before[ids.coordination]!.rev + 1],
        ["plan", ids.plan, "huyen-tam-dao", "tp-vinh-yen", before[ids.plan]!.rev + 1],
      ].sort(),
    )

    const plan = await engine.getCase(ids.plan, coordinatorHead)
    expect(plan.parties).toEqual({ owner: "tp-vinh-yen", lead: null, cooperating: [] })
    const task = await engine.getCase(ids.coordination, coordinatorHead)
    expect(task.parties.cooperating).toEqual(["so-ngoai-vu", "tp-vinh-yen"])
    expect(task.context.agencies["tp-vinh-yen"]).toMatchObject({ role: "cooperating", status: "acknowledged", by: tdHead.id })
    const nomination = await engine.getCase(ids.commendation, coordinatorHead)
    expect(nomination.parties.owner).toBe("tp-vinh-yen")
    for (const c of [plan, task, nomination]) {
      // No state change and no deadline restarted.
      expect(c.state).toBe(before[c.id]!.state)
      expect(c.deadlines).toEqual(before[c.id]!.deadlines)
      expect(c.context.successions).toEqual([{ from: "huyen-tam-dao", to: "tp-vinh-yen", reason, by: coordinatorHead.id, configVersion: 2 }])
      const last = (await engine.history(c.id, coordinatorHead)).at(-1)!
      expect(last).toMatchObject({ type: "AGENCY_SUCCEEDED", payload: { from: "huyen-tam-dao", to: "tp-vinh-yen", reason, configVersion: 2 }, from: c.state, to: c.state })
      expect(last.actor.id).toBe(coordinatorHead.id)
    }

    const closed = await engine.getCase(ids.closedPlan, coordinatorHead)
    expect(closed.parties.owner).toBe("huyen-tam-dao")
    expect(closed.rev).toBe(before[ids.closedPlan]!.rev)
    expect((await engine.getCase(ids.otherPlan, coordinatorHead)).rev).toBe(before[ids.otherPlan]!.rev)

    const again = await applySuccession(engine, v2, coordinatorHead, { reason })
    expect(again).toEqual({ moved: [], failed: [], unchanged: [] })
    expect((await engine.getCase(ids.plan, coordinatorHead)).rev).toBe(before[ids.plan]!.rev + 1)
  })

  it("lets the successor's staff see and act on the cases, and no longer the retired agency's", async () => {
    const visible = (await engine.listCases({ status: "active" }, vyOfficer)).items.map((c) => c.id)
    expect(visible.sort()).toEqual([ids.commendation, ids.coordination, ids.plan].sort())
    expect((await engine.listCases({}, tdOfficer)).items.map((c) => c.id)).toEqual([ids.closedPlan])
    await expectCode(engine.getCase(ids.plan, tdOfficer), "CIVICASE_E_CASE_NOT_FOUND")
    await expectCode(engine.send(ids.commendation, { type: "SUBMIT_NOMINATION", payload: {} }, tdOfficer), "CIVICASE_E_CASE_NOT_FOUND")

    expect((await engine.send(ids.plan, { type: "SUBMIT", payload: {} }, vyHead)).state).toBe("approval")
    const proposal = await attachFile(engine, ids.commendation, vyOfficer, "to-trinh.pdf")
    expect((await engine.send(ids.commendation, { type: "SUBMIT_NOMINATION", payload: { documents: [proposal] } }, vyOfficer)).state).toBe("agency_review")
    const task = await engine.send(ids.coordination, { type: "CONTRIBUTE", payload: { contribution: "Tour Tam Đảo – Vĩnh Yên" } }, vyHead)
    expect(task.context.agencies["tp-vinh-yen"]).toMatchObject({ status: "contributed", contribution: "Tour Tam Đảo – Vĩnh Yên" })
  })

  it("refuses the event for a case that does not name the agency, from a role that may not send it, and to an agency other than the final successor", async () => {
    const event = (from: string, to = "tp-vinh-yen") => ({ type: "AGENCY_SUCCEEDED", payload: { from, to, reason } })
    const refused = await expectCode(engine.send(ids.otherPlan, event("huyen-tam-dao"), coordinatorHead), "CIVICASE_E_EVENT_NOT_ACCEPTED")
    expect(refused.reason).toBe("condition")
    await expectCode(engine.send(ids.plan, event("huyen-tam-dao"), vyHead), "CIVICASE_E_FORBIDDEN")
    // Bình Xuyên's successor Tam Đảo is itself retired: only the end of the chain is accepted.
    const retired = await expectCode(engine.send(ids.plan, event("huyen-binh-xuyen", "huyen-tam-dao"), coordinatorHead), "CIVICASE_E_VALIDATION")
    expect(retired.issues).toEqual([{ path: "/to", message: 'must be "tp-vinh-yen", the final successor of "huyen-binh-xuyen" in vinh-phuc version 2' }])
    const elsewhere = await expectCode(engine.send(ids.plan, event("huyen-tam-dao", "so-tttt"), coordinatorHead), "CIVICASE_E_VALIDATION")
    expect(elsewhere.issues).toEqual([{ path: "/to", message: 'must be "tp-vinh-yen", the final successor of "huyen-tam-dao" in vinh-phuc version 2' }])
    await expectCode(applySuccession(engine, v2, coordinatorHead, { reason: " " }), "CIVICASE_E_VALIDATION")
  })

  it("refuses an owner takeover: a live owner agency handed to the sender's own agency changes nothing", async () => {
    const target = await engine.getCase(ids.otherPlan, coordinatorHead)
    expect(target.parties.owner).toBe("so-vhttdl")
    const takeover = { type: "AGENCY_SUCCEEDED", payload: { from: "so-vhttdl", to: coordinatorHead.agency, reason: "Tiếp quản" } }
    const invalid = await expectCode(engine.send(ids.otherPlan, takeover, coordinatorHead), "CIVICASE_E_VALIDATION")
    expect(invalid.issues).toEqual([{ path: "/from", message: 'must be an agency retired in vinh-phuc version 2: "huyen-binh-xuyen", "huyen-tam-dao"' }])
    // A party agency's own system may not send the event at all (no `integration` in its permission).
    const vhSystem = person("vh-sys", "so-vhttdl", "integration")
    await expectCode(engine.send(ids.otherPlan, { ...takeover, payload: { ...takeover.payload, to: "so-vhttdl" } }, vhSystem), "CIVICASE_E_FORBIDDEN")
    const after = await engine.getCase(ids.otherPlan, coordinatorHead)
    expect(after.rev).toBe(target.rev)
    expect(after.parties).toEqual(target.parties)
    expect(after.context).toEqual(target.context)
    expect((await engine.history(ids.otherPlan, coordinatorHead)).map((h) => h.type)).not.toContain("AGENCY_SUCCEEDED")
  })
})

describe("applySuccession as the engine's own system actor, on engines built from the province file", () => {
  const dir = mkdtempSync(join(tmpdir(), "civicase-succession-system-"))
  const clock = testClock(new Date("2025-03-03T02:00:00.000Z"))
  const v2 = loadProvince(vinhPhucV2())
  const open = (province: Province) => createEngine({ store: pglite({ dataDir: dir }), ...provinceEngineOptions(province), clock, scheduler: false, logger: silentLogger })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("moves the cases as the issued system actor, refuses a look-alike, and refuses the retired agency's staff, naming the successor", async () => {
    const v1 = open(vinhPhuc)
    const plan = await v1.createCase("plan", { title: "Kế hoạch TTĐN huyện Tam Đảo 2025", year: 2025 }, tdOfficer)
    await v1.close()
    const engine = open(v2)
    try {
      const refused = await expectCode(engine.listCases({}, tdOfficer), "CIVICASE_E_UNKNOWN_ACTOR")
      expect(refused.message).toContain('its successor is "tp-vinh-yen"')
      const forged = { id: "system", province: v2.id, agency: "system", roles: ["system"] }
      const none = await applySuccession(engine, v2, forged, { reason }).catch((e: { code: string }) => e.code)
      expect(none).toBe("CIVICASE_E_UNKNOWN_ACTOR")
      expect((await engine.getCase(plan.id, coordinatorHead)).rev).toBe(1)

      const report = await applySuccession(engine, v2, engine.access.systemActor(v2.id), { reason })
      expect(report).toMatchObject({ failed: [], unchanged: [], moved: [{ caseId: plan.id, from: "huyen-tam-dao", to: "tp-vinh-yen", rev: 2 }] })
      const last = (await engine.history(plan.id, coordinatorHead)).at(-1)!
      expect(last).toMatchObject({ type: "AGENCY_SUCCEEDED", actor: { id: "system", agency: "system", roles: ["system"] } })
      expect((await engine.getCase(plan.id, vyOfficer)).parties.owner).toBe("tp-vinh-yen")
    } finally {
      await engine.close()
    }
  })
})

describe("AGENCY_SUCCEEDED payload schema per configuration", () => {
  const check = (province: Province) => compileSchema(planWorkflow(province).events.AGENCY_SUCCEEDED!)

  it("in a configuration that retires no agency, refuses every hand-over at /from, saying why", () => {
    expect(check(vinhPhuc)({ from: "so-vhttdl", to: "so-tttt", reason })).toEqual([{ path: "/from", message: "cannot be handed over: vinh-phuc version 1 retires no agency" }])
    expect(check(vinhPhuc)({ from: "huyen-tam-dao", to: "tp-vinh-yen", reason })).toEqual([{ path: "/from", message: "cannot be handed over: vinh-phuc version 1 retires no agency" }])
  })

  it("accepts each retired agency with its final successor, and nothing else", () => {
    const v2 = check(loadProvince(vinhPhucV2()))
    expect(v2({ from: "huyen-tam-dao", to: "tp-vinh-yen", reason, configVersion: 2 })).toEqual([])
    expect(v2({ from: "huyen-binh-xuyen", to: "tp-vinh-yen", reason })).toEqual([])
    expect(v2({ from: "tp-vinh-yen", to: "huyen-tam-dao", reason }).map((i) => i.path)).toEqual(["/from"])
  })
})
