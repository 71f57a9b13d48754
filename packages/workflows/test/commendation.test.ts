import { afterEach, describe, expect, it } from "vitest"
import type { Actor, Engine } from "@civicase/core"
import { expectCode } from "@civicase/core/testing"
import { type CommendationConfig, commendationWorkflow, commendationWorkflowV1, tallyVotes } from "@civicase/workflows"
import { actorOf, attachDecision, attachFile, departmentOf, footprint, holderOf, scenarioEngine, shippedProvinces } from "./scenario-fixtures.js"

describe.each(shippedProvinces.map((p) => [p.id, p] as const))("commendation in %s", (_id, province) => {
  const config = province.workflows.commendation as CommendationConfig
  const provinceAward = config.awards.find((a) => a.authority === "province")!
  const centralAward = config.awards.find((a) => a.authority === "central")!
  const agency = departmentOf(province, 5, [...(province.roles.council_member ?? []), ...(province.roles.council_secretary ?? [])])
  const officer = actorOf(province, "agency_officer", agency)
  const agencyHead = actorOf(province, "agency_head", agency)
  // An agency with no part in the case: not the nominating agency, not on the council.
  const otherHead = actorOf(province, "agency_head", departmentOf(province, 6, [agency, ...(province.roles.council_member ?? []), ...(province.roles.council_secretary ?? [])]))
  const secretary = actorOf(province, "council_secretary")
  const leader = actorOf(province, "province_leader")
  const members: Actor[] = Array.from({ length: config.council.members }, (_, i) => actorOf(province, "council_member", holderOf(province, "council_member", i), `member-${i}`))
  let engine: Engine | undefined

  afterEach(async () => {
    await engine?.close()
    engine = undefined
  })

  async function start() {
    const s = await scenarioEngine([commendationWorkflowV1(province), commendationWorkflow(province)])
    engine = s.engine
    return s
  }

  const nomination = (awardType: string) => ({
    nominee: { name: "Hội người Việt Nam tại Viêng Chăn", kind: "overseas_community", country: "LA" },
    achievements: ["Quảng bá hình ảnh tỉnh tại Lào"],
    awardType,
  })

  async function toVote(engine: Engine, awardType: string) {
    let c = await engine.createCase("commendation", nomination(awardType), officer)
    expect(c.version).toBe(2)
    const proposal = await attachFile(engine, c.id, officer, "to-trinh.pdf")
    c = await engine.send(c.id, { type: "SUBMIT_NOMINATION", payload: { documents: [proposal] } }, officer)
    c = await engine.send(c.id, { type: "ENDORSE", payload: {} }, agencyHead)
    c = await engine.send(c.id, { type: "MARK_COMPLETE", payload: {} }, secretary)
    expect(c.state).toBe("council_vote")
    return c
  }
  const vote = (id: string, member: Actor, v: "for" | "against" | "abstain") => engine!.send(id, { type: "VOTE", payload: { vote: v } }, member)

  it("runs a provincial award end to end: agency review, completeness check with a request for documents, one vote per member, quorum, decision, announcement", async () => {
    const { engine, clock, emitted } = await start()
    await expectCode(engine.createCase("commendation", nomination("golden_statue"), officer), "CIVICASE_E_VALIDATION")
    await expectCode(engine.createCase("commendation", nomination(provinceAward.id), agencyHead), "CIVICASE_E_FORBIDDEN")
    let c = await engine.createCase("commendation", nomination(provinceAward.id), officer)
    expect(c.state).toBe("nominated")
    c = await engine.send(c.id, { type: "SUBMIT_NOMINATION", payload: {} }, officer)
    await expectCode(engine.send(c.id, { type: "ENDORSE", payload: {} }, officer), "CIVICASE_E_FORBIDDEN")
    await expectCode(engine.send(c.id, { type: "ENDORSE", payload: {} }, otherHead), "CIVICASE_E_CASE_NOT_FOUND")
    c = await engine.send(c.id, { type: "ENDORSE", payload: { comment: "Đề nghị khen" } }, agencyHead)
    expect(c.state).toBe("submitted.completeness_check")
    c = await engine.send(c.id, { type: "REQUEST_DOCUMENTS", payload: { comments: "Thiếu bản tóm tắt thành tích" } }, secretary)
    expect(c.state).toBe("submitted.documents_requested")
    // The dossier names documents of this case, not names or another case's files; a refusal writes nothing.
    const other = await engine.createCase("commendation", nomination(provinceAward.id), officer)
    const elsewhere = await attachFile(engine, other.id, officer, "tom-tat.pdf")
    const before = await footprint(engine, c.id, secretary)
    const refused = await expectCode(engine.send(c.id, { type: "PROVIDE_DOCUMENTS", payload: { documents: ["Tóm tắt thành tích"] } }, officer), "CIVICASE_E_VALIDATION")
    expect(refused.issues).toMatchObject([{ path: "/documents/0" }])
    const foreign = await expectCode(engine.send(c.id, { type: "PROVIDE_DOCUMENTS", payload: { documents: [elsewhere] } }, officer), "CIVICASE_E_VALIDATION")
    expect(foreign.issues).toEqual([{ path: "/documents/0", message: "must be the id of a document attached to this case" }])
    expect(await footprint(engine, c.id, secretary)).toEqual(before)
    const summary = await attachFile(engine, c.id, officer, "tom-tat-thanh-tich.pdf")
    c = await engine.send(c.id, { type: "PROVIDE_DOCUMENTS", payload: { documents: [summary] } }, officer)
    expect(c.context.documents).toEqual([summary])
    c = await engine.send(c.id, { type: "MARK_COMPLETE", payload: {} }, secretary)
    expect(c.state).toBe("council_vote")

    await expectCode(engine.send(c.id, { type: "VOTE", payload: { vote: "for" } }, secretary), "CIVICASE_E_FORBIDDEN")
    for (let i = 0; i < config.council.quorum - 1; i++) c = await vote(c.id, members[i]!, "for")
    await expectCode(vote(c.id, members[0]!, "against"), "CIVICASE_E_EVENT_NOT_ACCEPTED")
    expect(c.context.votes).toHaveLength(config.council.quorum - 1)
    await expectCode(engine.send(c.id, { type: "CLOSE_VOTE", payload: {} }, secretary), "CIVICASE_E_EVENT_NOT_ACCEPTED")
    c = await vote(c.id, members[config.council.quorum - 1]!, "against")
    c = await engine.send(c.id, { type: "CLOSE_VOTE", payload: {} }, secretary)
    expect(c.state).toBe("proposed")
    expect(c.context.tally).toMatchObject({ cast: config.council.quorum, for: config.council.quorum - 1, against: 1, quorumMet: true, carried: true })

    await expectCode(engine.send(c.id, { type: "FORWARD_TO_CENTRAL", payload: { note: "…" } }, leader), "CIVICASE_E_EVENT_NOT_ACCEPTED")
    const decision = await attachDecision(engine, c.id, leader)
    await expectCode(engine.send(c.id, { type: "DECIDE", payload: { decisionNumber: "123/QĐ-UBND", decisionDocument: decision } }, secretary), "CIVICASE_E_FORBIDDEN")
    // An award decision is issued only with a decision document of this case (số, ký hiệu, loại văn bản, người ký).
    const unsigned = await footprint(engine, c.id, secretary)
    expect((await expectCode(engine.send(c.id, { type: "DECIDE", payload: { decisionNumber: "123/QĐ-UBND" } }, leader), "CIVICASE_E_VALIDATION")).issues).toMatchObject([{ path: "/decisionDocument" }])
    const plain = await expectCode(engine.send(c.id, { type: "DECIDE", payload: { decisionNumber: "123/QĐ-UBND", decisionDocument: summary } }, leader), "CIVICASE_E_VALIDATION")
    expect(plain.issues).toMatchObject([{ path: "/decisionDocument", message: expect.stringContaining("decision metadata") }])
    expect(await footprint(engine, c.id, secretary)).toEqual(unsigned)
    c = await engine.send(c.id, { type: "DECIDE", payload: { decisionNumber: "123/QĐ-UBND", decisionDocument: decision } }, leader)
    expect(c.state).toBe("decided")
    expect(c.context.decision).toMatchObject({ by: leader.id, level: "province", decisionNumber: "123/QĐ-UBND", decisionDocument: decision })
    expect(emitted).toContainEqual(expect.objectContaining({ type: "commendation.decided", award: provinceAward.id }))
    c = await engine.send(c.id, { type: "ANNOUNCE", payload: { announcedAt: clock.now().toISOString(), channels: ["ceremony", "provincial_portal"] } }, secretary)
    c = await engine.send(c.id, { type: "CLOSE", payload: { result: "awarded", reason: "Đã trao tặng" } }, secretary)
    expect(c).toMatchObject({ state: "closed", status: "done" })
    expect(c.context.closure).toEqual({ by: secretary.id, result: "awarded", reason: "Đã trao tặng" })
  })

  it("forwards an award above the province's authority to central level once every member has voted", async () => {
    const { engine } = await start()
    let c = await toVote(engine, centralAward.id)
    for (const m of members) c = await vote(c.id, m, "for")
    expect(c.state).toBe("proposed")
    const provincial = await attachDecision(engine, c.id, leader)
    await expectCode(engine.send(c.id, { type: "DECIDE", payload: { decisionNumber: "1", decisionDocument: provincial } }, leader), "CIVICASE_E_EVENT_NOT_ACCEPTED")
    c = await engine.send(c.id, { type: "FORWARD_TO_CENTRAL", payload: { note: "Tờ trình số 45" } }, leader)
    expect(c.state).toBe("forwarded_to_central")
    await expectCode(engine.send(c.id, { type: "RECORD_CENTRAL_DECISION", payload: { granted: true } }, secretary), "CIVICASE_E_VALIDATION")
    await expectCode(engine.send(c.id, { type: "RECORD_CENTRAL_DECISION", payload: { granted: true, decisionNumber: "789/QĐ-CTN" } }, secretary), "CIVICASE_E_VALIDATION")
    const central = await attachDecision(engine, c.id, secretary, "qd-789-ctn.pdf")
    c = await engine.send(c.id, { type: "RECORD_CENTRAL_DECISION", payload: { granted: true, decisionNumber: "789/QĐ-CTN", decisionDocument: central } }, secretary)
    expect(c.context.decision).toMatchObject({ level: "central", decisionNumber: "789/QĐ-CTN", decisionDocument: central })
  })

  it("rejects when the majority is not reached, and reminds when the vote runs late without a quorum", async () => {
    const { engine, clock, emitted } = await start()
    let c = await toVote(engine, provinceAward.id)
    c = await vote(c.id, members[0]!, "for")
    clock.set(new Date(c.deadlines.find((d) => d.name === "councilVote")!.dueAt))
    expect(await engine.runDueTimers()).toBe(1)
    c = await engine.getCase(c.id, secretary)
    expect(c.state).toBe("council_vote")
    expect(c.context.overdue).toEqual([{ deadline: "councilVote", state: "council_vote", to: "council_secretary" }])
    expect(emitted).toContainEqual(expect.objectContaining({ type: "commendation.overdue", deadline: "councilVote" }))

    // A quorum with only a minority in favour: the next deadline decides on the votes cast.
    for (let i = 1; i < config.council.quorum; i++) c = await vote(c.id, members[i]!, i < config.council.quorum / 2 - 1 ? "for" : "against")
    expect(tallyVotes(c.context.votes, config.council)).toMatchObject({ quorumMet: true, carried: false })
    clock.set(new Date(c.deadlines.find((d) => d.name === "councilVote")!.dueAt))
    await engine.runDueTimers()
    c = await engine.getCase(c.id, secretary)
    expect(c).toMatchObject({ state: "rejected", status: "done" })
    expect(c.context.closure).toMatchObject({ by: "council", result: "rejected" })
    expect(c.context.closure.reason).toContain(`${config.council.majority} majority`)
  })

  it("rejects at agency review with a reason", async () => {
    const { engine } = await start()
    let c = await engine.createCase("commendation", nomination(provinceAward.id), officer)
    c = await engine.send(c.id, { type: "SUBMIT_NOMINATION", payload: {} }, officer)
    await expectCode(engine.send(c.id, { type: "REJECT", payload: {} }, agencyHead), "CIVICASE_E_VALIDATION")
    c = await engine.send(c.id, { type: "REJECT", payload: { reason: "Thành tích chưa đủ tiêu chuẩn" } }, agencyHead)
    expect(c).toMatchObject({ state: "rejected", status: "done" })
    expect(c.context.closure).toEqual({ by: agencyHead.id, reason: "Thành tích chưa đủ tiêu chuẩn", result: "rejected" })
  })
})

