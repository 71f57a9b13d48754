import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, afterEach, describe, expect, it } from "vitest"
import { type Actor, type Engine, InvalidConfigError, createEngine, silentLogger, testClock } from "@civicase/core"
import { expectCode } from "@civicase/core/testing"
import { pglite } from "@civicase/adapters"
import { type PressResponseConfig, type Province, loadProvince, provinceEngineOptions, provinceFiles, workflows } from "@civicase/workflows"

const file = fileURLToPath(new URL("./lao-cai.json", import.meta.url))

/** The same person in Lào Cai: agency and roles as the identity provider would put them in a token. */
function person(id: string, agency: string, ...roles: string[]): Actor {
  return { id, province: "lao-cai", agency, roles }
}

const people = {
  reporter: person("phuong-lc-1", "phuong-lao-cai", "agency_officer"),
  coordinator: person("vhttdl-1", "so-vhttdl", "coordinator"),
  director: person("vhttdl-gd", "so-vhttdl", "coordinator_head"),
  // An approver outside the lead department sees other agencies' cases: the file makes the role province-wide.
  foreignAffairs: person("ngoai-vu-gd", "so-ngoai-vu", "foreign_affairs_head"),
  leader: person("pct-1", "ubnd-tinh", "province_leader"),
  officer: person("kkt-1", "bql-kkt", "agency_officer"),
  spokesperson: person("kkt-pn", "bql-kkt", "spokesperson"),
}

