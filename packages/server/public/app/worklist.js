/* global CSS, FormData, URLSearchParams, clearTimeout, document, setTimeout */
// "Việc của tôi / My work": the actionable, assigned and agency lists with their counts, filters,
// and cursor pagination over the whole list (each "Load more" follows `nextCursor`).
import { ApiError, api, session } from "./api.js"
import { $, announce, bilingual, el, timeLeft, vien, when } from "./dom.js"
import { eventLabel, stateLabel, workflows } from "./labels.js"
import { onLive } from "./live.js"

const PAGE = 25
const work = { list: "actionable", cursor: undefined, shown: 0, loading: 0 }

// Where the shipped workflows keep what a person calls a case, when the workflow gives no title.
const subjectPaths = [["title"], ["topic"], ["summary"], ["report", "summary"], ["subject", "name"], ["nomination", "nominee", "name"]]

/** What a person calls the case: its trích yếu, else a plan's title, a report's summary, a nominee's name. */
export function subject(c) {
  if (typeof c.title === "string" && c.title) return c.title
  for (const path of subjectPaths) {
    const value = path.reduce((v, key) => (v && typeof v === "object" && Object.hasOwn(v, key) ? v[key] : undefined), c.context)
    if (typeof value === "string" && value) return value
  }
  return undefined
}

function row(c) {
  const tr = el("tr", { dataset: { id: c.id } })
  const next = c.deadlines[0]
  const left = next && timeLeft(next.dueAt)
  const name = subject(c)
  const w = workflows.get(c.workflow)
  tr.append(
    el("td", { className: "case" }, el("a", { href: `#/case/${c.id}` }, name || c.id.slice(0, 8)), el("span", { className: "id" }, c.id.slice(0, 8)), c.assignee ? el("span", { className: "assignee" }, `→ ${c.assignee.name || c.assignee.id}`) : undefined),
    el("td", { "data-label": "Quy trình / Workflow" }, ...bilingual(w?.title, c.workflow)),
    el("td", { className: "state" }, ...bilingual(stateLabel(c.workflow, c.state), c.state), c.status === "done" ? el("span", { className: "en" }, "đã kết thúc / done") : undefined),
    next
      ? el("td", { className: "deadline" }, ...bilingual(next.label, next.name), el("span", { className: left.overdue ? "overdue" : "left" }, `${when(next.dueAt)} · ${left.vi} / ${left.en}${next.calendarGaps ? " · tạm tính / provisional" : ""}`))
      : el("td", { className: "deadline" }, "—"),
    el("td", { className: "when" }, when(c.updatedAt), el("span", { className: "en" }, `r${c.rev}`)),
  )
  return tr
}

function note(content, className = "note") {
  return el("tr", { className }, el("td", { colspan: 5 }, content))
}

function query() {
  const form = new FormData($("#filter"))
  const q = new URLSearchParams({ limit: String(PAGE), orderBy: "deadline" })
  if (work.list === "actionable") q.set("actionable", "true")
  if (work.list === "assigned") q.set("assignee", "me")
  if (work.list === "agency" && session.claims?.agency) q.set("agency", session.claims.agency)
  for (const key of ["workflow", "state", "agency", "status", "createdFrom", "createdTo"]) {
    const value = String(form.get(key) || "").trim()
    if (value) q.set(key, value)
  }
  const search = String(form.get("q") || "").trim()
  if (search) q.set("q", search)
  if (form.get("overdue")) q.set("overdue", "true")
  return q
}

export async function loadCounts() {
  try {
    const counts = await api("/v1/worklist/summary")
    for (const badge of document.querySelectorAll("[data-count]")) {
      const key = badge.dataset.count
      if (Object.hasOwn(counts, key)) badge.textContent = String(counts[key])
    }
  } catch {
    // counts are a convenience; the list says what went wrong
  }
}

/** Reads the first page of the chosen list (or, with `more`, the next page after the last one read). */
export async function loadCases(more = false) {
  if (!session.token) return
  const q = query()
  if (more && work.cursor) q.set("cursor", work.cursor)
  const ticket = ++work.loading
  try {
    const { items, nextCursor } = await api(`/v1/cases?${q}`)
    if (ticket !== work.loading) return
    work.cursor = nextCursor
    if (more) {
      $("#rows").append(...items.map(row))
      work.shown += items.length
    } else {
      $("#rows").replaceChildren(...(items.length ? items.map(row) : [note("Không có hồ sơ nào / No cases")]))
      work.shown = items.length
    }
    $("#more").hidden = !nextCursor
    $("#shown").textContent = `${work.shown} hồ sơ${nextCursor ? ", còn nữa" : ""} / ${work.shown} cases${nextCursor ? ", more to load" : ""}`
    if (more) announce(`Đã tải thêm ${items.length} hồ sơ / ${items.length} more cases loaded`)
  } catch (e) {
    const where = e instanceof ApiError && e.problem.errors ? ` (${e.problem.errors.map((x) => `${x.path}: ${x.message}`).join("; ")})` : ""
    $("#rows").replaceChildren(note(`Không tải được hồ sơ / cannot list cases: ${e.message}${where}`, "note error"))
    $("#more").hidden = true
  }
}