describe("council tally", () => {
  it("applies each majority rule to the votes cast, abstentions not in favour", () => {
    const votes = (f: number, a: number, ab = 0) => [
      ...Array.from({ length: f }, (_, i) => ({ by: `f${i}`, vote: "for" as const })),
      ...Array.from({ length: a }, (_, i) => ({ by: `a${i}`, vote: "against" as const })),
      ...Array.from({ length: ab }, (_, i) => ({ by: `x${i}`, vote: "abstain" as const })),
    ]
    expect(tallyVotes(votes(3, 2), { members: 9, quorum: 5, majority: "simple" }).carried).toBe(true)
    expect(tallyVotes(votes(3, 2), { members: 9, quorum: 6, majority: "simple" })).toMatchObject({ quorumMet: false, carried: false })
    expect(tallyVotes(votes(3, 0, 3), { members: 9, quorum: 5, majority: "simple" }).carried).toBe(false)
    expect(tallyVotes(votes(4, 2), { members: 7, quorum: 5, majority: "two_thirds" }).carried).toBe(true)
    expect(tallyVotes(votes(3, 2), { members: 7, quorum: 5, majority: "two_thirds" }).carried).toBe(false)
    expect(tallyVotes(votes(4, 1), { members: 9, quorum: 5, majority: "absolute" }).carried).toBe(false)
    expect(tallyVotes(votes(5, 0), { members: 9, quorum: 5, majority: "absolute" }).carried).toBe(true)
  })
})
