import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { type EdxmlPackage, type EdxmlStatusPacket, buildEdxmlPackage, buildEdxmlStatus, parseEdxml, parseEdxmlPackage, parseEdxmlStatus } from "@civicase/adapters/edxml"

const fixture = (name: string) => readFileSync(new URL(`./fixtures/edxml/${name}`, import.meta.url))
const utf8 = (s: string) => new Uint8Array(Buffer.from(s, "utf8"))
/** The instant of a Vietnam wall-clock time (UTC+7). */
const vn = (local: string) => new Date(`${local}+07:00`)

const coordinator = { organId: "000.00.14.H62", organName: "Sở Thông tin và Truyền thông tỉnh Vĩnh Phúc" }
const province = { organId: "000.00.00.H62", organName: "Ủy ban nhân dân tỉnh Vĩnh Phúc" }

const expectedPackages: Record<string, EdxmlPackage> = {
  "plan-approved.xml": {
    from: {
      organId: "000.00.09.H62",
      organizationInCharge: "Ủy ban nhân dân tỉnh Vĩnh Phúc",
      organName: "Sở Nội vụ tỉnh Vĩnh Phúc",
      address: "Số 8, đường Nguyễn Trãi, phường Đống Đa, thành phố Vĩnh Yên, tỉnh Vĩnh Phúc",
      email: "snv@vinhphuc.gov.vn",
      telephone: "0211 3862 438",
      fax: "0211 3862 439",
      website: "https://sonoivu.vinhphuc.gov.vn",
    },
    to: [{ ...coordinator, email: "stttt@vinhphuc.gov.vn" }],
    documentId: "000.00.09.H62,2025/01/10,12/KH-SNV",
    code: { codeNumber: "12", codeNotation: "KH-SNV" },
    promulgationInfo: { place: "Vĩnh Phúc", promulgationDate: "2025-01-10" },
    documentType: { type: 1, typeDetail: 0, typeName: "Kế hoạch" },
    subject: "Kế hoạch thông tin đối ngoại năm 2025 của Sở Nội vụ",
    signerInfo: { competence: "KT. Giám đốc", position: "Phó Giám đốc", fullName: "Lê Thị Hồng Nhung" },
    dueDate: "2025-01-24",
    toPlaces: ["Sở Thông tin và Truyền thông", "Lưu: VT, CCVC"],
    otherInfo: {
      priority: 0,
      sphereOfPromulgation: "Thông tin đối ngoại",
      typerNotation: "NT",
      promulgationAmount: 3,
      pageAmount: 6,
      appendixes: ["Phụ lục I: Danh mục nhiệm vụ"],
    },
    steeringType: 0,
    traceHeaders: [{ organId: "000.00.09.H62", timestamp: vn("2025-01-10T15:30:00") }],
    business: {
      docType: "new",
      reason: "Văn bản điện tử mới",
      staffInfo: { department: "Văn phòng Sở", staff: "Nguyễn Thị Thu Trang", mobile: "0912345678", email: "vanthu.snv@vinhphuc.gov.vn" },
      paper: false,
    },
    attachments: [
      {
        contentId: "kh-12-snv.pdf",
        name: "12-KH-SNV.pdf",
        contentType: "application/pdf",
        description: "Kế hoạch đã ký số",
        content: utf8("%PDF-1.4\n% Kế hoạch 12/KH-SNV: thông tin đối ngoại năm 2025 (bản mẫu civicase)\n%%EOF\n"),
      },
      {
        contentId: "phu-luc-1",
        name: "Phụ lục I - Danh mục nhiệm vụ.txt",
        contentType: "text/plain",
        description: "Phụ lục I",
        content: utf8("Phụ lục I: Danh mục nhiệm vụ thông tin đối ngoại năm 2025\n1. Tuyên truyền về hình ảnh tỉnh Vĩnh Phúc\n2. Cung cấp thông tin cho báo chí nước ngoài\n"),
      },
    ],
  },
  "sanction-decision.xml": {
    from: { ...coordinator, address: "Số 6, đường Lê Lợi, phường Ngô Quyền, thành phố Vĩnh Yên", email: "stttt@vinhphuc.gov.vn", telephone: "0211 3842 552" },
    to: [{ organId: "000.00.21.H62", organName: "Ủy ban nhân dân huyện Tam Đảo" }, province],
    documentId: "000.00.14.H62,2025/03/05,45/QĐ-XPHC",
    code: { codeNumber: "45", codeNotation: "QĐ-XPHC" },
    promulgationInfo: { place: "Vĩnh Phúc", promulgationDate: "2025-03-05" },
    documentType: { type: 2, typeName: "Quyết định" },
    subject: "Quyết định xử phạt vi phạm hành chính đối với Công ty TNHH Truyền thông Hồng Hà & các cá nhân liên quan",
    signerInfo: { competence: "Người có thẩm quyền xử phạt", position: "Giám đốc", fullName: "Nguyễn Văn Đức" },
    dueDate: "2025-03-15",
    otherInfo: { priority: 1, pageAmount: 3 },
    steeringType: 1,
    traceHeaders: [{ organId: "000.00.14.H62", timestamp: vn("2025-03-05T09:15:30") }],
    attachments: [
      {
        contentId: "qd-45-xphc",
        name: "45-QĐ-XPHC.pdf",
        contentType: "application/pdf",
        description: "Quyết định xử phạt (bản ký số)",
        content: utf8("%PDF-1.4\n% Quyết định 45/QĐ-XPHC: xử phạt vi phạm hành chính (bản mẫu civicase)\n%%EOF\n"),
      },
    ],
  },
  "central-award-decision.xml": {
    from: { organId: "000.00.00.G22", organName: "Văn phòng Chính phủ", address: "Số 1, Hoàng Hoa Thám, Ba Đình, Hà Nội", website: "https://vpcp.chinhphu.vn" },
    to: [province],
    responseFor: [{ organId: "000.00.00.H62", code: "210/TTr-UBND", promulgationDate: "2025-07-15", documentId: "000.00.00.H62,2025/07/15,210/TTr-UBND" }],
    documentId: "000.00.00.G22,2025/09/02,1234/QĐ-TTg",
    code: { codeNumber: "1234", codeNotation: "QĐ-TTg" },
    promulgationInfo: { place: "Hà Nội", promulgationDate: "2025-09-02" },
    documentType: { type: 2, typeDetail: 3, typeName: "Quyết định" },
    subject: "Quyết định về việc tặng Bằng khen của Thủ tướng Chính phủ cho tập thể và cá nhân tỉnh Vĩnh Phúc có thành tích xuất sắc trong công tác thông tin đối ngoại",
    signerInfo: { competence: "KT. Thủ tướng", position: "Phó Thủ tướng", fullName: "Trần Văn Minh" },
    toPlaces: ["UBND tỉnh Vĩnh Phúc", "Ban Thi đua - Khen thưởng Trung ương"],
    otherInfo: { priority: 0, promulgationAmount: 5, pageAmount: 2 },
    steeringType: 0,
    traceHeaders: [
      { organId: "000.00.00.G22", timestamp: vn("2025-09-02T16:45:10") },
      { organId: "000.00.00.H62", timestamp: vn("2025-09-02T16:47:02") },
    ],
    business: {
      docType: "replace",
      reason: "Thay thế Quyết định số 1200/QĐ-TTg do sai tên cá nhân được khen thưởng",
      documentId: "000.00.00.G22,2025/08/20,1200/QĐ-TTg",
      paper: true,
      replacements: [{ documentId: "000.00.00.G22,2025/08/20,1200/QĐ-TTg", organIds: ["000.00.00.H62", "000.00.00.G12"] }],
    },
    attachments: [
      {
        contentId: "qd-1234-ttg",
        name: "1234-QĐ-TTg.pdf",
        contentType: "application/pdf",
        content: utf8("%PDF-1.4\n% Quyết định 1234/QĐ-TTg: tặng Bằng khen của Thủ tướng Chính phủ (bản mẫu civicase)\n%%EOF\n"),
      },
    ],
  },
  "complaint.xml": {
    from: { organId: "000.01.00.H62", organizationInCharge: "Ủy ban nhân dân tỉnh Vĩnh Phúc", organName: "Ban Tiếp công dân tỉnh Vĩnh Phúc" },
    to: [coordinator],
    responseFor: [{ organId: "000.00.14.H62", code: "45/QĐ-XPHC", promulgationDate: "2025-03-05", documentId: "000.00.14.H62,2025/03/05,45/QĐ-XPHC" }],
    documentId: "000.01.00.H62,2025/03/20,87/PC-BTCD",
    code: { codeNumber: "87", codeNotation: "PC-BTCD" },
    promulgationInfo: { place: "Vĩnh Phúc", promulgationDate: "2025-03-20" },
    documentType: { type: 5, typeName: "Phiếu chuyển đơn" },
    subject: "Chuyển đơn khiếu nại của Công ty TNHH Truyền thông Hồng Hà đối với Quyết định số 45/QĐ-XPHC",
    content:
      "Ban Tiếp công dân tỉnh nhận được đơn khiếu nại đề ngày 18/3/2025 của Công ty TNHH Truyền thông Hồng Hà.\n" +
      "Nội dung: đề nghị xem xét lại mức phạt tại Quyết định số 45/QĐ-XPHC ngày 05/3/2025 <vì cho rằng áp dụng sai điều khoản>.\n" +
      "Đề nghị Sở Thông tin và Truyền thông giải quyết theo thẩm quyền & trả lời công dân.",
    signerInfo: { competence: "TL. Chủ tịch", position: "Trưởng Ban", fullName: "Phạm Quốc Việt" },
    dueDate: "2025-04-20",
    traceHeaders: [{ organId: "000.01.00.H62", timestamp: vn("2025-03-20T08:05:00") }],
    attachments: [
      {
        contentId: "don-khieu-nai",
        name: "Đơn khiếu nại - Hồng Hà.txt",
        contentType: "text/plain",
        description: "Đơn khiếu nại (bản chụp)",
        content: utf8("Đơn khiếu nại của Công ty TNHH Truyền thông Hồng Hà đối với Quyết định số 45/QĐ-XPHC (bản mẫu civicase)\n"),
      },
    ],
  },
}

