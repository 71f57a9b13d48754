import type { Label } from "@civicase/core"

/** Bilingual labels of the `plan` workflow, version 2. */
export const planV2Labels: { title: Label; description: Label; states: Record<string, Label>; events: Record<string, Label> } = {
  title: { vi: "Kế hoạch và báo cáo định kỳ TTĐN", en: "External information plan and periodic reports" },
  description: {
    vi: "Mỗi cơ quan xây dựng, ban hành kế hoạch TTĐN hằng năm của mình (thủ trưởng cơ quan phê duyệt, ban hành); đề án và kế hoạch trình UBND tỉnh do Sở TT&TT thẩm định, lãnh đạo UBND tỉnh phê duyệt; Sở TT&TT hướng dẫn, đôn đốc, kiểm tra và được thông báo khi kế hoạch ban hành; cơ quan báo cáo kết quả các chỉ tiêu theo kỳ đến khi tổng kết.",
    en: "Each agency drafts and issues its own yearly external-information plan (its head approves and issues it); projects and plans for the province leadership are appraised by the coordinator's head and approved by the province leader; the coordinator guides, urges and inspects, and is told when a plan is issued; the agency reports its indicators each period until a closing summary.",
  },
  states: {
    draft: { vi: "Dự thảo", en: "Draft" },
    approval: { vi: "Trình phê duyệt", en: "In approval" },
    revision_requested: { vi: "Yêu cầu chỉnh sửa", en: "Revision requested" },
    issued: { vi: "Đã ban hành", en: "Issued" },
    in_implementation: { vi: "Đang triển khai", en: "In implementation" },
    "in_implementation.awaiting_report": { vi: "Chờ báo cáo kỳ", en: "Awaiting period report" },
    "in_implementation.overdue": { vi: "Báo cáo quá hạn", en: "Report overdue" },
    "in_implementation.report_review": { vi: "Xem xét báo cáo", en: "Report under review" },
    summarizing: { vi: "Tổng kết kết quả", en: "Summarizing results" },
    closed: { vi: "Đã kết thúc", en: "Closed" },
    cancelled: { vi: "Đã hủy", en: "Cancelled" },
  },
  events: {
    SUBMIT: { vi: "Trình thủ trưởng", en: "Submit to the agency head" },
    APPROVE: { vi: "Phê duyệt (bước cuối: ban hành)", en: "Approve (the last step issues)" },
    APPRAISE: { vi: "Thẩm định", en: "Appraise" },
    RETURN: { vi: "Trả lại để chỉnh sửa", en: "Return for revision" },
    COMMENT: { vi: "Góp ý, hướng dẫn, đôn đốc", en: "Comment, guide or urge" },
    START_IMPLEMENTATION: { vi: "Bắt đầu triển khai", en: "Start implementation" },
    SUBMIT_REPORT: { vi: "Nộp báo cáo kỳ", en: "Submit period report" },
    ACCEPT_REPORT: { vi: "Chấp nhận báo cáo", en: "Accept report" },
    RETURN_REPORT: { vi: "Trả lại báo cáo", en: "Return report" },
    CLOSE: { vi: "Tổng kết và đóng", en: "Close with summary" },
    CANCEL: { vi: "Hủy kế hoạch", en: "Cancel plan" },
  },
}
