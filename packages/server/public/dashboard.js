/* global document, fetch, location, sessionStorage, setTimeout, atob, FormData, URLSearchParams, WebSocket */
// The coordinator dashboard: no build step, no inline script (the page runs under a strict CSP).
// The token stays in this tab's sessionStorage; the websocket carries it as ?token= because
// browsers cannot set headers on a websocket (see docs/http-api.md for the trade-off).
// Labels come from GET /v1/workflows: Vietnamese first, English beside it; ids only when a workflow gives no label.

const $ = (selector) => document.querySelector(selector)
const state = { token: sessionStorage.getItem("civicase.token") || "", socket: undefined, retry: 0, workflows: new Map(), caseWorkflow: new Map() }

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { "content-type": "application/json", ...(state.token ? { authorization: `Bearer ${state.token}` } : {}), ...(options.headers || {}) },
  })
  const body = response.headers.get("content-type")?.includes("json") ? await response.json() : await response.text()
  if (!response.ok) throw new Error(body.detail || `${response.status}`)
  return body
}

function text(tag, content, className) {
  const el = document.createElement(tag)
  el.textContent = content
  if (className) el.className = className
  return el
}

/** A label as "vi" with "en" beside it, or the raw id when there is no label. */
function bilingual(label, fallback) {
  if (!label) return [document.createTextNode(fallback)]
  const nodes = [document.createTextNode(label.vi || label.en || fallback)]
  if (label.en && label.en !== label.vi) nodes.push(text("span", label.en, "en"))
  return nodes
}

function cell(nodes, className) {
  const td = document.createElement("td")
  td.append(...nodes)
  if (className) td.className = className
  return td
}

const when = (iso) => new Date(iso).toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" })

function workflowTitle(id) {
  return state.workflows.get(id)?.title
}

/** A flat state ("a.b" or, for parallel regions, "a.b,c.d") with each leaf's label. */
function stateLabel(workflow, flat) {
  if (flat === null || flat === undefined) return undefined
  const labels = state.workflows.get(workflow)?.labels?.states || {}
  const parts = String(flat).split(",").map((s) => labels[s] || { vi: s, en: s })
  return { vi: parts.map((p) => p.vi || p.en).join(" + "), en: parts.map((p) => p.en || p.vi).join(" + ") }
}

function eventLabel(workflow, type) {
  if (type === "case.created") return { vi: "Tạo hồ sơ", en: "Case created" }
  const m = /^xstate\.after\.([^.]+)/.exec(type)
  if (m) return { vi: `Hết hạn: ${m[1]}`, en: `Deadline passed: ${m[1]}` }
  return state.workflows.get(workflow)?.labels?.events?.[type]
}

function setToken(token, who) {
  state.token = token
  sessionStorage.setItem("civicase.token", token)
  $("#who").textContent = who || "token set"
  loadWorkflows().then(loadCases)
  connect()
}

function describeToken(token) {
  try {
    const claims = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")))
    return `${claims.sub} · ${claims.agency} · ${(claims.roles || []).join(", ")} · ${claims.province}`
  } catch {
    return "token set"
  }
}

async function loadWorkflows() {
  try {
    const { items } = await api("/v1/workflows")
    const select = $("#filter select[name=workflow]")
    const chosen = select.value
    select.replaceChildren(text("option", "Tất cả / all"))
    select.firstChild.value = ""
    for (const w of items) {
      const seen = state.workflows.get(w.id)
      // Several versions of one workflow: one choice in the filter, and the labels of every version (a case keeps the version it started on), the later one winning.
      if (seen) w.labels = { ...w.labels, states: { ...seen.labels?.states, ...w.labels?.states }, events: { ...seen.labels?.events, ...w.labels?.events } }
      state.workflows.set(w.id, w)
      if (seen) continue
      const option = text("option", `${w.title.vi} / ${w.title.en}`)
      option.value = w.id
      select.append(option)
    }
    select.value = chosen
  } catch (e) {
    $("#who").replaceChildren(text("span", `Không tải được danh sách quy trình / cannot list workflows: ${e.message}`, "error"))
  }
}