const expectedStatuses: Record<string, EdxmlStatusPacket> = {
  "status-processing.xml": {
    responseFor: { organId: "000.00.09.H62", code: "12/KH-SNV", promulgationDate: "2025-01-10", documentId: "000.00.09.H62,2025/01/10,12/KH-SNV" },
    from: coordinator,
    status: "processing",
    description: "Phòng Thông tin - Báo chí đang xem xét kế hoạch",
    timestamp: vn("2025-01-13T10:20:00"),
    staffInfo: { department: "Phòng Thông tin - Báo chí", staff: "Đỗ Minh Tuấn", email: "tuan.dm@vinhphuc.gov.vn" },
  },
  "status-done.xml": {
    responseFor: { organId: "000.00.00.G22", code: "1234/QĐ-TTg", promulgationDate: "2025-09-02", documentId: "000.00.00.G22,2025/09/02,1234/QĐ-TTg" },
    from: province,
    status: "done",
    timestamp: vn("2025-09-10T14:00:00"),
  },
  "status-rejection.xml": {
    responseFor: { organId: "000.00.14.H62", code: "45/QĐ-XPHC", promulgationDate: "2025-03-05", documentId: "000.00.14.H62,2025/03/05,45/QĐ-XPHC" },
    from: { organId: "000.00.21.H62", organName: "Ủy ban nhân dân huyện Tam Đảo", telephone: "0211 3824 012" },
    status: "rejection",
    description: "Văn bản gửi nhầm đơn vị: đối tượng bị xử phạt không thuộc địa bàn huyện Tam Đảo",
    timestamp: vn("2025-03-05T11:02:45"),
    staffInfo: { department: "Văn phòng HĐND và UBND huyện", staff: "Hoàng Thị Mai", mobile: "0987654321" },
  },
}

