import type { Label } from "@civicase/core"
import { AGENCY_SUCCEEDED, agencySucceededLabel } from "../province/succession-event.js"

/** Bilingual labels of the `press-response` workflow. */
export const pressResponseLabels: {
  title: Label
  description: Label
  states: Record<string, Label>
  events: Record<string, Label>
} = {
  title: { vi: "Cung cấp thông tin cho báo chí về sự cố nhạy cảm", en: "Sensitive-incident press response" },
  description: {
    vi: "Tiếp nhận, phân loại, xác minh, soạn thảo, phê duyệt và công bố thông tin chính thức về sự cố nhạy cảm, thông tin sai sự thật hoặc yêu cầu của báo chí nước ngoài.",
    en: "Receive, triage, verify, draft, approve and publish official information on a sensitive incident, false information or a foreign press request.",
  },
  states: {
    reported: { vi: "Đã tiếp nhận", en: "Reported" },
    responding: { vi: "Đang xử lý", en: "Responding" },
    "responding.fact_finding": { vi: "Đang xác minh", en: "Fact finding" },
    "responding.drafting": { vi: "Đang soạn thông cáo", en: "Drafting the statement" },
    "responding.statement_drafted": { vi: "Đã có dự thảo thông cáo", en: "Statement drafted" },
    "responding.review": { vi: "Đang phê duyệt", en: "Under review" },
    "responding.approved": { vi: "Đã phê duyệt", en: "Approved" },
    published: { vi: "Đã công bố", en: "Published" },
    "published.monitoring": { vi: "Đang theo dõi dư luận", en: "Monitoring" },
    closed: { vi: "Đã đóng", en: "Closed" },
    archived: { vi: "Đã lưu trữ", en: "Archived" },
  },
  events: {
    TRIAGE: { vi: "Phân loại", en: "Triage" },
    RECORD_FACTS: { vi: "Ghi nhận kết quả xác minh", en: "Record the facts" },
    DRAFT_STATEMENT: { vi: "Soạn thông cáo", en: "Draft the statement" },
    SUBMIT_FOR_REVIEW: { vi: "Trình phê duyệt", en: "Submit for review" },
    APPROVE: { vi: "Phê duyệt", en: "Approve" },
    SEND_BACK: { vi: "Trả lại dự thảo", en: "Send back" },
    PUBLISH: { vi: "Công bố", en: "Publish" },
    ADD_MONITORING_NOTE: { vi: "Ghi nhận dư luận", en: "Add a monitoring note" },
    CLOSE: { vi: "Đóng hồ sơ (kèm báo cáo rút kinh nghiệm)", en: "Close with an after-action report" },
    REOPEN: { vi: "Mở lại hồ sơ", en: "Re-open" },
    [AGENCY_SUCCEEDED]: agencySucceededLabel,
  },
}

/** Labels of the `press-response` deadlines. */
export const pressResponseDeadlineLabels: Record<string, Label> = {
  triage: { vi: "Hạn phân loại", en: "Triage deadline" },
  factFinding: { vi: "Hạn xác minh", en: "Fact-finding deadline" },
  drafting: { vi: "Hạn soạn thông cáo", en: "Drafting deadline" },
  review: { vi: "Hạn phê duyệt", en: "Review deadline" },
  publication: { vi: "Hạn công bố thông tin", en: "Publication deadline" },
  monitoring: { vi: "Hết thời gian theo dõi", en: "End of monitoring" },
  reopenWindow: { vi: "Hết thời hạn mở lại", en: "Re-open window" },
}
