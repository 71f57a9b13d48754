import type { EdxmlDate } from "./dates.js"

/**
 * An agency, as `From`, `To` and a status packet's `From` carry it (thông tin
 * cơ quan, tổ chức). Element order in the package: `OrganId`,
 * `OrganizationInCharge`, `OrganName`, `OrganAdd`, `Email`, `Telephone`,
 * `Fax`, `Website`.
 *
 * @example
 * const coordinator: EdxmlOrganization = { organId: "000.00.14.H62", organName: "Sở Thông tin và Truyền thông tỉnh Vĩnh Phúc", email: "stttt@vinhphuc.gov.vn" }
 */
export interface EdxmlOrganization {
  /** `OrganId`, mã định danh cơ quan: the national agency code, e.g. `000.00.14.H62` (letters, digits, `.`, `-`, `_`). */
  readonly organId: string
  /** `OrganName`, tên cơ quan, tổ chức. */
  readonly organName: string
  /** `OrganizationInCharge`, cơ quan chủ quản (the parent body). */
  readonly organizationInCharge?: string
  /** `OrganAdd`, địa chỉ. */
  readonly address?: string
  /** `Email`, thư điện tử. */
  readonly email?: string
  /** `Telephone`, số điện thoại. */
  readonly telephone?: string
  /** `Fax`. */
  readonly fax?: string
  /** `Website`, trang thông tin điện tử. */
  readonly website?: string
}

/**
 * `Code`, số và ký hiệu văn bản: "155/KH-UBND" is number `155`, notation `KH-UBND`.
 *
 * @example
 * const code: EdxmlCode = { codeNumber: "155", codeNotation: "KH-UBND" }
 */
export interface EdxmlCode {
  /** `CodeNumber`, số văn bản. */
  readonly codeNumber: string
  /** `CodeNotation`, ký hiệu văn bản. */
  readonly codeNotation: string
}

/**
 * `PromulgationInfo`, nơi và ngày ban hành.
 *
 * @example
 * const issued: EdxmlPromulgationInfo = { place: "Vĩnh Phúc", promulgationDate: "2024-06-18" }
 */
export interface EdxmlPromulgationInfo {
  /** `Place`, địa danh nơi ban hành. */
  readonly place: string
  /** `PromulgationDate`, ngày ban hành (written `yyyy/MM/dd`). */
  readonly promulgationDate: EdxmlDate
}

/**
 * `DocumentType`, loại văn bản: a numeric type from the standard's catalogue,
 * an optional detail code, and the type's name as printed.
 *
 * @example
 * const type: EdxmlDocumentType = { type: 1, typeDetail: 0, typeName: "Kế hoạch" }
 */
export interface EdxmlDocumentType {
  /** `Type`, mã loại văn bản (a non-negative integer). */
  readonly type: number
  /** `TypeDetail`, mã chi tiết loại văn bản (a non-negative integer). */
  readonly typeDetail?: number
  /** `TypeName`, tên loại văn bản: "Quyết định", "Kế hoạch", "Công văn"… */
  readonly typeName: string
}

/**
 * `SignerInfo`, người ký.
 *
 * @example
 * const signer: EdxmlSignerInfo = { competence: "TM. Ủy ban nhân dân", position: "Chủ tịch", fullName: "Trần Duy Đông" }
 */
export interface EdxmlSignerInfo {
  /** `Competence`, quyền hạn người ký: "TM.", "KT.", "TL.", "TUQ."… */
  readonly competence?: string
  /** `Position`, chức vụ. */
  readonly position?: string
  /** `FullName`, họ và tên. */
  readonly fullName: string
}

/**
 * Độ khẩn (`OtherInfo/Priority`): 0 thường, 1 khẩn, 2 thượng khẩn, 3 hỏa
 * tốc, 4 hỏa tốc hẹn giờ. Public implementations disagree on whether 4 is
 * used; civicase reads and writes 0–4.
 *
 * @example
 * const urgent: EdxmlPriority = 1
 */
export type EdxmlPriority = 0 | 1 | 2 | 3 | 4

/**
 * `OtherInfo`, thông tin khác.
 *
 * @example
 * const other: EdxmlOtherInfo = { priority: 0, pageAmount: 4, promulgationAmount: 1, appendixes: ["Phụ lục I"] }
 */
export interface EdxmlOtherInfo {
  /** `Priority`, độ khẩn. */
  readonly priority?: EdxmlPriority
  /** `SphereOfPromulgation`, lĩnh vực / phạm vi ban hành. */
  readonly sphereOfPromulgation?: string
  /** `TyperNotation`, ký hiệu người đánh máy (the standard's spelling). */
  readonly typerNotation?: string
  /** `PromulgationAmount`, số lượng bản phát hành. */
  readonly promulgationAmount?: number
  /** `PageAmount`, số trang. */
  readonly pageAmount?: number
  /** `Appendixes/Appendix`, danh sách phụ lục. */
  readonly appendixes?: ReadonlyArray<string>
}