function fillStates() {
  const workflow = String(new FormData($("#filter")).get("workflow") || "")
  const select = $("#filter select[name=state]")
  const options = [el("option", { value: "" }, "Tất cả / any")]
  const w = workflows.get(workflow)
  if (w) for (const [id, label] of Object.entries(w.labels?.states || {})) options.push(el("option", { value: id }, `${label.vi} / ${label.en}`))
  select.replaceChildren(...options)
}

export function fillWorkflows() {
  const select = $("#filter select[name=workflow]")
  const chosen = select.value
  select.replaceChildren(el("option", { value: "" }, "Tất cả / all"), ...[...workflows.values()].map((w) => el("option", { value: w.id }, `${w.title.vi} / ${w.title.en}`)))
  select.value = chosen
  fillStates()
}

function choose(list) {
  work.list = list
  for (const button of document.querySelectorAll("#lists button")) button.setAttribute("aria-pressed", String(button.dataset.list === list))
  loadCases()
}

function feed(li) {
  const list = $("#feed")
  list.prepend(li)
  while (list.children.length > 200) list.lastChild.remove()
}

async function refreshRow(caseId, flash) {
  const old = document.querySelector(`#rows tr[data-id="${CSS.escape(caseId)}"]`)
  let c
  try {
    c = await api(`/v1/cases/${caseId}`)
  } catch {
    old?.remove() // the case left what this person sees
    return undefined
  }
  const fresh = row(c)
  if (old) old.replaceWith(fresh)
  else if (work.list === "all" || (work.list === "actionable" && c.allowedEvents.length)) {
    document.querySelector("#rows tr.note")?.remove()
    $("#rows").prepend(fresh)
  } else return c
  if (flash) {
    fresh.classList.add("flash")
    setTimeout(() => fresh.classList.remove("flash"), 1500)
  }
  return c
}

let countsTimer
function transition(m) {
  const li = el("li", { dataset: { caseId: m.caseId, rev: String(m.rev) } })
  const render = (workflow) => {
    const from = stateLabel(workflow, m.from)
    const to = stateLabel(workflow, m.to)
    li.replaceChildren(
      el("span", { className: "time" }, new Date(m.at).toLocaleTimeString("vi-VN")),
      el("div", {}, el("strong", {}, ...bilingual(eventLabel(workflow, m.event), m.event)), el("a", { className: "id", href: `#/case/${m.caseId}` }, `${m.caseId.slice(0, 8)} · r${m.rev}`)),
      el("div", { className: "move" }, `${from ? from.vi : "∅"} → ${to ? to.vi : "∅"}`),
    )
  }
  render(undefined)
  feed(li)
  refreshRow(m.caseId, true).then((c) => c && render(c.workflow))
  clearTimeout(countsTimer)
  countsTimer = setTimeout(loadCounts, 300)
}

export function startWorklist() {
  $("#filter").addEventListener("submit", (event) => {
    event.preventDefault()
    loadCases()
  })
  $("#filter").addEventListener("change", (event) => {
    if (event.target.name === "workflow") fillStates()
    if (event.target.name !== "q" && event.target.name !== "agency") loadCases()
  })
  $("#refresh").addEventListener("click", () => {
    loadCounts()
    loadCases()
  })
  $("#more").addEventListener("click", () => loadCases(true))
  for (const button of document.querySelectorAll("#lists button")) button.addEventListener("click", () => choose(button.dataset.list))
  $("#rows").replaceChildren(note("Cấp hoặc dán token để xem hồ sơ / Mint or paste a token to see cases"))
  onLive((m) => {
    if (m.type === "transition") transition(m)
    else if (m.type === "subscribed" && !m.caseId)
      feed(el("li", { className: "info" }, ...vien(`Đang theo dõi ${m.cases ?? 0} hồ sơ đang xử lý${m.truncated ? " (trang đầu)" : ""}`, `watching ${m.cases ?? 0} active cases${m.truncated ? " (first page)" : ""}`)))
    else if (m.type === "error") feed(el("li", { className: "info error" }, `Lỗi / error: ${m.detail || m.code}`))
  })
}
