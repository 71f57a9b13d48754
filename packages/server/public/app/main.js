/* global FormData, document, fetch, history, location, window */
// The coordinator's workspace: no build step, no inline script or style (the page runs under a strict
// CSP). Views by the URL's hash: #/work (my work), #/case/<id> (one case), #/reports (the SLA report).
import { api, session, setToken } from "./api.js"
import { $, el } from "./dom.js"
import { closeCase, openCase, startCasePage } from "./case-page.js"
import { loadWorkflows } from "./labels.js"
import { connect } from "./live.js"
import { loadSla, startSla } from "./sla.js"
import { fillWorkflows, loadCases, loadCounts, startWorklist } from "./worklist.js"

function describe(claims) {
  return claims ? `${claims.name || claims.sub} · ${claims.agency} · ${(claims.roles || []).join(", ")} · ${claims.province}` : "token set"
}

async function signIn(token) {
  setToken(token)
  $("#who").textContent = describe(session.claims)
  try {
    await loadWorkflows()
    fillWorkflows()
  } catch (e) {
    $("#who").replaceChildren(el("span", { className: "error" }, `Không tải được danh sách quy trình / cannot list workflows: ${e.message}`))
    return
  }
  // Signed in: the sign-in forms fold away until the person asks to switch.
  $("#sign-in").hidden = true
  $("#switch").hidden = false
  connect()
  route()
}

function show(view) {
  for (const v of document.querySelectorAll(".view")) v.hidden = v.id !== `view-${view}`
  for (const a of document.querySelectorAll("header nav a[href^='#']")) {
    if (a.getAttribute("href") === `#/${view}`) a.setAttribute("aria-current", "page")
    else a.removeAttribute("aria-current")
  }
}

function route() {
  const hash = location.hash || "#/work"
  const caseMatch = /^#\/case\/([A-Za-z0-9_-]{1,100})$/.exec(hash)
  if (caseMatch) {
    show("case")
    if (session.token) openCase(caseMatch[1])
    return
  }
  closeCase()
  if (hash === "#/reports") {
    show("reports")
    $("#reports-title").focus()
    if (session.token) loadSla()
    return
  }
  show("work")
  if (session.token) {
    loadCounts()
    loadCases()
  }
}

async function detectDev() {
  const response = await fetch("/openapi.json")
  const doc = await response.json()
  if (doc.paths["/v1/dev/token"]) $("#mint").hidden = false
  if (doc.paths["/auth/oidc/login"]) $("#oidc").hidden = false
}

document.addEventListener("DOMContentLoaded", () => {
  $("#mint").addEventListener("submit", async (event) => {
    event.preventDefault()
    const form = new FormData(event.target)
    try {
      const roles = String(form.get("roles")).split(",").map((r) => r.trim()).filter(Boolean)
      const sub = String(form.get("sub") || "").trim()
      const { token } = await api("/v1/dev/token", { body: { agency: form.get("agency"), roles, ...(sub ? { sub } : {}) } })
      await signIn(token)
    } catch (e) {
      $("#who").replaceChildren(el("span", { className: "error" }, `Không cấp được token / cannot mint: ${e.message}`))
    }
  })
  $("#paste").addEventListener("submit", (event) => {
    event.preventDefault()
    const token = String(new FormData(event.target).get("token")).trim()
    if (token) signIn(token)
  })
  $("#switch").addEventListener("click", () => {
    $("#sign-in").hidden = false
    $("#switch").hidden = true
    $("#mint:not([hidden]) input, #paste input")?.focus()
  })
  startWorklist()
  startCasePage()
  startSla()
  window.addEventListener("hashchange", route)
  detectDev()
  // Back from the identity provider: the session token arrives in the fragment, which no server sees; keep it and clear the URL.
  const handed = /^#token=([A-Za-z0-9._~%-]+)$/.exec(location.hash)
  if (handed) {
    history.replaceState(null, "", "#/work")
    signIn(decodeURIComponent(handed[1]))
  } else if (session.token) signIn(session.token)
  else route()
})
