import type { Label } from "@civicase/core"
import { AGENCY_SUCCEEDED, agencySucceededLabel } from "../../province/succession-event.js"
import { violationLabels } from "../labels.js"

const { FILE_APPEAL: _file, ...sharedEvents } = violationLabels.events
const { subject_notified: _notified, appeal_review: _review, enforcement: _enforcement, ...sharedStates } = violationLabels.states

/** Bilingual labels of the `violation` workflow, version 2 (the states and events before the decision is in force are version 1's). */
export const violationV2Labels: { title: Label; description: Label; states: Record<string, Label>; events: Record<string, Label> } = {
  title: violationLabels.title,
  description: {
    vi: "Kiểm tra sơ bộ, thanh tra, kết luận, quyết định xử phạt theo khung, thông báo; quyết định được thi hành ngay, song song với thời hiệu khiếu nại (khiếu nại không làm tạm đình chỉ thi hành, trừ khi người giải quyết quyết định hoặc cấu hình quy định); sửa đổi hoặc hủy quyết định làm thay đổi việc thi hành.",
    en: "Preliminary check, inspection, conclusion, sanction from the catalogue, notification; the decision is enforced at once, beside the complaint window (a complaint does not suspend it unless the reviewer decides so or the configuration says so); an amendment or annulment changes the enforcement in progress.",
  },
  states: {
    ...sharedStates,
    decision_in_force: { vi: "Quyết định có hiệu lực", en: "Decision in force" },
    "decision_in_force.enforcement": { vi: "Thi hành quyết định", en: "Enforcement" },
    "decision_in_force.enforcement.starting": { vi: "Bắt đầu thi hành", en: "Starting" },
    "decision_in_force.enforcement.held": { vi: "Chờ hết thời hiệu khiếu nại (theo cấu hình)", en: "Held until the complaint window ends (configured)" },
    "decision_in_force.enforcement.enforcing": { vi: "Đang thi hành", en: "Enforcing" },
    "decision_in_force.enforcement.suspended": { vi: "Tạm đình chỉ thi hành", en: "Enforcement suspended" },
    "decision_in_force.enforcement.complied": { vi: "Đã chấp hành", en: "Complied" },
    "decision_in_force.complaint": { vi: "Khiếu nại", en: "Complaint" },
    "decision_in_force.complaint.window_open": { vi: "Trong thời hiệu khiếu nại", en: "Complaint window open" },
    "decision_in_force.complaint.under_review": { vi: "Đang giải quyết khiếu nại", en: "Complaint under review" },
    "decision_in_force.complaint.resolved": { vi: "Đã giải quyết khiếu nại", en: "Complaint resolved" },
    "decision_in_force.complaint.window_closed": { vi: "Hết thời hiệu khiếu nại", en: "Complaint window closed" },
  },
  events: {
    ...sharedEvents,
    FILE_COMPLAINT: { vi: "Tiếp nhận khiếu nại", en: "File a complaint" },
    SUSPEND_ENFORCEMENT: { vi: "Tạm đình chỉ việc thi hành", en: "Suspend enforcement" },
    RESUME_ENFORCEMENT: { vi: "Hủy bỏ tạm đình chỉ", en: "Lift the suspension" },
    [AGENCY_SUCCEEDED]: agencySucceededLabel,
  },
}

/** Labels of the `violation` deadlines, version 2. */
export const violationV2DeadlineLabels: Record<string, Label> = {
  preliminaryCheck: { vi: "Hạn kiểm tra sơ bộ", en: "Preliminary check deadline" },
  inspection: { vi: "Hạn thanh tra, kiểm tra", en: "Inspection deadline" },
  sanction: { vi: "Hạn ban hành quyết định xử phạt", en: "Sanction deadline" },
  complaintWindow: { vi: "Hết thời hiệu khiếu nại", en: "End of the complaint window" },
  complaintReview: { vi: "Hạn giải quyết khiếu nại", en: "Complaint review deadline" },
  enforcement: { vi: "Hạn chấp hành", en: "Enforcement deadline" },
}
