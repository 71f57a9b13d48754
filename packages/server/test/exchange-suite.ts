import { generateKeyPairSync } from "node:crypto"
import { parseEdxml, parseEdxmlPackage, signEdxml, verifyEdxml, xmlDsigSigner, xmlDsigVerifier } from "@civicase/adapters/edxml"
import { EXCHANGE_ACTOR_ID, outgoingDocumentId } from "@civicase/adapters/exchange"
import type { FakeExchangePlatform } from "@civicase/adapters/exchange/testing"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import type { StoreFactory } from "./links-suite.js"
import { type ExchangeDeployment, actor, central, citizenDesk, codes, exchangeDeployment, incoming, platformAgencies, startFakeExchangePlatform } from "./exchange-fixtures.js"

const coordinator = actor("u-coord", "so-tttt", "coordinator")
const inspector = actor("u-insp", "so-tttt", "inspector")
const leader = actor("u-leader", "ubnd-tinh", "province_leader")
const secretary = actor("u-secretary", "so-noi-vu", "council_secretary")

/** The exchange connector's behaviour against the fake platform on loopback, on one kind of store (PGlite, a PostgreSQL server). */
export function exchangeSuite(name: string, stores: StoreFactory): void {
  describe(`exchange connector against a fake platform on loopback (${name})`, () => {
    let platform: FakeExchangePlatform
    let d: ExchangeDeployment
    beforeEach(async () => {
      platform = await startFakeExchangePlatform({ agencies: platformAgencies() })
      d = await exchangeDeployment(platform, stores())
    })
    afterEach(async () => {
      await d.close()
      await platform.close()
    })

    const statusesTo = (organId: string) =>
      Promise.all(platform.messages().filter((m) => m.to.includes(organId)).map(async (m) => ({ m, parsed: await parseEdxml(m.xml) })))
        .then((all) => all.filter((x) => x.parsed.kind === "status").map((x) => (x.parsed.kind === "status" ? x.parsed.status : undefined)!))

    it("syncs the directory by code: matched, missing on the platform, without a code", async () => {
      platform.setAgencies(platformAgencies().filter((a) => a.code !== codes["cong-an-tinh"]))
      const report = await d.exchange.syncDirectory()
      expect(report.matched.map((m) => m.agency).sort()).toEqual(["hd-tdkt", "so-ngoai-vu", "so-noi-vu", "so-tttt", "so-vhttdl", "ubnd-tinh"])
      expect(report.missing).toEqual([{ agency: "cong-an-tinh", code: codes["cong-an-tinh"] }])
      expect(report.withoutCode).toContain("bao-vinh-phuc")
      expect(report.unknownRecipients).toEqual([])
      platform.setAgencies([])
      expect((await d.exchange.syncDirectory()).unknownRecipients).toEqual([{ path: "/send/1/to/0/code", code: central.organId }])
    })

    it("sends a coordination assignment to the lead and cooperating agencies once, through retries and a lost answer", async () => {
      const c = await d.engine.createCase(
        "coordination",
        { topic: "Đón đoàn đại biểu tỉnh Hủa Phăn", lead: "so-ngoai-vu", cooperating: ["so-vhttdl", "cong-an-tinh"], dueDate: "2025-03-20" },
        coordinator,
      )
      platform.failNext("send", 1)
      let r = await d.engine.outbox.dispatch()
      expect(r.delivered).toBe(0)
      expect(platform.messages()).toHaveLength(0)
      platform.loseAnswers(1)
      await d.engine.testing.advanceTime("PT1M")
      r = await d.engine.outbox.dispatch()
      expect(platform.messages()).toHaveLength(1) // stored, but the answer was lost: the row stays pending
      await d.engine.testing.advanceTime("PT5M")
      await d.engine.outbox.dispatch()
      const rows = await d.engine.outbox.list({ caseId: c.id } as never)
      expect(JSON.stringify(rows)).toContain("delivered")
      const sent = platform.messages()
      expect(sent).toHaveLength(1)
      expect([...sent[0]!.to].sort()).toEqual([codes["cong-an-tinh"], codes["so-ngoai-vu"], codes["so-vhttdl"]].sort())
      expect(sent[0]!.from).toBe(codes["so-tttt"])
      const pkg = await parseEdxmlPackage(sent[0]!.xml)
      const expected = outgoingDocumentId(codes["so-tttt"], { rule: { notation: "STTTT-PH" }, caseId: c.id, rev: 1, at: c.createdAt ?? "2025-03-03T02:00:00.000Z" } as never)
      expect(pkg.documentId).toBe(expected.documentId)
      expect(sent[0]!.key).toBe(pkg.documentId)
      expect(pkg.subject).toBe("Giao nhiệm vụ phối hợp: Đón đoàn đại biểu tỉnh Hủa Phăn")
      expect(pkg.documentType).toMatchObject({ type: 7, typeName: "Công văn" })
    })

    it("receives a complaint as a violation case once, with the trace in the history and the attachment as a document; a redelivery and a restart do nothing twice", async () => {
      const complaint = incoming(citizenDesk, {
        number: "45",
        notation: "VPCP-V.I",
        documentType: { type: 11, typeName: "Đơn khiếu nại" },
        subject: "Phản ánh thông tin sai lệch về lễ hội Tây Thiên trên trang tin điện tử",
        attachments: [{ contentId: "don-45", name: "don-45.pdf", contentType: "application/pdf", content: new TextEncoder().encode("%PDF-1.4 đơn") }],
      })
      const id = platform.deliver({ from: citizenDesk.organId, to: [codes["so-tttt"]], key: complaint.documentId, xml: complaint.xml })
      const first = await d.exchange.poll(d.engine)
      expect(first.errors).toEqual([])
      expect(first.outcomes).toEqual([{ kind: "created", documentId: complaint.documentId, caseId: expect.any(String), replayed: false }])
      const caseId = (first.outcomes[0] as { caseId: string }).caseId
      expect(platform.messages().find((m) => m.id === id)!.acknowledgedBy).toEqual([codes["so-tttt"]])
      const c = await d.engine.getCase(caseId, coordinator)
      expect(c).toMatchObject({ workflow: "violation", context: expect.objectContaining({ report: expect.objectContaining({ source: "complaint", subject: { name: citizenDesk.organName } }) }) })
      const history = await d.engine.history(caseId, coordinator)
      expect(history[0]!.actor.id).toBe(EXCHANGE_ACTOR_ID)
      expect(history[0]!.meta).toMatchObject({ exchange: { documentId: complaint.documentId, from: citizenDesk, trace: [{ organId: citizenDesk.organId, timestamp: "2025-03-03T01:00:00.000Z" }] } })
      const docs = await d.engine.documents(caseId, coordinator)
      expect(docs.map((x) => x.name)).toEqual(["don-45.pdf"])

      await d.engine.outbox.dispatch()
      let statuses = await statusesTo(citizenDesk.organId)
      expect(statuses.map((s) => [s.status, s.responseFor.documentId])).toEqual([["acceptance", complaint.documentId]])

      platform.redeliver(id, codes["so-tttt"])
      const again = await d.exchange.poll(d.engine)
      expect(again.outcomes).toEqual([{ kind: "created", documentId: complaint.documentId, caseId, replayed: true }])
      await d.restart()
      platform.redeliver(id, codes["so-tttt"])
      const afterRestart = await d.exchange.poll(d.engine)
      expect(afterRestart.outcomes).toEqual([{ kind: "created", documentId: complaint.documentId, caseId, replayed: true }])
      expect((await d.engine.listCases({ workflow: "violation" }, coordinator)).items).toHaveLength(1)
      expect(await d.engine.documents(caseId, coordinator)).toHaveLength(1)
      await d.engine.outbox.dispatch()
      statuses = await statusesTo(citizenDesk.organId)
      expect(statuses).toHaveLength(1)

      // Status feedback after the restart: the case moves on, the sender hears of it.
      await d.engine.send(caseId, { type: "START_CHECK", payload: { note: "Kiểm tra sơ bộ" } }, inspector)
      await d.engine.outbox.dispatch()
      statuses = await statusesTo(citizenDesk.organId)
      expect(statuses.map((s) => s.status)).toEqual(["acceptance", "processing"])
      expect(statuses[1]!.description).toContain("START_CHECK")
      expect(statuses[1]!.from.organId).toBe(codes["so-tttt"])
    })

    it("two pollers taking the same message at once make one case and one acceptance", async () => {
      const complaint = incoming(citizenDesk, { number: "48", notation: "VPCP-V.I", documentType: { type: 11, typeName: "Đơn khiếu nại" }, subject: "Phản ánh trùng" })
      const id = platform.deliver({ from: citizenDesk.organId, to: [codes["so-tttt"]], key: complaint.documentId, xml: complaint.xml })
      const [a, b] = await Promise.all([d.exchange.poll(d.engine), d.exchange.poll(d.engine)])
      const created = [...a.outcomes, ...b.outcomes].filter((o) => o.kind === "created")
      expect(created.filter((o) => o.kind === "created" && !o.replayed)).toHaveLength(1)
      await d.exchange.poll(d.engine) // whatever a race left unacknowledged
      expect(platform.messages().find((m) => m.id === id)!.acknowledgedBy).toEqual([codes["so-tttt"]])
      expect((await d.engine.listCases({ workflow: "violation" }, coordinator)).items).toHaveLength(1)
      await d.engine.outbox.dispatch()
      expect((await statusesTo(citizenDesk.organId)).map((s) => s.status)).toEqual(["acceptance"])
    })

    it("refuses a malformed package with a fail status naming the element, and acknowledges it", async () => {
      const good = incoming(citizenDesk, { number: "46", notation: "VPCP-V.I", documentType: { type: 11, typeName: "Đơn khiếu nại" }, subject: "Phản ánh" })
      const broken = good.xml.replace(/<edXML:Subject>[^<]*<\/edXML:Subject>/, "")
      expect(broken).not.toBe(good.xml)
      const id = platform.deliver({ from: citizenDesk.organId, to: [codes["so-tttt"]], key: good.documentId, xml: broken })
      const r = await d.exchange.poll(d.engine)
      expect(r.outcomes).toHaveLength(1)
      expect(r.outcomes[0]).toMatchObject({ kind: "failed", documentId: good.documentId })
      expect((r.outcomes[0] as { reason: string }).reason).toMatch(/MessageHeader\/Subject/)
      expect(platform.messages().find((m) => m.id === id)!.acknowledgedBy).toEqual([codes["so-tttt"]])
      const statuses = await statusesTo(citizenDesk.organId)
      expect(statuses).toHaveLength(1)
      expect(statuses[0]).toMatchObject({ status: "fail", responseFor: { documentId: good.documentId } })
      expect(statuses[0]!.description).toMatch(/Subject/)
      expect((await d.engine.listCases({}, coordinator)).items).toHaveLength(0)
    })

    it("refuses a package no rule takes, and an answer to nothing this province sent, with fail; a platform outage leaves the message for the next poll", async () => {
      const memo = incoming(citizenDesk, { number: "47", notation: "VPCP-TH", documentType: { type: 7, typeName: "Công văn" }, subject: "Công văn" })
      platform.deliver({ from: citizenDesk.organId, to: [codes["so-tttt"]], key: memo.documentId, xml: memo.xml })
      platform.failNext("get", 1)
      const down = await d.exchange.poll(d.engine)
      expect(down.outcomes).toEqual([])
      expect(down.errors).toHaveLength(1)
      const r = await d.exchange.poll(d.engine)
      expect(r.outcomes[0]).toMatchObject({ kind: "failed", reason: expect.stringMatching(/DocumentType: no receive rule takes 7 Công văn/) })
      const answering = incoming(central, { number: "9", notation: "QĐ-KT", responseFor: [{ organId: codes["so-tttt"], code: "1/X", promulgationDate: "2025-03-01", documentId: "000.00.14.H62,2025/03/01,1/X" }] })
      platform.deliver({ from: central.organId, to: [codes["so-tttt"]], key: answering.documentId, xml: answering.xml })
      const r2 = await d.exchange.poll(d.engine)
      expect(r2.outcomes[0]).toMatchObject({ kind: "failed", reason: expect.stringMatching(/ResponseFor: names no package this province sent/) })
    })

    it("forwards a commendation to central level and records the central decision that answers it as RECORD_CENTRAL_DECISION", async () => {
      const members = Array.from({ length: 9 }, (_, i) => actor(`u-member-${i}`, ["hd-tdkt", "so-noi-vu", "so-tttt", "ban-tuyen-giao", "van-phong-ubnd"][i % 5]!, "council_member"))
      const officer = actor("u-officer", "so-khdt", "agency_officer")
      const head = actor("u-head", "so-khdt", "agency_head")
      let c = await d.engine.createCase(
        "commendation",
        { nominee: { name: "Hội người Việt Nam tại Viêng Chăn", kind: "overseas_community", country: "LA" }, achievements: ["Quảng bá hình ảnh tỉnh tại Lào"], awardType: "friendship_medal" },
        officer,
      )
      const dossier = await d.engine.attachDocument(c.id, { name: "to-trinh.pdf", mediaType: "application/pdf", bytes: new TextEncoder().encode("%PDF-1.4 tờ trình") }, officer)
      c = await d.engine.send(c.id, { type: "SUBMIT_NOMINATION", payload: { documents: [dossier.id] } }, officer)
      c = await d.engine.send(c.id, { type: "ENDORSE", payload: {} }, head)
      c = await d.engine.send(c.id, { type: "MARK_COMPLETE", payload: {} }, secretary)
      for (const m of members) c = await d.engine.send(c.id, { type: "VOTE", payload: { vote: "for" } }, m)
      c = await d.engine.send(c.id, { type: "FORWARD_TO_CENTRAL", payload: { note: "Tờ trình số 45" } }, leader)
      expect(c.state).toBe("forwarded_to_central")
      await d.engine.outbox.dispatch()
      const sent = platform.messages().filter((m) => m.to.includes(central.organId))
      expect(sent).toHaveLength(1)
      expect(sent[0]!.from).toBe(codes["ubnd-tinh"])
      const proposal = await parseEdxmlPackage(sent[0]!.xml)

      const decision = incoming(central, {
        number: "112",
        notation: "QĐ-CTN",
        subject: "Quyết định tặng Huân chương Hữu nghị",
        signerInfo: { competence: "KT. Chủ tịch nước", position: "Phó Chủ tịch nước", fullName: "Võ Thị Ánh Xuân" },
        attachments: [{ contentId: "qd-112", name: "qd-112.pdf", contentType: "application/pdf", content: new TextEncoder().encode("%PDF-1.4 quyết định") }],
        responseFor: [{ organId: proposal.from.organId, code: `${proposal.code.codeNumber}/${proposal.code.codeNotation}`, promulgationDate: proposal.promulgationInfo.promulgationDate, documentId: proposal.documentId }],
      })
      // To the UBND's inbox? The rules poll Sở TT&TT's: the platform delivers the answer there.
      const id = platform.deliver({ from: central.organId, to: [codes["so-tttt"]], key: decision.documentId, xml: decision.xml })
      const r = await d.exchange.poll(d.engine)
      expect(r.outcomes).toEqual([{ kind: "event", documentId: decision.documentId, caseId: c.id, replayed: false }])
      c = await d.engine.getCase(c.id, secretary)
      expect(c.state).toBe("decided")
      // The package's file is attached first as a decision (Code, DocumentType, SignerInfo of the package); the event names it.
      const docs = await d.engine.documents(c.id, secretary)
      const file = docs.find((x) => x.name === "qd-112.pdf")!
      expect(file.decision).toEqual({
        number: "112",
        notation: "QĐ-CTN",
        documentType: "Quyết định",
        signer: { name: "Võ Thị Ánh Xuân", position: "Phó Chủ tịch nước" },
        issuedOn: proposal.promulgationInfo.promulgationDate,
      })
      expect(c.context).toMatchObject({ decision: expect.objectContaining({ level: "central", decisionNumber: "112/QĐ-CTN", decisionDocument: file.id }) })
      const history = await d.engine.history(c.id, secretary)
      expect(history.at(-1)).toMatchObject({ type: "RECORD_CENTRAL_DECISION", actor: { id: EXCHANGE_ACTOR_ID }, meta: { exchange: { documentId: decision.documentId, from: central } } })
      platform.redeliver(id, codes["so-tttt"])
      const again = await d.exchange.poll(d.engine)
      expect(again.outcomes).toEqual([{ kind: "event", documentId: decision.documentId, caseId: c.id, replayed: true }])
      expect((await d.engine.history(c.id, secretary)).length).toBe(history.length)
      await d.engine.outbox.dispatch()
      let statuses = await statusesTo(central.organId)
      expect(statuses.map((s) => [s.status, s.responseFor.documentId])).toEqual([["acceptance", decision.documentId]])

      // A second decision on a case already decided: the workflow refuses the event, the sender hears fail, nothing is written.
      const late = incoming(central, {
        number: "113",
        notation: "QĐ-CTN",
        subject: "Quyết định",
        attachments: [{ contentId: "qd-113", name: "qd-113.pdf", contentType: "application/pdf", content: new TextEncoder().encode("%PDF-1.4 quyết định muộn") }],
        responseFor: [{ organId: proposal.from.organId, code: "x", promulgationDate: proposal.promulgationInfo.promulgationDate, documentId: proposal.documentId }],
      })
      platform.deliver({ from: central.organId, to: [codes["so-tttt"]], key: late.documentId, xml: late.xml })
      const refused = await d.exchange.poll(d.engine)
      expect(refused.outcomes).toEqual([{ kind: "failed", documentId: late.documentId, reason: expect.stringContaining("RECORD_CENTRAL_DECISION") }])
      expect((await d.engine.history(c.id, secretary)).length).toBe(history.length)
      expect((await d.engine.documents(c.id, secretary)).map((x) => x.name)).not.toContain("qd-113.pdf")
      statuses = await statusesTo(central.organId)
      expect(statuses.map((s) => [s.status, s.responseFor.documentId])).toEqual([
        ["acceptance", decision.documentId],
        ["fail", late.documentId],
      ])
    })

    it("with a verifier, refuses an unsigned package naming the signature, takes a signed one, and signs what it sends", async () => {
      const sender = generateKeyPairSync("rsa", { modulusLength: 2048 })
      const own = generateKeyPairSync("rsa", { modulusLength: 2048 })
      await d.close()
      d = await exchangeDeployment(platform, stores(), { signer: xmlDsigSigner({ privateKey: own.privateKey }), verifier: xmlDsigVerifier({ publicKeys: [sender.publicKey] }) })
      const unsigned = incoming(citizenDesk, { number: "60", notation: "VPCP-V.I", documentType: { type: 11, typeName: "Đơn khiếu nại" }, subject: "Phản ánh không ký số" })
      platform.deliver({ from: citizenDesk.organId, to: [codes["so-tttt"]], key: unsigned.documentId, xml: unsigned.xml })
      const r = await d.exchange.poll(d.engine)
      expect(r.outcomes).toEqual([{ kind: "failed", documentId: unsigned.documentId, reason: expect.stringMatching(/Signature/) }])
      const signed = incoming(citizenDesk, { number: "61", notation: "VPCP-V.I", documentType: { type: 11, typeName: "Đơn khiếu nại" }, subject: "Phản ánh có ký số" })
      platform.deliver({ from: citizenDesk.organId, to: [codes["so-tttt"]], key: signed.documentId, xml: await signEdxml(signed.xml, xmlDsigSigner({ privateKey: sender.privateKey })) })
      const r2 = await d.exchange.poll(d.engine)
      expect(r2.outcomes).toEqual([{ kind: "created", documentId: signed.documentId, caseId: expect.any(String), replayed: false }])
      await d.engine.outbox.dispatch()
      const answers = platform.messages().filter((m) => m.to.includes(citizenDesk.organId))
      expect(answers).toHaveLength(2) // fail for the unsigned one (signed too), acceptance for the signed one
      for (const a of answers) await verifyEdxml(a.xml, xmlDsigVerifier({ publicKeys: [own.publicKey] }))
    })
  })
}
