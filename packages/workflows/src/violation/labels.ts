import type { Label } from "@civicase/core"
import { AGENCY_SUCCEEDED, agencySucceededLabel } from "../province/succession-event.js"

/** Bilingual labels of the `violation` workflow. */
export const violationLabels: { title: Label; description: Label; states: Record<string, Label>; events: Record<string, Label> } = {
  title: { vi: "Kiểm tra, xử lý vi phạm trong hoạt động thông tin đối ngoại", en: "Violation handling" },
  description: {
    vi: "Kiểm tra sơ bộ, thanh tra, kết luận, quyết định xử phạt theo khung, thông báo, khiếu nại, thi hành và xác minh khắc phục.",
    en: "Preliminary check, inspection, conclusion, sanction from the catalogue, notification, appeal, enforcement and verified compliance.",
  },
  states: {
    screening: { vi: "Tiếp nhận và kiểm tra sơ bộ", en: "Screening" },
    "screening.reported": { vi: "Đã tiếp nhận", en: "Reported" },
    "screening.preliminary_check": { vi: "Đang kiểm tra sơ bộ", en: "Preliminary check" },
    dismissed: { vi: "Không có căn cứ — đã đóng", en: "Dismissed" },
    inspection_opened: { vi: "Đang thanh tra, kiểm tra", en: "Inspection opened" },
    findings_recorded: { vi: "Đã ghi nhận kết quả", en: "Findings recorded" },
    no_violation: { vi: "Không vi phạm — đã đóng", en: "No violation" },
    violation_confirmed: { vi: "Xác định có vi phạm", en: "Violation confirmed" },
    sanction_decided: { vi: "Đã dự thảo quyết định xử phạt — chờ ký", en: "Sanction decided, awaiting signatures" },
    subject_notified: { vi: "Đã thông báo — trong thời hạn khiếu nại", en: "Subject notified, appeal window open" },
    appeal_review: { vi: "Đang giải quyết khiếu nại", en: "Appeal under review" },
    annulled: { vi: "Quyết định bị hủy — đã đóng", en: "Annulled" },
    enforcement: { vi: "Đang thi hành", en: "Enforcement" },
    compliance_verified: { vi: "Đã xác minh việc chấp hành", en: "Compliance verified" },
    closed: { vi: "Đã đóng", en: "Closed" },
  },
  events: {
    START_CHECK: { vi: "Bắt đầu kiểm tra sơ bộ", en: "Start the preliminary check" },
    DISMISS: { vi: "Không xử lý (nêu lý do)", en: "Dismiss with a reason" },
    OPEN_INSPECTION: { vi: "Quyết định thanh tra, kiểm tra", en: "Open an inspection" },
    RECORD_FINDINGS: { vi: "Ghi nhận kết quả", en: "Record the findings" },
    CONCLUDE_NO_VIOLATION: { vi: "Kết luận không vi phạm", en: "Conclude: no violation" },
    CONFIRM_VIOLATION: { vi: "Kết luận có vi phạm", en: "Confirm the violation" },
    DECIDE_SANCTION: { vi: "Quyết định hình thức xử phạt", en: "Decide the sanction" },
    SIGN: { vi: "Ký quyết định", en: "Sign" },
    RETURN_SANCTION: { vi: "Trả lại dự thảo quyết định", en: "Return the sanction" },
    NOTIFY_SUBJECT: { vi: "Thông báo cho đối tượng", en: "Notify the subject" },
    FILE_APPEAL: { vi: "Tiếp nhận khiếu nại", en: "File an appeal" },
    UPHOLD: { vi: "Giữ nguyên quyết định", en: "Uphold" },
    AMEND: { vi: "Sửa đổi quyết định", en: "Amend" },
    ANNUL: { vi: "Hủy quyết định", en: "Annul" },
    VERIFY_COMPLIANCE: { vi: "Xác minh việc chấp hành", en: "Verify compliance" },
    CLOSE: { vi: "Đóng hồ sơ", en: "Close" },
    [AGENCY_SUCCEEDED]: agencySucceededLabel,
  },
}

/** Labels of the `violation` deadlines. */
export const violationDeadlineLabels: Record<string, Label> = {
  preliminaryCheck: { vi: "Hạn kiểm tra sơ bộ", en: "Preliminary check deadline" },
  inspection: { vi: "Hạn thanh tra, kiểm tra", en: "Inspection deadline" },
  sanction: { vi: "Hạn ban hành quyết định xử phạt", en: "Sanction deadline" },
  appealWindow: { vi: "Thời hạn khiếu nại", en: "Appeal window" },
  appealReview: { vi: "Hạn giải quyết khiếu nại", en: "Appeal review deadline" },
  enforcement: { vi: "Hạn chấp hành", en: "Enforcement deadline" },
}
