import { demoActors } from "@civicase/core/testing"
import { type LiveEvent, type LiveStatus, createClient } from "@civicase/client"
import WebSocket from "ws"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type TestServer, startServer } from "./server.js"

const { officer, head } = demoActors

/** Collects what a handler receives and lets the test await a condition on it (bounded by the test's own timeout, not a clock). */
function recorder() {
  const events: LiveEvent[] = []
  const waiters: Array<{ until: () => boolean; resolve: () => void }> = []
  const check = () => {
    for (const w of [...waiters]) {
      if (!w.until()) continue
      waiters.splice(waiters.indexOf(w), 1)
      w.resolve()
    }
  }
  return {
    events,
    handler: (e: LiveEvent) => {
      events.push(e)
      check()
    },
    until: (until: () => boolean) => new Promise<void>((resolve) => (until() ? resolve() : waiters.push({ until, resolve }))),
    revs: (caseId: string) => events.flatMap((e) => (e.type === "transition" && e.caseId === caseId ? [e.rev] : [])),
  }
}

/** A gate the reconnect waits on, so the test decides when the client comes back. */
function gate() {
  let open!: () => void
  let reached!: () => void
  const reachedPromise = new Promise<void>((r) => (reached = r))
  const opened = new Promise<void>((r) => (open = r))
  return {
    wait: async () => {
      reached()
      await opened
    },
    reached: reachedPromise,
    open: () => open(),
  }
}

describe("client.live.subscribe against a real server", () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => server.close())

  const note = (id: string, text: string) => server.engine.send(id, { type: "NOTE", payload: { text } }, officer)

  it("resumes with sinceRev after the server closes the socket: each transition once, in rev order, none missed", async () => {
    const client = createClient({ baseUrl: server.baseUrl, getToken: () => server.token(officer), live: { WebSocket } })
    const c = await client.createCase({ workflow: "demo", input: { title: "live" } })
    const seen = recorder()
    const statuses: LiveStatus[] = []
    const reconnect = gate()
    const sub = client.live.subscribe(c.id, seen.handler, { waitBeforeReconnect: reconnect.wait, onStatus: (s) => statuses.push(s) })
    await sub.ready
    await server.engine.send(c.id, { type: "SUBMIT" }, head)
    await note(c.id, "a")
    await seen.until(() => seen.revs(c.id).length === 2)

    server.dropLiveSockets(1001)
    await reconnect.reached
    // Committed while the client is away: it must get these from history on resume.
    await note(c.id, "b")
    await note(c.id, "c")
    reconnect.open()
    await seen.until(() => seen.revs(c.id).includes(5))
    await note(c.id, "d")
    await seen.until(() => seen.revs(c.id).includes(6))
    await sub.close()

    expect(seen.revs(c.id)).toEqual([2, 3, 4, 5, 6])
    // One snapshot at the start; the resume replayed transitions instead of sending the case again.
    expect(seen.events.filter((e) => e.type === "case")).toHaveLength(1)
    expect(statuses.map((s) => s.state)).toEqual(["connecting", "subscribed", "disconnected", "connecting", "subscribed", "stopped"])
    expect(statuses.find((s) => s.state === "disconnected")).toMatchObject({ code: 1001 })
  })

  it("reconnects again and again, and asks for a fresh token each time", async () => {
    let tokens = 0
    const client = createClient({ baseUrl: server.baseUrl, getToken: () => (tokens++, server.token(officer)), live: { WebSocket, waitBeforeReconnect: async () => undefined } })
    const c = await client.createCase({ workflow: "demo", input: { title: "twice" } })
    const seen = recorder()
    let subscribed = 0
    let onSubscribed = () => undefined as void
    const sub = client.live.subscribe(c.id, seen.handler, {
      onStatus: (s) => {
        if (s.state !== "subscribed") return
        subscribed++
        onSubscribed()
      },
    })
    await sub.ready
    const tokensBefore = tokens
    for (const text of ["x", "y", "z"]) {
      const back = new Promise<void>((resolve) => (onSubscribed = resolve))
      server.dropLiveSockets(1013)
      await note(c.id, text)
      await back
    }
    expect(subscribed).toBe(4)
    await seen.until(() => seen.revs(c.id).includes(4))
    await sub.close()
    expect(seen.revs(c.id)).toEqual([2, 3, 4])
    expect(tokens - tokensBefore).toBe(3)
  })

  it("follows a filter: new cases arrive from their first transition", async () => {
    const client = createClient({ baseUrl: server.baseUrl, token: await server.token(officer), live: { WebSocket } })
    const seen = recorder()
    const sub = client.live.subscribe({ workflow: "demo" }, seen.handler)
    await sub.ready
    const c = await client.createCase({ workflow: "demo", input: { title: "new" } })
    await note(c.id, "first")
    await seen.until(() => seen.revs(c.id).includes(2))
    await sub.close()
    expect(seen.revs(c.id)).toEqual([1, 2])
  })

  it("catches a filter up after a reconnect: transitions missed while away are read from history, each once, no second snapshot", async () => {
    const client = createClient({ baseUrl: server.baseUrl, getToken: () => server.token(officer), live: { WebSocket } })
    const c = await client.createCase({ workflow: "demo", input: { title: "filter resume" } })
    const seen = recorder()
    const reconnect = gate()
    const sub = client.live.subscribe({ workflow: "demo" }, seen.handler, { waitBeforeReconnect: reconnect.wait })
    await sub.ready
    await note(c.id, "before")
    await seen.until(() => seen.revs(c.id).includes(2))

    server.dropLiveSockets(1001)
    await reconnect.reached
    await note(c.id, "away 1")
    await server.engine.send(c.id, { type: "SUBMIT" }, head)
    reconnect.open()
    await seen.until(() => seen.revs(c.id).includes(4))
    await note(c.id, "after")
    await seen.until(() => seen.revs(c.id).includes(5))
    await sub.close()

    expect(seen.revs(c.id)).toEqual([2, 3, 4, 5])
    const transitions = seen.events.filter((e) => e.type === "transition" && e.caseId === c.id)
    expect(transitions[2]).toMatchObject({ rev: 4, from: "draft", to: "review", event: "SUBMIT" })
    expect(seen.events.filter((e) => e.type === "case" && e.case.id === c.id)).toHaveLength(1)
  })

  it("rejects ready and stops when the case does not exist for the actor", async () => {
    const client = createClient({ baseUrl: server.baseUrl, token: await server.token(officer), live: { WebSocket } })
    const seen = recorder()
    const statuses: LiveStatus[] = []
    const sub = client.live.subscribe("00000000-0000-4000-8000-000000000000", seen.handler, { onStatus: (s) => statuses.push(s) })
    await expect(sub.ready).rejects.toMatchObject({ code: "CIVICASE_E_CASE_NOT_FOUND" })
    await sub.close()
    expect(seen.events).toEqual([expect.objectContaining({ type: "error", code: "CIVICASE_E_CASE_NOT_FOUND" })])
    expect(statuses.at(-1)).toMatchObject({ state: "stopped" })
  })

  it("refuses a bad target before opening anything", () => {
    const client = createClient({ baseUrl: server.baseUrl, token: "t", live: { WebSocket } })
    expect(() => client.live.subscribe("", () => undefined)).toThrow(/caseId/)
    expect(() => client.live.subscribe({ workflow: "demo", state: "x" } as never, () => undefined)).toThrow(/"state"/)
  })
})
