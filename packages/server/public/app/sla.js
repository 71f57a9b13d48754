/* global FormData, URLSearchParams, document */
// The SLA report (GET /v1/reports/sla) as bar charts drawn in SVG: deadlines met and missed per
// agency and workflow, and the average time spent in each state. No chart library.
import { api } from "./api.js"
import { $, bilingual, el, vien } from "./dom.js"
import { stateLabel, workflows } from "./labels.js"

const SVG = "http://www.w3.org/2000/svg"

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag)
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value))
  node.append(...children)
  return node
}

const hours = (ms) => (ms / 3600000).toFixed(ms < 36000000 ? 1 : 0)

/** Horizontal bars: rows of { label, parts: [{ value, className, text }] }, scaled to the largest total. */
function bars(title, rows) {
  const width = 320
  const rowHeight = 22
  const max = Math.max(1, ...rows.map((r) => r.parts.reduce((n, p) => n + p.value, 0)))
  const chart = svg("svg", { viewBox: `0 0 ${width} ${rows.length * rowHeight}`, role: "img", "aria-label": title, class: "bars", preserveAspectRatio: "xMinYMin meet" })
  rows.forEach((r, i) => {
    let x = 0
    for (const p of r.parts) {
      const w = (p.value / max) * width
      if (w > 0) chart.append(svg("rect", { x, y: i * rowHeight + 3, width: w, height: rowHeight - 6, class: p.className }, svg("title", {}, document.createTextNode(p.text))))
      x += w
    }
  })
  const table = el("table", { className: "chart-data" }, el("tbody", {}, ...rows.map((r) => el("tr", {}, el("th", { scope: "row" }, ...r.label), ...r.parts.map((p) => el("td", {}, p.text))))))
  return el("figure", { className: "chart" }, el("figcaption", {}, title), el("div", { className: "chart-body" }, chart, table))
}

function reportBlock(item) {
  const w = workflows.get(item.workflow)
  const deadlines = bars(
    "Thời hạn đạt và trễ / Deadlines met and missed",
    item.deadlines.map((d) => ({
      label: [d.name],
      parts: [
        { value: d.met, className: "met", text: `${d.met} đạt / met` },
        { value: d.missed, className: "missed", text: `${d.missed} trễ / missed` },
      ],
    })),
  )
  const time = bars(
    "Thời gian trung bình ở mỗi trạng thái (giờ) / Average time in state (hours)",
    item.timeInState.map((s) => ({ label: bilingual(stateLabel(item.workflow, s.state), s.state), parts: [{ value: s.averageMs, className: "time", text: `${hours(s.averageMs)} h · ${s.stints} lượt / stints` }] })),
  )
  return el(
    "article",
    { className: "sla-item", dataset: { workflow: item.workflow, agency: item.agency } },
    el("h3", {}, ...bilingual(w?.title, item.workflow), el("span", { className: "en" }, `${item.agency}`)),
    el("p", { className: "muted" }, `${item.casesDone} đã kết thúc · ${item.transitions} chuyển trạng thái · ${item.escalations} leo thang / ${item.casesDone} done · ${item.transitions} transitions · ${item.escalations} escalations`),
    item.deadlines.length ? deadlines : undefined,
    item.timeInState.length ? time : undefined,
  )
}

export async function loadSla() {
  const form = new FormData($("#sla-filter"))
  const q = new URLSearchParams()
  for (const key of ["from", "to"]) if (form.get(key)) q.set(key, String(form.get(key)))
  const out = $("#sla")
  try {
    const { items } = await api(`/v1/reports/sla?${q}`)
    out.replaceChildren(...(items.length ? items.map(reportBlock) : [el("p", { className: "muted" }, ...vien("Chưa có số liệu.", "No data yet."))]))
  } catch (e) {
    out.replaceChildren(el("p", { className: "error" }, `Không tải được báo cáo / cannot read the report: ${e.message}`))
  }
}

export function startSla() {
  $("#sla-filter").addEventListener("submit", (event) => {
    event.preventDefault()
    loadSla()
  })
}