describe("examples/another-province: Lào Cai runs the same workflows from its own file", () => {
  const province: Province = loadProvince(file)
  const config = province.workflows["press-response"] as PressResponseConfig
  const vinhPhuc = loadProvince(provinceFiles.vinhPhuc).workflows["press-response"] as PressResponseConfig
  let engine: Engine | undefined

  afterEach(async () => {
    await engine?.close()
    engine = undefined
  })

  /** An engine on in-memory PGlite whose clock starts at `start` and moves only when told. */
  async function start(startAt: string) {
    const clock = testClock(new Date(startAt))
    engine = createEngine({ store: pglite(), ...provinceEngineOptions(province), clock, scheduler: false, logger: silentLogger })
    await engine.start()
    return { engine, clock }
  }

  /** Report, triage, facts and a draft: the steps before the approval chain, the same in every province. */
  async function toReview(engine: Engine, severity: string) {
    let c = await engine.createCase("press-response", { kind: "incident", summary: "Ùn tắc hàng hóa tại cửa khẩu Kim Thành", suspectedSeverity: severity }, people.reporter)
    c = await engine.send(c.id, { type: "TRIAGE", payload: { severity, category: "border_incident", responsibleAgency: "bql-kkt" } }, people.coordinator)
    c = await engine.send(c.id, { type: "RECORD_FACTS", payload: { findings: "Xe chờ xuất khẩu do hệ thống thông quan tạm dừng 6 giờ" } }, people.officer)
    c = await engine.send(c.id, { type: "DRAFT_STATEMENT", payload: { text: "Thông cáo báo chí về tình hình thông quan" } }, people.spokesperson)
    return engine.send(c.id, { type: "SUBMIT_FOR_REVIEW", payload: {} }, people.spokesperson)
  }

  it("loads: its own agencies, an extra role, and all five workflows build from it", () => {
    expect(province.id).toBe("lao-cai")
    expect(province.agencies.find((a) => a.kind === "lead_department")?.id).toBe("so-vhttdl")
    expect(province.roles.foreign_affairs_head).toEqual(["so-ngoai-vu"])
    expect([...new Set(workflows(province).map((w) => w.id))]).toEqual(["plan", "coordination", "press-response", "violation", "commendation"])
    // Version 1 of three workflows stays registered for the cases started on it.
    expect(workflows(province).map((w) => w.key)).toEqual(["plan@1", "plan@2", "coordination@1", "coordination@2", "press-response@1", "press-response@2", "violation@1", "violation@2", "commendation@1", "commendation@2"])
  })

  it("publishes a high-severity statement on the director's approval alone, where Vĩnh Phúc also needs the province leader", async () => {
    expect(vinhPhuc.approvalChains.high).toContain("province_leader")
    expect(config.approvalChains.high).toEqual(["coordinator_head"])

    const { engine, clock } = await start("2026-03-02T02:00:00.000Z") // Monday 09:00 in Lào Cai
    let c = await toReview(engine, "high")
    expect(c.state).toBe("responding.review")
    expect(c.context.review.chain).toEqual(["coordinator_head"])
    // This file's publication deadline for a high incident (30 hours from triage), not Vĩnh Phúc's 48.
    expect(c.deadlines.find((d) => d.name === "publication")?.dueAt).toBe("2026-03-03T08:00:00.000Z")

    await expectCode(engine.send(c.id, { type: "APPROVE", payload: {} }, people.leader), "CIVICASE_E_EVENT_NOT_ACCEPTED")
    c = await engine.send(c.id, { type: "APPROVE", payload: { comment: "Đồng ý phát hành" } }, people.director)
    expect(c.state).toBe("responding.approved")
    expect(c.context.review.approvals.map((a: any) => a.role)).toEqual(["coordinator_head"])

    c = await engine.send(c.id, { type: "PUBLISH", payload: { channels: ["press_release", "provincial_portal"], publishedAt: clock.now().toISOString() } }, people.spokesperson)
    expect(c.state).toBe("published.monitoring")
    const history = await engine.history(c.id, people.coordinator)
    expect(history.map((h) => h.type)).toEqual(["case.created", "TRIAGE", "RECORD_FACTS", "DRAFT_STATEMENT", "SUBMIT_FOR_REVIEW", "APPROVE", "PUBLISH"])
  })

  it("sends a critical statement through the Director of Foreign Affairs, a role Vĩnh Phúc's chain does not have", async () => {
    expect(vinhPhuc.approvalChains.critical).not.toContain("foreign_affairs_head")
    const { engine, clock } = await start("2026-03-02T02:00:00.000Z")
    let c = await toReview(engine, "critical")
    expect(c.context.review.chain).toEqual(["coordinator_head", "foreign_affairs_head", "province_leader"])

    c = await engine.send(c.id, { type: "APPROVE", payload: {} }, people.director)
    // Without a province-wide role, staff of another department do not see the case at all.
    await expectCode(engine.send(c.id, { type: "APPROVE", payload: {} }, person("ngoai-vu-cv", "so-ngoai-vu", "agency_officer")), "CIVICASE_E_CASE_NOT_FOUND")
    // The leader's turn comes only after Foreign Affairs has approved.
    await expectCode(engine.send(c.id, { type: "APPROVE", payload: {} }, people.leader), "CIVICASE_E_EVENT_NOT_ACCEPTED")
    c = await engine.send(c.id, { type: "APPROVE", payload: { comment: "Nội dung phù hợp với quan hệ đối ngoại" } }, people.foreignAffairs)
    expect(c.state).toBe("responding.review")
    c = await engine.send(c.id, { type: "APPROVE", payload: {} }, people.leader)
    expect(c.state).toBe("responding.approved")
    expect(c.context.review.approvals.map((a: any) => a.role)).toEqual(["coordinator_head", "foreign_affairs_head", "province_leader"])

    c = await engine.send(c.id, { type: "PUBLISH", payload: { channels: ["press_conference"], publishedAt: clock.now().toISOString() } }, people.spokesperson)
    expect(c.state).toBe("published.monitoring")
  })

  it("counts working days on its own calendar, from rules: a report on the Friday before Tết 2026 is due for triage after the holiday", async () => {
    const { engine } = await start("2026-02-13T03:00:00.000Z") // Friday 13 Feb 2026, 10:00; 14–22 Feb are off
    const c = await engine.createCase("press-response", { kind: "incident", summary: "Tin đồn về đóng cửa khẩu dịp Tết", suspectedSeverity: "low" }, people.reporter)
    // One working day (this file's low triage deadline): Monday 23 Feb at 17:00.
    expect(c.deadlines.find((d) => d.name === "triage")?.dueAt).toBe("2026-02-23T10:00:00.000Z")
  })

  describe("a broken copy of the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "civicase-another-province-"))
    afterAll(() => rmSync(dir, { recursive: true, force: true }))

    it("is refused with every problem listed by path", () => {
      const broken = JSON.parse(readFileSync(file, "utf8"))
      broken.calendar.rules[0].solar = "02-30"
      broken.agencies.find((a: any) => a.id === "huyen-bat-xat").retired.successor = "xa-khong-co"
      broken.roles.legal_reviewer = ["so-tu-phap", "so-tai-chinh"]
      delete broken.roles.coordinator_head
      broken.workflows["press-response"].approvalChains.high = ["Giám đốc Sở"]
      broken.workflows["press-response"].deadlines.critical.triage = "1 giờ"
      const copy = join(dir, "lao-cai-broken.json")
      writeFileSync(copy, JSON.stringify(broken, null, 2))

      let error: unknown
      try {
        loadProvince(copy)
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(InvalidConfigError)
      const paths = [...new Set((error as InvalidConfigError).issues.map((i) => i.path))].sort()
      expect(paths).toEqual(
        [
          "/calendar/rules/0/solar",
          `/agencies/${broken.agencies.findIndex((a: any) => a.id === "huyen-bat-xat")}/retired/successor`,
          "/roles/legal_reviewer/1",
          "/roles/coordinator_head",
          // Every reference to the removed role is reported where it is.
          "/labels/roles/coordinator_head",
          "/provinceWideRoles/1",
          "/workflows/press-response/approvalChains/medium/0",
          "/workflows/press-response/approvalChains/critical/0",
          "/workflows/press-response/escalationChain/1",
          "/workflows/press-response/approvalChains/high/0",
          "/workflows/press-response/deadlines/critical/triage",
        ].sort(),
      )
      // The message a person reads names the file and every path.
      for (const path of paths) expect((error as Error).message).toContain(path)
      expect((error as Error).message).toContain(copy)
    })
  })
})