// Where the shipped workflows keep what a person calls a case; a workflow with none of these shows its id only.
const subjectPaths = [["title"], ["topic"], ["summary"], ["report", "summary"], ["subject", "name"], ["nomination", "nominee", "name"]]

/** What a person calls the case (a plan's title, a report's summary, a nominee's name). */
function subject(c) {
  for (const path of subjectPaths) {
    const value = path.reduce((v, key) => (v && typeof v === "object" ? v[key] : undefined), c.context)
    if (typeof value === "string" && value) return value
  }
  return undefined
}

function row(c) {
  state.caseWorkflow.set(c.id, c.workflow)
  const tr = document.createElement("tr")
  tr.dataset.id = c.id
  const next = c.deadlines[0]
  const overdue = next && new Date(next.dueAt) < new Date()
  const name = subject(c)
  tr.append(
    cell([...(name ? [document.createTextNode(name)] : []), text("span", c.id.slice(0, 8), "id")], "case"),
    cell(bilingual(workflowTitle(c.workflow), c.workflow)),
    cell([...bilingual(stateLabel(c.workflow, c.state), c.state), ...(c.status === "done" ? [text("span", "đã kết thúc / done", "en")] : [])], "state"),
    next
      ? cell([...bilingual(next.label, next.name), text("span", `${when(next.dueAt)}${overdue ? " · quá hạn / overdue" : ""}${next.calendarGaps ? " · tạm tính / provisional" : ""}`, overdue ? "overdue" : "")], "deadline")
      : cell([document.createTextNode("—")]),
    cell([document.createTextNode(when(c.updatedAt)), text("span", `r${c.rev}`, "en")], "when"),
  )
  return tr
}

function note(content, className = "note") {
  const tr = document.createElement("tr")
  tr.className = className
  const td = text("td", content)
  td.colSpan = 5
  tr.append(td)
  return tr
}

/** Whether a case belongs in the table under the filters chosen. */
function shown(c) {
  const form = new FormData($("#filter"))
  if (form.get("workflow") && c.workflow !== form.get("workflow")) return false
  if (form.get("status") && c.status !== form.get("status")) return false
  if (form.get("overdue") && !(c.deadlines[0] && new Date(c.deadlines[0].dueAt) < new Date())) return false
  return true
}

async function loadCases() {
  if (!state.token) return
  const form = new FormData($("#filter"))
  const query = new URLSearchParams({ limit: "100", orderBy: "deadline" })
  for (const key of ["workflow", "status"]) if (form.get(key)) query.set(key, form.get(key))
  if (form.get("overdue")) query.set("overdue", "true")
  try {
    const { items } = await api(`/v1/cases?${query}`)
    $("#rows").replaceChildren(...(items.length ? items.map(row) : [note("Không có hồ sơ nào / No cases")]))
  } catch (e) {
    $("#rows").replaceChildren(note(`Không tải được hồ sơ / cannot list cases: ${e.message}`, "note error"))
  }
}

/** Puts the case's current row in the table (or takes it out when the filters exclude it). */
function upsert(c, flash) {
  const old = document.querySelector(`tr[data-id="${c.id}"]`)
  if (!shown(c)) {
    if (old) old.remove()
    return
  }
  const fresh = row(c)
  if (old) old.replaceWith(fresh)
  else {
    document.querySelector("#rows tr.note")?.remove()
    $("#rows").prepend(fresh)
  }
  if (flash) {
    fresh.classList.add("flash")
    setTimeout(() => fresh.classList.remove("flash"), 1500)
  }
}

async function refreshCase(caseId) {
  try {
    const c = await api(`/v1/cases/${caseId}`)
    upsert(c, true)
    return c
  } catch {
    // the case may have left what this actor sees
    return undefined
  }
}

function feed(li) {
  const list = $("#feed")
  list.prepend(li)
  while (list.children.length > 200) list.lastChild.remove()
}