/**
 * `SteeringType`, chế độ chỉ đạo: 0 văn bản thông thường, 1 văn bản chỉ đạo,
 * 2 báo cáo kết quả thực hiện chỉ đạo. The public material shows the element
 * with 0 and 1; the meaning of 2 comes from implementations, not the text of
 * the standard.
 *
 * @example
 * const steering: EdxmlSteeringType = 1
 */
export type EdxmlSteeringType = 0 | 1 | 2

/**
 * `ResponseFor`, văn bản được phúc đáp: the earlier document this one answers
 * (in a `MessageHeader`), or the package a status packet reports on.
 *
 * @example
 * const answers: EdxmlResponseFor = { organId: "000.00.00.G22", code: "7816/VPCP-TTĐT", promulgationDate: "2015-09-30", documentId: "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT" }
 */
export interface EdxmlResponseFor {
  /** `OrganId` of the agency that issued the earlier document. */
  readonly organId: string
  /** `Code`, số và ký hiệu of the earlier document in one string ("7816/VPCP-TTĐT"). */
  readonly code: string
  /** `PromulgationDate` of the earlier document. */
  readonly promulgationDate: EdxmlDate
  /** `DocumentId` of the earlier document. */
  readonly documentId: string
}

/**
 * `TraceHeader`, vết chuyển: one hop of the package (which agency handled it, when).
 *
 * @example
 * const hop: EdxmlTraceHeader = { organId: "000.00.14.H62", timestamp: new Date("2024-06-18T02:30:00Z") }
 */
export interface EdxmlTraceHeader {
  /** `OrganId` of the agency at this hop. */
  readonly organId: string
  /** `Timestamp`, written `yyyy/MM/dd HH:mm:ss` in Vietnam time; whole seconds. */
  readonly timestamp: Date
}

/**
 * `StaffInfo`, cán bộ xử lý: who handled the document (in `Bussiness` and in status packets).
 *
 * @example
 * const clerk: EdxmlStaffInfo = { department: "Văn phòng", staff: "Nguyễn Thị Lan", email: "lan@vinhphuc.gov.vn" }
 */
export interface EdxmlStaffInfo {
  /** `Department`, phòng ban. */
  readonly department?: string
  /** `Staff`, họ tên cán bộ. */
  readonly staff?: string
  /** `Mobile`, số di động. */
  readonly mobile?: string
  /** `Email`. */
  readonly email?: string
}

/**
 * `BussinessDocType` (the standard's spelling), nghiệp vụ liên thông:
 * a new document (0), a recall (1, thu hồi), an update (2, cập nhật) or a
 * replacement (3, thay thế) of one sent before.
 *
 * @example
 * const kind: EdxmlBusinessDocType = "replace"
 */
export type EdxmlBusinessDocType = "new" | "revoke" | "update" | "replace"

/**
 * `ReplacementInfo`: a document this one replaces, and the agencies that had received it.
 *
 * @example
 * const replaced: EdxmlReplacementInfo = { documentId: "000.00.14.H62,2024/06/01,12/QĐ-STTTT", organIds: ["000.00.00.H62"] }
 */
export interface EdxmlReplacementInfo {
  /** `DocumentId` of the replaced document. */
  readonly documentId: string
  /** `OrganIdList/OrganId`: who received the replaced document. */
  readonly organIds: ReadonlyArray<string>
}

/**
 * `Bussiness`, thông tin nghiệp vụ (under `TraceHeaderList`; the amendment of
 * Thông tư 01/2022/TT-BTTTT uses it for recalls, updates and replacements).
 * `BussinessDocumentInfo` is not modelled (see docs/edxml.md).
 *
 * @example
 * const business: EdxmlBusiness = { docType: "update", reason: "Đính chính ngày hiệu lực", paper: false }
 */
export interface EdxmlBusiness {
  /** `BussinessDocType`. */
  readonly docType: EdxmlBusinessDocType
  /** `BussinessDocReason`, lý do thu hồi / cập nhật / thay thế. */
  readonly reason?: string
  /** `DocumentId` of the document recalled, updated or replaced. */
  readonly documentId?: string
  /** `StaffInfo`, cán bộ thực hiện. */
  readonly staffInfo?: EdxmlStaffInfo
  /** `Paper`: whether a paper copy is also sent (1) or not (0). */
  readonly paper?: boolean
  /** `ReplacementInfoList/ReplacementInfo`. */
  readonly replacements?: ReadonlyArray<EdxmlReplacementInfo>
}

