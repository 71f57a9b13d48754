/* global WebSocket, location, setTimeout */
// One websocket to GET /v1/live. The token rides as ?token= because browsers cannot set headers on a
// websocket (see docs/http-api.md for the trade-off). A closed socket reconnects with backoff; the new
// subscription's `case` messages bring every active row up to date.
import { session } from "./api.js"
import { $ } from "./dom.js"

const listeners = new Set()
const live = { socket: undefined, retry: 0, cases: new Set() }

/** Calls `listener(message)` for every message of the feed; returns the function that stops it. */
export function onLive(listener) {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

function status(label, className) {
  const badge = $("#status")
  badge.textContent = label
  badge.className = `badge ${className}`
}

function send(message) {
  if (live.socket && live.socket.readyState === WebSocket.OPEN) live.socket.send(JSON.stringify(message))
}

/** Follows one case too (a done case leaves the active filter, but its open page still wants news). */
export function watchCase(caseId) {
  for (const id of live.cases) if (id !== caseId) send({ op: "unsubscribe", caseId: id })
  live.cases = new Set(caseId ? [caseId] : [])
  if (caseId) send({ op: "subscribe", caseId })
}

export function connect() {
  if (live.socket) live.socket.close()
  const scheme = location.protocol === "https:" ? "wss" : "ws"
  const socket = new WebSocket(`${scheme}://${location.host}/v1/live?token=${encodeURIComponent(session.token)}`)
  live.socket = socket
  socket.onopen = () => {
    live.retry = 0
    status("đã kết nối / connected", "ok")
    socket.send(JSON.stringify({ op: "subscribe" }))
    for (const caseId of live.cases) socket.send(JSON.stringify({ op: "subscribe", caseId }))
  }
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data)
    for (const listener of listeners) listener(message)
  }
  socket.onclose = (event) => {
    if (live.socket !== socket) return
    status(`mất kết nối / disconnected (${event.code})`, "down")
    live.retry = Math.min(live.retry + 1, 6)
    setTimeout(() => live.socket === socket && connect(), 500 * 2 ** live.retry)
  }
}