function info(line, className = "info") {
  feed(text("li", line, className))
}

/** One transition in the feed: written at once (order matters), labelled once the case's workflow is known. */
function transition(m) {
  const li = document.createElement("li")
  li.dataset.caseId = m.caseId
  li.dataset.rev = String(m.rev)
  const render = (workflow) => {
    const head = document.createElement("div")
    const event = document.createElement("strong")
    event.append(...bilingual(eventLabel(workflow, m.event), m.event))
    head.append(event, text("span", `${m.caseId.slice(0, 8)} · r${m.rev}`, "id"))
    const from = stateLabel(workflow, m.from)
    const to = stateLabel(workflow, m.to)
    const move = text("div", `${from ? from.vi : "∅"} → ${to.vi}`, "move")
    li.replaceChildren(text("span", new Date(m.at).toLocaleTimeString(), "time"), head, move)
  }
  render(state.caseWorkflow.get(m.caseId))
  feed(li)
  refreshCase(m.caseId).then((c) => c && render(c.workflow))
}

function status(label, className) {
  const el = $("#status")
  el.textContent = label
  el.className = `badge ${className}`
}

function connect() {
  if (state.socket) state.socket.close()
  const scheme = location.protocol === "https:" ? "wss" : "ws"
  const socket = new WebSocket(`${scheme}://${location.host}/v1/live?token=${encodeURIComponent(state.token)}`)
  state.socket = socket
  socket.onopen = () => {
    state.retry = 0
    status("đã kết nối / connected", "ok")
    socket.send(JSON.stringify({ op: "subscribe" }))
  }
  socket.onmessage = (event) => {
    const m = JSON.parse(event.data)
    if (m.type === "transition") transition(m)
    else if (m.type === "case") upsert(m.case, false)
    else if (m.type === "subscribed") info(`Đang theo dõi ${m.cases ?? 0} hồ sơ đang xử lý${m.truncated ? " (trang đầu)" : ""} / watching ${m.cases ?? 0} active cases${m.truncated ? " (first page)" : ""}`)
    else if (m.type === "error") info(`Lỗi / error: ${m.detail}`, "info error")
  }
  socket.onclose = (event) => {
    if (state.socket !== socket) return
    status(`mất kết nối / disconnected (${event.code})`, "down")
    // Reconnect with backoff; a refused token (the upgrade answers 401) also lands here. The new
    // subscription sends every active case's current state, so the table catches up on what was missed.
    state.retry = Math.min(state.retry + 1, 6)
    setTimeout(() => state.socket === socket && connect(), 500 * 2 ** state.retry)
  }
}

async function detectDev() {
  const response = await fetch("/openapi.json")
  const doc = await response.json()
  if (doc.paths["/v1/dev/token"]) $("#mint").hidden = false
}

document.addEventListener("DOMContentLoaded", () => {
  $("#mint").addEventListener("submit", async (event) => {
    event.preventDefault()
    const form = new FormData(event.target)
    try {
      const roles = String(form.get("roles")).split(",").map((r) => r.trim()).filter(Boolean)
      const { token } = await api("/v1/dev/token", { method: "POST", body: JSON.stringify({ agency: form.get("agency"), roles }) })
      setToken(token, describeToken(token))
    } catch (e) {
      $("#who").replaceChildren(text("span", `Không cấp được token / cannot mint: ${e.message}`, "error"))
    }
  })
  $("#paste").addEventListener("submit", (event) => {
    event.preventDefault()
    const token = String(new FormData(event.target).get("token")).trim()
    if (token) setToken(token, describeToken(token))
  })
  $("#filter").addEventListener("change", loadCases)
  $("#refresh").addEventListener("click", loadCases)
  $("#rows").replaceChildren(note("Cấp hoặc dán token để xem hồ sơ / Mint or paste a token to see cases"))
  detectDev()
  if (state.token) setToken(state.token, describeToken(state.token))
})