describe("edXML fixtures (packages written from the standard's structure)", () => {
  for (const [name, expected] of Object.entries(expectedPackages)) {
    it(`${name} parses to the expected package, and the package it builds parses back the same`, async () => {
      const parsed = await parseEdxmlPackage(fixture(name))
      expect(parsed).toEqual(expected)
      expect(await parseEdxmlPackage(buildEdxmlPackage(parsed))).toEqual(expected)
      expect(await parseEdxml(fixture(name))).toEqual({ kind: "package", package: expected })
    })
  }

  for (const [name, expected] of Object.entries(expectedStatuses)) {
    it(`${name} parses to the expected status packet, and builds back the same`, async () => {
      const parsed = await parseEdxmlStatus(fixture(name))
      expect(parsed).toEqual(expected)
      expect(await parseEdxmlStatus(buildEdxmlStatus(parsed))).toEqual(expected)
      expect(await parseEdxml(fixture(name))).toEqual({ kind: "status", status: expected })
    })
  }

  it("a status packet is not a package, and the error names the missing MessageHeader", async () => {
    await expect(parseEdxmlPackage(fixture("status-done.xml"))).rejects.toMatchObject({
      code: "CIVICASE_E_EDXML_MISSING_ELEMENT",
      path: "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader",
    })
  })

  it("accepts the content-id forms senders use: with or without cid: on either side, no xlink:href", async () => {
    const variant = fixture("sanction-decision.xml")
      .toString("utf8")
      .replace("<ContentId>qd-45-xphc</ContentId>", "<ContentId>cid:qd-45-xphc</ContentId>")
      .replace("<edXML:ContentId>cid:qd-45-xphc</edXML:ContentId>", "<edXML:ContentId>qd-45-xphc</edXML:ContentId>")
      .replace(' xlink:href="cid:qd-45-xphc" xlink:type="simple"', "")
    expect(variant).not.toBe(fixture("sanction-decision.xml").toString("utf8"))
    expect(await parseEdxmlPackage(variant)).toEqual(expectedPackages["sanction-decision.xml"])
  })

  it("writes the standard's element order and namespace, with the prefix on the envelope", async () => {
    const xml = buildEdxmlPackage(await parseEdxmlPackage(fixture("central-award-decision.xml")))
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">')).toBe(true)
    expect(xml).toContain('<edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">')
    const order = ["From", "To", "Code", "PromulgationInfo", "DocumentType", "Subject", "SignerInfo", "ToPlaces", "OtherInfo", "ResponseFor", "SteeringType", "DocumentId"]
    const end = xml.indexOf("</edXML:MessageHeader>")
    // ResponseFor holds a Code and a DocumentId of its own: the header's Code comes first, its DocumentId last.
    const at = order.map((e) => (e === "DocumentId" ? xml.lastIndexOf(`<edXML:${e}>`, end) : xml.indexOf(`<edXML:${e}>`)))
    expect(at.every((p) => p > 0)).toBe(true)
    expect([...at].sort((a, b) => a - b)).toEqual(at)
    expect(xml).toContain("<edXML:PromulgationDate>2025/09/02</edXML:PromulgationDate>")
    expect(xml).toContain("<edXML:Timestamp>2025/09/02 16:45:10</edXML:Timestamp>")
    expect(xml).toContain('xlink:href="cid:qd-1234-ttg"')
    expect(xml.indexOf("<AttachmentEncoded>")).toBeGreaterThan(xml.indexOf("</edXML:edXMLEnvelope>"))
  })
})
