/* global document, fetch, location, sessionStorage, setTimeout, atob, FormData, URLSearchParams, WebSocket */
// The coordinator dashboard: no build step, no inline script (the page runs under a strict CSP).
// The token stays in this tab's sessionStorage; the websocket carries it as ?token= because
// browsers cannot set headers on a websocket (see docs/http-api.md for the trade-off).

const $ = (selector) => document.querySelector(selector)
const state = { token: sessionStorage.getItem("civicase.token") || "", socket: undefined, retry: 0 }

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

function setToken(token, who) {
  state.token = token
  sessionStorage.setItem("civicase.token", token)
  $("#who").textContent = who || "token set"
  loadWorkflows()
  loadCases()
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
    select.replaceChildren(text("option", "all"))
    select.firstChild.value = ""
    for (const w of items) {
      const option = text("option", `${w.title.vi} / ${w.title.en}`)
      option.value = w.id
      select.append(option)
    }
  } catch (e) {
    $("#who").replaceChildren(text("span", `cannot list workflows: ${e.message}`, "error"))
  }
}

function row(c) {
  const tr = document.createElement("tr")
  tr.dataset.id = c.id
  const next = c.deadlines[0]
  const overdue = next && new Date(next.dueAt) < new Date()
  tr.append(
    text("td", c.id.slice(0, 8), "id"),
    text("td", c.workflow),
    text("td", c.state),
    text("td", String(c.rev)),
    text("td", next ? `${next.label ? next.label.en : next.name}: ${new Date(next.dueAt).toLocaleString()}` : "—", overdue ? "overdue" : ""),
    text("td", new Date(c.updatedAt).toLocaleString()),
  )
  return tr
}

async function loadCases() {
  if (!state.token) return
  const form = new FormData($("#filter"))
  const query = new URLSearchParams({ limit: "100", orderBy: "deadline" })
  for (const key of ["workflow", "status"]) if (form.get(key)) query.set(key, form.get(key))
  if (form.get("overdue")) query.set("overdue", "true")
  try {
    const { items } = await api(`/v1/cases?${query}`)
    $("#rows").replaceChildren(...items.map(row))
  } catch (e) {
    $("#rows").replaceChildren(text("tr", `cannot list cases: ${e.message}`, "error"))
  }
}

async function refreshCase(caseId) {
  try {
    const c = await api(`/v1/cases/${caseId}`)
    const fresh = row(c)
    fresh.classList.add("flash")
    const old = document.querySelector(`tr[data-id="${caseId}"]`)
    if (old) old.replaceWith(fresh)
    else $("#rows").prepend(fresh)
    setTimeout(() => fresh.classList.remove("flash"), 1500)
  } catch {
    // the case may have left what this actor sees
  }
}

function feed(line, className) {
  const list = $("#feed")
  list.prepend(text("li", line, className))
  while (list.children.length > 200) list.lastChild.remove()
}

function connect() {
  if (state.socket) state.socket.close()
  const scheme = location.protocol === "https:" ? "wss" : "ws"
  const socket = new WebSocket(`${scheme}://${location.host}/v1/live?token=${encodeURIComponent(state.token)}`)
  state.socket = socket
  socket.onopen = () => {
    state.retry = 0
    $("#status").textContent = "connected"
    socket.send(JSON.stringify({ op: "subscribe" }))
  }
  socket.onmessage = (event) => {
    const m = JSON.parse(event.data)
    if (m.type === "transition") {
      feed(`${new Date(m.at).toLocaleTimeString()}  ${m.caseId.slice(0, 8)} r${m.rev}  ${m.event}: ${m.from ?? "∅"} → ${m.to}`)
      refreshCase(m.caseId)
    } else if (m.type === "subscribed") {
      feed(`subscribed: ${m.cases ?? 0} active cases${m.truncated ? " (first page)" : ""}`, "muted")
    } else if (m.type === "error") {
      feed(`error: ${m.detail}`, "error")
    }
  }
  socket.onclose = (event) => {
    if (state.socket !== socket) return
    $("#status").textContent = `disconnected (${event.code})`
    // Reconnect with backoff; a refused token (the upgrade answers 401) also lands here.
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
      $("#who").replaceChildren(text("span", `cannot mint: ${e.message}`, "error"))
    }
  })
  $("#paste").addEventListener("submit", (event) => {
    event.preventDefault()
    const token = String(new FormData(event.target).get("token")).trim()
    if (token) setToken(token, describeToken(token))
  })
  $("#filter").addEventListener("change", loadCases)
  $("#refresh").addEventListener("click", loadCases)
  detectDev()
  if (state.token) setToken(state.token, describeToken(state.token))
})
