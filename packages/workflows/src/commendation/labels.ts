import type { Label } from "@civicase/core"
import { AGENCY_SUCCEEDED, agencySucceededLabel } from "../province/succession-event.js"

/** Bilingual labels of the `commendation` workflow. */
export const commendationLabels: { title: Label; description: Label; states: Record<string, Label>; events: Record<string, Label> } = {
  title: { vi: "Khen thưởng công tác thông tin đối ngoại", en: "Commendation" },
  description: {
    vi: "Đề nghị, xét duyệt của cơ quan, thẩm định hồ sơ, Hội đồng Thi đua – Khen thưởng biểu quyết, quyết định hoặc trình cấp trên, công bố.",
    en: "Nomination, agency review, completeness check, council vote, decision or forwarding to central level, announcement.",
  },
  states: {
    nominated: { vi: "Đã đề nghị", en: "Nominated" },
    agency_review: { vi: "Thủ trưởng cơ quan xét duyệt", en: "Agency review" },
    submitted: { vi: "Đã gửi Hội đồng", en: "Submitted to the council" },
    "submitted.completeness_check": { vi: "Kiểm tra tính đầy đủ của hồ sơ", en: "Completeness check" },
    "submitted.documents_requested": { vi: "Yêu cầu bổ sung hồ sơ", en: "Documents requested" },
    council_vote: { vi: "Hội đồng biểu quyết", en: "Council vote" },
    proposed: { vi: "Đã đề xuất", en: "Proposed" },
    forwarded_to_central: { vi: "Đã trình cấp trung ương", en: "Forwarded to central level" },
    decided: { vi: "Đã quyết định khen thưởng", en: "Decided" },
    announced: { vi: "Đã công bố", en: "Announced" },
    rejected: { vi: "Không khen thưởng", en: "Rejected" },
    closed: { vi: "Đã đóng", en: "Closed" },
  },
  events: {
    SUBMIT_NOMINATION: { vi: "Trình thủ trưởng", en: "Submit for agency review" },
    ENDORSE: { vi: "Đồng ý, gửi Hội đồng", en: "Endorse" },
    RETURN: { vi: "Trả lại", en: "Return" },
    REJECT: { vi: "Không đồng ý (nêu lý do)", en: "Reject with a reason" },
    MARK_COMPLETE: { vi: "Hồ sơ đầy đủ", en: "Mark complete" },
    REQUEST_DOCUMENTS: { vi: "Yêu cầu bổ sung", en: "Request documents" },
    PROVIDE_DOCUMENTS: { vi: "Bổ sung hồ sơ", en: "Provide documents" },
    VOTE: { vi: "Biểu quyết", en: "Vote" },
    CLOSE_VOTE: { vi: "Kết thúc biểu quyết", en: "Close the vote" },
    DECIDE: { vi: "Ký quyết định khen thưởng", en: "Sign the decision" },
    FORWARD_TO_CENTRAL: { vi: "Trình cấp trung ương", en: "Forward to central level" },
    RECORD_CENTRAL_DECISION: { vi: "Ghi nhận quyết định của trung ương", en: "Record the central decision" },
    ANNOUNCE: { vi: "Công bố", en: "Announce" },
    CLOSE: { vi: "Đóng hồ sơ", en: "Close" },
    [AGENCY_SUCCEEDED]: agencySucceededLabel,
  },
}

/** Labels of the `commendation` deadlines. */
export const commendationDeadlineLabels: Record<string, Label> = {
  agencyReview: { vi: "Hạn xét duyệt của cơ quan", en: "Agency review deadline" },
  completenessCheck: { vi: "Hạn kiểm tra hồ sơ", en: "Completeness check deadline" },
  councilVote: { vi: "Hạn biểu quyết", en: "Council vote deadline" },
  decision: { vi: "Hạn quyết định", en: "Decision deadline" },
  announcement: { vi: "Hạn công bố", en: "Announcement deadline" },
}
