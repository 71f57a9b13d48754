import { afterEach, describe, expect, it } from "vitest"
import type { AnyMachineSnapshot, AnyStateMachine } from "xstate"
import { type Engine, flatState } from "@civicase/core"
import { expectCode } from "@civicase/core/testing"
import { pressChannelLabels, pressChannels, pressResponseWorkflow, pressResponseWorkflowV1 } from "@civicase/workflows"
import { checkGraph } from "./graph-checks.js"
import { actorOf, departmentOf, scenarioEngine } from "./scenario-fixtures.js"
import { vinhPhuc } from "./support.js"

const coordinator = actorOf(vinhPhuc, "coordinator")
const head = actorOf(vinhPhuc, "coordinator_head")
const responsible = departmentOf(vinhPhuc, 0)
const officer = actorOf(vinhPhuc, "agency_officer", responsible)
const spokesperson = actorOf(vinhPhuc, "spokesperson", responsible)
const report = { kind: "false_information", summary: "Một trang mạng đăng tin sai về dự án khu công nghiệp", suspectedSeverity: "medium" }

describe("press-response version 2: the channels of Decree 09/2017/NĐ-CP on government spokespeople", () => {
  let engine: Engine | undefined
  afterEach(async () => {
    await engine?.close()
    engine = undefined
  })

  it("lists the six ways of Điều 4, the periodic briefing among them, each labelled in both languages with its clause", () => {
    expect([...pressChannels]).toEqual(["press_conference", "provincial_portal", "official_social_media", "interview", "press_release", "press_briefing", "correction_request"])
    expect(pressChannelLabels.correction_request.vi).toContain("cải chính")
    for (const c of pressChannels) expect(pressChannelLabels[c].vi, c).toMatch(/Điều 4/)
  })

  it("publishes through a press briefing and a correction request naming the outlets; refuses a request without them and version 1's channels", async () => {
    const s = await scenarioEngine([pressResponseWorkflowV1(vinhPhuc), pressResponseWorkflow(vinhPhuc)])
    engine = s.engine
    let c = await engine.createCase("press-response", report, officer)
    expect(c.version).toBe(2)
    c = await engine.send(c.id, { type: "TRIAGE", payload: { severity: "medium", category: "false_information", responsibleAgency: responsible } }, coordinator)
    c = await engine.send(c.id, { type: "RECORD_FACTS", payload: { findings: "Dự án được cấp phép đúng quy định" } }, officer)
    c = await engine.send(c.id, { type: "DRAFT_STATEMENT", payload: { text: "Thông tin chính thức" } }, spokesperson)
    c = await engine.send(c.id, { type: "SUBMIT_FOR_REVIEW", payload: {} }, spokesperson)
    c = await engine.send(c.id, { type: "APPROVE", payload: {} }, head)
    expect(c.state).toBe("responding.approved")
    const publishedAt = s.clock.now().toISOString()

    const missing = await expectCode(engine.send(c.id, { type: "PUBLISH", payload: { channels: ["press_briefing", "correction_request"], publishedAt } }, spokesperson), "CIVICASE_E_VALIDATION")
    expect(missing.issues).toContainEqual({ path: "/requests", message: "must have required property 'requests'" })
    const old = await expectCode(engine.send(c.id, { type: "PUBLISH", payload: { channels: ["social_media"], publishedAt } }, spokesperson), "CIVICASE_E_VALIDATION")
    expect(old.issues[0].path).toBe("/channels/0")
    await expectCode(
      engine.send(c.id, { type: "PUBLISH", payload: { channels: ["press_release"], publishedAt, requests: [{ outlet: "Báo X", kind: "correction" }] } }, spokesperson),
      "CIVICASE_E_VALIDATION",
    )

    const requests = [{ outlet: "Trang tin điện tử X", kind: "correction", article: "https://x.example/tin-sai" }, { outlet: "Báo Y", kind: "reply" }]
    c = await engine.send(c.id, { type: "PUBLISH", payload: { channels: ["press_briefing", "correction_request"], publishedAt, requests } }, spokesperson)
    expect(c.state).toBe("published.monitoring")
    expect(c.context.publication).toEqual({ by: spokesperson.id, agency: responsible, channels: ["press_briefing", "correction_request"], publishedAt, links: [], requests })
    expect(s.emitted).toContainEqual(expect.objectContaining({ type: "press-response.published", channels: ["press_briefing", "correction_request"] }))
  })

  it("keeps version 1's process: every state is reached and none is a dead end", () => {
    const machine = pressResponseWorkflow(vinhPhuc).machine as AnyStateMachine
    const at = "2025-03-03T02:00:00.000Z"
    const events = (s: AnyMachineSnapshot) => {
      const approver = { ...coordinator, roles: [s.context.review.chain[s.context.review.step] ?? "coordinator_head"] }
      switch (flatState(s.value)) {
        case "reported":
          return [
            { type: "TRIAGE", payload: { severity: "high", category: "incident", responsibleAgency: responsible }, actor: coordinator },
            { type: "TRIAGE", payload: { severity: "low", category: "incident", responsibleAgency: responsible, closeRationale: "minor" }, actor: coordinator },
          ]
        case "responding.fact_finding":
          return [{ type: "RECORD_FACTS", payload: { findings: "f" }, actor: officer }]
        case "responding.drafting":
        case "responding.statement_drafted":
          return [{ type: "DRAFT_STATEMENT", payload: { text: "d" }, actor: spokesperson }, { type: "SUBMIT_FOR_REVIEW", payload: {}, actor: spokesperson }]
        case "responding.review":
          return [{ type: "APPROVE", payload: {}, actor: approver }, { type: "SEND_BACK", payload: { comments: "c" }, actor: approver }]
        case "responding.approved":
          return [{ type: "PUBLISH", payload: { channels: ["correction_request"], publishedAt: at, requests: [{ outlet: "Báo X", kind: "apology" }] }, actor: spokesperson }]
        case "published.monitoring":
          return [{ type: "CLOSE", payload: { afterActionReport: "r", result: "ok", reason: "calm" }, actor: coordinator }]
        case "closed":
          return [{ type: "REOPEN", payload: { reason: "new facts" }, actor: coordinator }]
        default:
          return []
      }
    }
    const input = { input: { kind: "incident", summary: "s", suspectedSeverity: "high" }, actor: officer, caseId: "c-3", now: at }
    const { paths } = checkGraph(machine, [input], events, (s) => JSON.stringify([s.value, s.context.severity, s.context.review.step, s.context.closure === null]))
    const published = paths.find((p) => flatState(p.state.value) === "published.monitoring")!
    expect(published.state.context.publication.requests).toEqual([{ outlet: "Báo X", kind: "apology" }])
  })
})
