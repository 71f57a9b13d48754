import { type Actor, type Engine, createEngine, silentLogger, testClock } from "@civicase/core"
import { type EdxmlPackage, buildEdxmlPackage, vietnamDate } from "@civicase/adapters/edxml"
import { type ExchangeConnector, type ExchangeConnectorOptions, type ExchangeRules, exchangeConnector, httpExchangePlatform } from "@civicase/adapters/exchange"
import { type FakeExchangePlatform, startFakeExchangePlatform } from "@civicase/adapters/exchange/testing"
import { type Province, loadProvince, provinceEngineOptions, provinceFiles } from "@civicase/workflows"
import { type DeploymentStore, pgliteStores } from "./links-suite.js"

/** National codes given to some of Vĩnh Phúc's agencies (the shipped file has none). */
export const codes = {
  "ubnd-tinh": "000.00.00.H62",
  "so-noi-vu": "000.00.09.H62",
  "so-tttt": "000.00.14.H62",
  "so-vhttdl": "000.00.15.H62",
  "so-ngoai-vu": "000.00.16.H62",
  "hd-tdkt": "000.00.30.H62",
  "cong-an-tinh": "000.00.40.H62",
} as const

/** Central bodies outside the province. */
export const central = { organId: "000.00.00.G12", organName: "Ban Thi đua – Khen thưởng Trung ương" }
export const citizenDesk = { organId: "000.00.00.G22", organName: "Văn phòng Chính phủ" }

/** Vĩnh Phúc with the codes above. */
export function codedProvince(): Province {
  const p = loadProvince(provinceFiles.vinhPhuc)
  const withCodes = p.agencies.map((a) => (Object.hasOwn(codes, a.id) ? { ...a, code: codes[a.id as keyof typeof codes] } : a))
  return { ...p, agencies: withCodes }
}

/** The rules the tests and the example use: the four sends of the issue, a complaint and a central decision in. */
export const rules: ExchangeRules = {
  agency: "so-tttt",
  place: "Vĩnh Phúc",
  inboxes: ["so-tttt"],
  send: [
    { workflow: "coordination", event: "case.created", to: [{ party: "lead" }, { party: "cooperating" }], documentType: { type: 7, typeName: "Công văn" }, notation: "STTTT-PH", subject: "Giao nhiệm vụ phối hợp" },
    { workflow: "commendation", event: "FORWARD_TO_CENTRAL", to: [{ code: central.organId }], documentType: { type: 8, typeName: "Tờ trình" }, notation: "TTr-UBND", subject: "Đề nghị khen thưởng cấp Nhà nước" },
    { workflow: "plan", event: "APPROVE", to: [{ role: "coordinator" }], documentType: { type: 9, typeName: "Kế hoạch" }, notation: "KH", subject: "Kế hoạch thông tin đối ngoại đã được phê duyệt" },
    { workflow: "violation", event: "SIGN", to: [{ contextAgency: "/report/subject/agency" }], documentType: { type: 2, typeName: "Quyết định" }, notation: "QĐ-XPHC", subject: "Quyết định xử phạt vi phạm hành chính" },
  ],
  receive: [
    {
      match: { typeName: "Quyết định", from: [central.organId], responseFor: true },
      event: { type: "RECORD_CENTRAL_DECISION", payload: { granted: { value: true }, decisionNumber: "/codeText", decisionDocument: "/documents/0" } },
    },
    {
      match: { typeName: "Đơn khiếu nại", responseFor: false },
      create: { workflow: "violation", input: { source: { value: "complaint" }, summary: "/subject", subject: { name: "/from/organName", agency: "/fromAgency" }, reference: "/documentId" } },
    },
  ],
}

/** Everything the platform lists: the coded agencies and the central bodies. */
export function platformAgencies() {
  return [...Object.values(codes).map((code) => ({ code, name: `Cơ quan ${code}` })), { code: central.organId, name: central.organName }, { code: citizenDesk.organId, name: citizenDesk.organName }]
}

/** A deployment of Vĩnh Phúc on a durable store (PGlite folder or PostgreSQL schema), with the connector pointed at the fake platform; `restart()` reopens the same store. */
export interface ExchangeDeployment {
  engine: Engine
  exchange: ExchangeConnector
  readonly clock: ReturnType<typeof testClock>
  readonly province: Province
  restart(): Promise<void>
  close(): Promise<void>
}

export async function exchangeDeployment(
  platform: FakeExchangePlatform,
  store: DeploymentStore = pgliteStores(),
  extra: Pick<ExchangeConnectorOptions, "signer" | "verifier"> = {},
): Promise<ExchangeDeployment> {
  const clock = testClock(new Date("2025-03-03T02:00:00Z"))
  const province = codedProvince()
  const open = () => {
    const exchange = exchangeConnector({ platform: httpExchangePlatform({ url: platform.url }), province: province.id, directory: province, rules, ...extra })
    const engine = createEngine({
      store: store.open(),
      ...provinceEngineOptions(province, { plugins: [exchange] }),
      clock,
      scheduler: false,
      outbox: { enabled: false },
      logger: silentLogger,
    })
    return { engine, exchange }
  }
  let current = open()
  await current.engine.start()
  return {
    get engine() {
      return current.engine
    },
    get exchange() {
      return current.exchange
    },
    clock,
    province,
    async restart() {
      await current.engine.close()
      current = open()
      await current.engine.start()
    },
    async close() {
      await current.engine.close()
      await store.dispose()
    },
  }
}

/** An actor of Vĩnh Phúc. */
export const actor = (id: string, agency: string, role: string): Actor => ({ id, province: "vinh-phuc", agency, roles: [role] })

/** An incoming package from `from` to the coordinator (Sở TT&TT), unsigned. */
export function incoming(from: { organId: string; organName: string }, fields: Partial<EdxmlPackage> & { number: string; notation: string }): { documentId: string; xml: string } {
  const at = new Date("2025-03-03T01:00:00Z")
  const promulgationDate = vietnamDate(at)
  const documentId = `${from.organId},${promulgationDate.replaceAll("-", "/")},${fields.number}/${fields.notation}`
  const { number, notation, ...rest } = fields
  const pkg: EdxmlPackage = {
    from,
    to: [{ organId: codes["so-tttt"], organName: "Sở Thông tin và Truyền thông tỉnh Vĩnh Phúc" }],
    documentId,
    code: { codeNumber: number, codeNotation: notation },
    promulgationInfo: { place: "Hà Nội", promulgationDate },
    documentType: { type: 2, typeName: "Quyết định" },
    subject: "Văn bản",
    signerInfo: { fullName: "Nguyễn Văn An" },
    traceHeaders: [{ organId: from.organId, timestamp: at }],
    attachments: [],
    ...rest,
  }
  return { documentId, xml: buildEdxmlPackage(pkg) }
}

export { startFakeExchangePlatform }
