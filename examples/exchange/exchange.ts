/**
 * Two provinces and a fake national document-exchange platform, on one
 * machine: `npx tsx --conditions=source examples/exchange/exchange.ts`.
 *
 * Vĩnh Phúc asks Đà Nẵng, by an official letter (công văn) over the
 * platform, to help with a press incident; Đà Nẵng's connector starts a
 * press-response case from it, and Vĩnh Phúc hears of its progress as
 * status packets. Then a central office sends Vĩnh Phúc a complaint, which
 * starts a violation case. See docs/exchange.md.
 */
import { pathToFileURL } from "node:url"
import { type Actor, createEngine, silentLogger } from "@civicase/core"
import { pglite } from "@civicase/adapters"
import { buildEdxmlPackage, vietnamDate } from "@civicase/adapters/edxml"
import { type ExchangeRules, exchangeConnector, httpExchangePlatform } from "@civicase/adapters/exchange"
import { startFakeExchangePlatform } from "@civicase/adapters/exchange/testing"
import { type Province, loadProvince, provinceEngineOptions, provinceFiles } from "@civicase/workflows"

// The shipped province files carry no national codes: give a few agencies theirs.
const withCodes = (p: Province, codes: Record<string, string>): Province => ({
  ...p,
  agencies: p.agencies.map((a) => (Object.hasOwn(codes, a.id) ? { ...a, code: new Map(Object.entries(codes)).get(a.id)! } : a)),
})
const vinhPhuc = withCodes(loadProvince(provinceFiles.vinhPhuc), { "so-tttt": "000.00.14.H62", "so-ngoai-vu": "000.00.16.H62" })
const daNang = withCodes(loadProvince(provinceFiles.daNang), { "so-vhttdl": "000.00.15.P32", "so-ngoai-vu": "000.00.16.P32" })
const office = { organId: "000.00.00.G22", organName: "Văn phòng Chính phủ" }

const vinhPhucRules: ExchangeRules = {
  agency: "so-tttt",
  place: "Vĩnh Phúc",
  send: [
    { workflow: "press-response", event: "case.created", to: [{ code: "000.00.15.P32" }], documentType: { type: 7, typeName: "Công văn" }, notation: "STTTT-TTĐN", subject: "Đề nghị phối hợp xử lý thông tin" },
  ],
  receive: [
    { match: { typeName: "Đơn khiếu nại" }, create: { workflow: "violation", input: { source: { value: "complaint" }, summary: "/subject", subject: { name: "/from/organName" }, reference: "/documentId" } } },
  ],
}
const daNangRules: ExchangeRules = {
  agency: "so-vhttdl",
  place: "Đà Nẵng",
  receive: [
    { match: { typeName: "Công văn", from: ["000.00.14.H62"] }, create: { workflow: "press-response", input: { kind: { value: "incident" }, summary: "/subject", source: "/from/organName" } } },
  ],
}

