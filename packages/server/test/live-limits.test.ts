import type { AddressInfo } from "node:net"
import type { Actor, Engine } from "@civicase/core"
import { demoActors } from "@civicase/core/testing"
import { afterEach, describe, expect, it } from "vitest"
import { type Harness, harness } from "./harness.js"
import { openSocket } from "./live-client.js"

const { officer } = demoActors

/** A listening harness with these live-feed options. */
async function listening(live: Record<string, number>) {
  const h = await harness({ live })
  await h.app.listen({ port: 0, host: "127.0.0.1" })
  const url = `ws://127.0.0.1:${(h.app.server.address() as AddressInfo).port}/v1/live`
  const connect = async (actor: Actor = officer) => openSocket(url, { authorization: `Bearer ${await h.token(actor)}` })
  return { h, connect }
}

describe("live feed limits", () => {
  let h: Harness | undefined
  afterEach(async () => {
    await h?.close()
    h = undefined
  })

  it("a client with more requests waiting than maxQueued is closed with 1008", async () => {
    const s = await listening({ maxQueued: 3 })
    h = s.h
    const socket = await s.connect()
    for (let i = 0; i < 20; i++) socket.send({ op: "subscribe", caseId: `no-such-case-${i}` })
    expect((await socket.closed).code).toBe(1008)
  })

  it("a client sending more than maxMessages per window is closed with 1008", async () => {
    const s = await listening({ maxMessages: 5, messageWindowMs: 60_000 })
    h = s.h
    const socket = await s.connect()
    for (let i = 0; i < 5; i++) socket.send({ op: "ping" })
    for (let i = 0; i < 5; i++) expect(await socket.next()).toEqual({ type: "pong" })
    socket.send({ op: "ping" })
    const closed = await socket.closed
    expect(closed.code).toBe(1008)
    expect(closed.reason).toMatch(/more than 5 messages/)
  })

  it("a repeated subscription to the same case reads nothing and sends nothing again", async () => {
    const s = await listening({})
    h = s.h
    const c = await s.h.engine.createCase("demo", { title: "twice" }, officer)
    const reads = { getCase: 0, history: 0 }
    const getCase = s.h.engine.getCase
    const history = s.h.engine.history
    Object.assign(s.h.engine, {
      getCase: (...a: Parameters<Engine["getCase"]>) => (reads.getCase++, getCase(...a)),
      history: (...a: Parameters<Engine["history"]>) => (reads.history++, history(...a)),
    })
    const socket = await s.connect()
    socket.send({ op: "subscribe", caseId: c.id })
    await socket.collect((m) => m.type === "subscribed")
    expect(reads).toEqual({ getCase: 1, history: 0 })
    for (let i = 0; i < 5; i++) socket.send({ op: "subscribe", caseId: c.id, ...(i % 2 ? { sinceRev: 0 } : {}) })
    for (let i = 0; i < 5; i++) expect(await socket.next()).toEqual({ type: "subscribed", caseId: c.id, rev: 1 })
    expect(reads).toEqual({ getCase: 1, history: 0 })
    await socket.close()
  })

  it("subscribe then unsubscribe at once leaves the case unsubscribed, answered in order", async () => {
    const s = await listening({})
    h = s.h
    const c = await s.h.engine.createCase("demo", { title: "on and off" }, officer)
    const socket = await s.connect()
    socket.send({ op: "subscribe", caseId: c.id })
    socket.send({ op: "unsubscribe", caseId: c.id })
    const messages = await socket.collect((m) => m.type === "unsubscribed")
    expect(messages.map((m) => m.type)).toEqual(["case", "subscribed", "unsubscribed"])
    await s.h.engine.send(c.id, { type: "NOTE", payload: { text: "unheard" } }, officer)
    await expect(socket.next(300)).rejects.toThrow(/no message/)
    await socket.close()
  })

  it("revs of cases seen only through a filter are forgotten past maxTrackedCases: the case is then sent afresh", async () => {
    const s = await listening({ maxTrackedCases: 1 })
    h = s.h
    const socket = await s.connect(demoActors.coordinator)
    socket.send({ op: "subscribe", workflow: "demo" })
    await socket.collect((m) => m.type === "subscribed")
    const a = await s.h.engine.createCase("demo", { title: "a" }, officer)
    expect(await socket.next()).toMatchObject({ type: "transition", caseId: a.id, rev: 1 })
    const b = await s.h.engine.createCase("demo", { title: "b" }, officer)
    expect(await socket.next()).toMatchObject({ type: "transition", caseId: b.id, rev: 1 })
    // a was forgotten when b was remembered: its next transition comes as its current state.
    await s.h.engine.send(a.id, { type: "NOTE", payload: { text: "again" } }, officer)
    expect(await socket.next()).toMatchObject({ type: "case", case: { id: a.id, rev: 2 } })
    await s.h.engine.send(b.id, { type: "NOTE", payload: { text: "b again" } }, officer)
    expect(await socket.next()).toMatchObject({ type: "case", case: { id: b.id, rev: 2 } })
    await socket.close()
  })

  it("a socket is closed with 4001 when its token expires", async () => {
    const s = await listening({ heartbeatMs: 50 })
    h = s.h
    const socket = await s.connect()
    socket.send({ op: "ping" })
    expect(await socket.next()).toEqual({ type: "pong" })
    s.h.clock.advance("PT9H")
    const closed = await socket.closed
    expect(closed).toMatchObject({ code: 4001, reason: "token expired" })
  })
})
