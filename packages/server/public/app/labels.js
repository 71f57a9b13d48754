// Labels from GET /v1/workflows: Vietnamese first, English beside it; ids only when a workflow gives no label.
import { api } from "./api.js"

export const workflows = new Map()
const details = new Map()

export async function loadWorkflows() {
  const { items } = await api("/v1/workflows")
  for (const w of items) {
    const seen = workflows.get(w.id)
    // Several versions: the labels of every version (a case keeps the version it started on), the later winning.
    if (seen) w.labels = { ...w.labels, states: { ...seen.labels?.states, ...w.labels?.states }, events: { ...seen.labels?.events, ...w.labels?.events } }
    if (seen) w.versions = new Map([...seen.versions, [w.version, w]])
    else w.versions = new Map([[w.version, w]])
    workflows.set(w.id, w)
  }
  return workflows
}

/** One version's detail (states, diagram), read once. */
export async function workflowDetail(id, version) {
  const key = `${id}@${version}`
  if (!details.has(key)) details.set(key, await api(`/v1/workflows/${encodeURIComponent(id)}?version=${version}`))
  return details.get(key)
}

/** The event definitions (schema, label) of the version a case runs. */
export function eventDefinition(workflow, version, type) {
  const w = workflows.get(workflow)
  const v = w?.versions.get(version) || w
  return v?.events.find((e) => e.type === type)
}

/** A flat state ("a.b" or, for parallel regions, "a.b,c.d") with each leaf's label. */
export function stateLabel(workflow, flat) {
  if (flat === null || flat === undefined) return undefined
  const labels = workflows.get(workflow)?.labels?.states || {}
  const parts = String(flat).split(",").map((s) => (Object.hasOwn(labels, s) ? labels[s] : { vi: s, en: s }))
  return { vi: parts.map((p) => p.vi || p.en).join(" + "), en: parts.map((p) => p.en || p.vi).join(" + ") }
}

const builtIn = new Map([
  ["case.created", { vi: "Tạo hồ sơ", en: "Case created" }],
  ["case.assigned", { vi: "Phân công", en: "Assigned" }],
  ["case.commented", { vi: "Ý kiến", en: "Comment" }],
  ["case.document_attached", { vi: "Đính kèm tài liệu", en: "Document attached" }],
])

export function eventLabel(workflow, type) {
  if (builtIn.has(type)) return builtIn.get(type)
  const m = /^xstate\.after\.([^.]+)/.exec(type)
  if (m) return { vi: `Hết hạn: ${m[1]}`, en: `Deadline passed: ${m[1]}` }
  const labels = workflows.get(workflow)?.labels?.events || {}
  return Object.hasOwn(labels, type) ? labels[type] : undefined
}

// Field names the shipped workflows use in their payloads. A schema's own bilingual `title`
// ({ vi, en }) wins; a field with neither shows its name and the schema's description.
const fieldLabels = new Map(Object.entries({
  severity: { vi: "Mức độ", en: "Severity" },
  category: { vi: "Loại", en: "Category" },
  responsibleAgency: { vi: "Cơ quan chủ trì", en: "Responsible agency" },
  rationale: { vi: "Lý do", en: "Rationale" },
  closeRationale: { vi: "Lý do đóng ngay", en: "Reason to close at triage" },
  findings: { vi: "Kết quả xác minh", en: "Findings" },
  sources: { vi: "Nguồn", en: "Sources" },
  text: { vi: "Nội dung", en: "Text" },
  note: { vi: "Ghi chú", en: "Note" },
  comment: { vi: "Ý kiến", en: "Comment" },
  comments: { vi: "Nội dung cần sửa", en: "What must change" },
  channels: { vi: "Kênh công bố", en: "Channels" },
  publishedAt: { vi: "Thời điểm công bố", en: "Published at" },
  links: { vi: "Đường dẫn", en: "Links" },
  afterActionReport: { vi: "Báo cáo rút kinh nghiệm", en: "After-action report" },
  result: { vi: "Kết quả", en: "Result" },
  reason: { vi: "Lý do", en: "Reason" },
  summary: { vi: "Tóm tắt", en: "Summary" },
  title: { vi: "Tiêu đề", en: "Title" },
  decision: { vi: "Quyết định", en: "Decision" },
  agency: { vi: "Cơ quan", en: "Agency" },
  assignee: { vi: "Người xử lý", en: "Assignee" },
  dueDate: { vi: "Hạn", en: "Due date" },
  description: { vi: "Mô tả", en: "Description" },
  location: { vi: "Địa điểm", en: "Location" },
}))

export function fieldLabel(name, schema) {
  const title = schema && schema.title
  if (title && typeof title === "object" && (title.vi || title.en)) return title
  if (fieldLabels.has(name)) return fieldLabels.get(name)
  return { vi: typeof title === "string" ? title : name, en: name }
}