/**
 * An attachment (tệp đính kèm): listed in the manifest (`edXMLBody/edXMLManifest/Reference`)
 * and carried base64 in `AttachmentEncoded/Attachment/ContentTransferEncoded`.
 *
 * @example
 * const file: EdxmlAttachment = { contentId: "kh-155", name: "155-KH-UBND.pdf", contentType: "application/pdf", description: "Kế hoạch đã ký số", content: pdfBytes }
 */
export interface EdxmlAttachment {
  /** `ContentId`, unique in the package (letters, digits, `.`, `-`, `_`, `@`); the manifest refers to it as `cid:<contentId>`. */
  readonly contentId: string
  /** `AttachmentName`, tên tệp. */
  readonly name: string
  /** `ContentType`, a MIME type such as `application/pdf`. */
  readonly contentType: string
  /** `Description`, mô tả. */
  readonly description?: string
  /** The file's bytes. */
  readonly content: Uint8Array
}

/**
 * An edXML package (gói tin edXML): one official document with its header,
 * its trace, and its attachments. `buildEdxmlPackage` writes it,
 * `parseEdxmlPackage` reads it back.
 *
 * Text values are kept as written, except that line ends become `\n` (as
 * every XML parser reads them) and codes (agency ids, dates, numbers) are
 * read without surrounding spaces.
 *
 * @example
 * const plan: EdxmlPackage = {
 *   from: { organId: "000.00.01.H62", organName: "Sở Nội vụ tỉnh Vĩnh Phúc" },
 *   to: [{ organId: "000.00.14.H62", organName: "Sở Thông tin và Truyền thông tỉnh Vĩnh Phúc" }],
 *   documentId: edxmlDocumentId({ organId: "000.00.01.H62", promulgationDate: "2025-01-10", codeNumber: "12", codeNotation: "KH-SNV" }),
 *   code: { codeNumber: "12", codeNotation: "KH-SNV" },
 *   promulgationInfo: { place: "Vĩnh Phúc", promulgationDate: "2025-01-10" },
 *   documentType: { type: 1, typeName: "Kế hoạch" },
 *   subject: "Kế hoạch thông tin đối ngoại năm 2025",
 *   signerInfo: { competence: "KT. Giám đốc", position: "Phó Giám đốc", fullName: "Lê Văn Hùng" },
 *   traceHeaders: [{ organId: "000.00.01.H62", timestamp: new Date("2025-01-10T03:00:00Z") }],
 *   attachments: [],
 * }
 */
export interface EdxmlPackage {
  /** `From`, cơ quan gửi. */
  readonly from: EdxmlOrganization
  /** `To`, cơ quan nhận: at least one. */
  readonly to: ReadonlyArray<EdxmlOrganization>
  /** `ResponseFor`, văn bản được phúc đáp (none, one or several). */
  readonly responseFor?: ReadonlyArray<EdxmlResponseFor>
  /** `DocumentId`, mã định danh văn bản; by convention `OrganId,yyyy/MM/dd,CodeNumber/CodeNotation` (see `edxmlDocumentId`). */
  readonly documentId: string
  /** `Code`, số và ký hiệu. */
  readonly code: EdxmlCode
  /** `PromulgationInfo`, nơi và ngày ban hành. */
  readonly promulgationInfo: EdxmlPromulgationInfo
  /** `DocumentType`, loại văn bản. */
  readonly documentType: EdxmlDocumentType
  /** `Subject`, trích yếu nội dung. */
  readonly subject: string
  /** `Content`, nội dung (for short documents sent without an attachment). */
  readonly content?: string
  /** `SignerInfo`, người ký. */
  readonly signerInfo: EdxmlSignerInfo
  /** `DueDate`, hạn xử lý. */
  readonly dueDate?: EdxmlDate
  /** `ToPlaces/Place`, nơi nhận as printed on the document. */
  readonly toPlaces?: ReadonlyArray<string>
  /** `OtherInfo`, thông tin khác. */
  readonly otherInfo?: EdxmlOtherInfo
  /** `SteeringType`, chế độ chỉ đạo. */
  readonly steeringType?: EdxmlSteeringType
  /** `TraceHeaderList/TraceHeader`, vết chuyển, oldest first. */
  readonly traceHeaders: ReadonlyArray<EdxmlTraceHeader>
  /** `TraceHeaderList/Bussiness`, thông tin nghiệp vụ. */
  readonly business?: EdxmlBusiness
  /** Tệp đính kèm, in manifest order. */
  readonly attachments: ReadonlyArray<EdxmlAttachment>
}