export async function main(log: (line: string) => void = console.log) {
  const platform = await startFakeExchangePlatform({
    agencies: [
      { code: "000.00.14.H62", name: "Sở Thông tin và Truyền thông tỉnh Vĩnh Phúc" },
      { code: "000.00.16.H62", name: "Sở Ngoại vụ tỉnh Vĩnh Phúc" },
      { code: "000.00.15.P32", name: "Sở Văn hóa, Thể thao và Du lịch thành phố Đà Nẵng" },
      { code: "000.00.16.P32", name: "Sở Ngoại vụ thành phố Đà Nẵng" },
      { code: office.organId, name: office.organName },
    ],
  })
  const deployment = (province: Province, rules: ExchangeRules) => {
    const exchange = exchangeConnector({ platform: httpExchangePlatform({ url: platform.url }), province: province.id, directory: province, rules })
    const engine = createEngine({ store: pglite(), ...provinceEngineOptions(province, { plugins: [exchange] }), scheduler: false, outbox: { enabled: false }, logger: silentLogger })
    return { exchange, engine }
  }
  const vp = deployment(vinhPhuc, vinhPhucRules)
  const dn = deployment(daNang, daNangRules)
  try {
    const sync = await vp.exchange.syncDirectory()
    log(`Vĩnh Phúc directory: ${sync.matched.length} agencies on the platform, ${sync.withoutCode.length} without a code`)

    // 1. Vĩnh Phúc opens a press incident; its creation leaves as a công văn to Đà Nẵng.
    const spokesperson: Actor = { id: "vp-spokes", province: "vinh-phuc", agency: "so-tttt", roles: ["spokesperson"] }
    const incident = await vp.engine.createCase("press-response", { kind: "incident", summary: "Tin sai lệch về đoàn công tác của tỉnh tại Đà Nẵng" }, spokesperson)
    await vp.engine.outbox.dispatch()
    const sent = platform.messages()[0]!
    log(`sent ${sent.key} to ${sent.to.join(", ")}`)

    // 2. Đà Nẵng's poller takes it: a press-response case, started by its exchange actor.
    const received = await dn.exchange.poll(dn.engine)
    if (received.errors.length) log(`Đà Nẵng could not read its inbox: ${received.errors.map((e) => e.reason).join("; ")}`)
    const daNangCase = received.outcomes[0]!
    log(`Đà Nẵng: ${daNangCase.kind} ${"caseId" in daNangCase ? "case" : ""} from ${daNangCase.documentId}`)
    const coordinator: Actor = { id: "dn-coord", province: "da-nang", agency: "so-vhttdl", roles: ["coordinator"] }
    if (daNangCase.kind === "created") {
      await dn.engine.send(daNangCase.caseId, { type: "TRIAGE", payload: { severity: "high", category: "false_information", responsibleAgency: "so-vhttdl" } }, coordinator)
    }
    await dn.engine.outbox.dispatch()

    // 3. Vĩnh Phúc hears of the progress: status packets answering its công văn.
    const back = await vp.exchange.poll(vp.engine)
    for (const o of back.outcomes) if (o.kind === "status") log(`Vĩnh Phúc hears: ${o.status} on ${o.documentId}`)

    // 4. A central office sends Vĩnh Phúc a complaint (đơn khiếu nại): a violation case starts.
    const date = vietnamDate(new Date())
    const documentId = `${office.organId},${date.replaceAll("-", "/")},45/VPCP-V.I`
    const complaint = buildEdxmlPackage({
      from: office,
      to: [{ organId: "000.00.14.H62", organName: "Sở Thông tin và Truyền thông tỉnh Vĩnh Phúc" }],
      documentId,
      code: { codeNumber: "45", codeNotation: "VPCP-V.I" },
      promulgationInfo: { place: "Hà Nội", promulgationDate: date },
      documentType: { type: 11, typeName: "Đơn khiếu nại" },
      subject: "Chuyển đơn phản ánh trang tin điện tử đăng tin sai sự thật",
      signerInfo: { fullName: "Trần Minh Đức" },
      traceHeaders: [{ organId: office.organId, timestamp: new Date() }],
      attachments: [{ contentId: "don-45", name: "don-45.pdf", contentType: "application/pdf", content: new TextEncoder().encode("%PDF-1.4 …") }],
    })
    platform.deliver({ from: office.organId, to: ["000.00.14.H62"], key: documentId, xml: complaint })
    const taken = await vp.exchange.poll(vp.engine)
    const violation = taken.outcomes.find((o) => o.kind === "created")
    log(`Vĩnh Phúc: complaint ${documentId} became a ${violation ? "violation case" : "refusal"}`)
    return { incidentId: incident.id, sent, received: received.outcomes, back: back.outcomes, taken: taken.outcomes }
  } finally {
    await vp.engine.close()
    await dn.engine.close()
    await platform.close()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main()
