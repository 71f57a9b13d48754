import type { AddressInfo } from "node:net"
import { type Actor, type CommittedTransition, type Engine, createEngine, silentLogger, testClock } from "@civicase/core"
import { pglite } from "@civicase/adapters"
import { demoActors, demoWorkflow } from "@civicase/core/testing"
import { buildServer, devTokens } from "@civicase/server"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { type TestSocket, openSocket } from "./live-client.js"

const { officer, head, otherOfficer, coordinator } = demoActors

/**
 * The real engine, with its reads counted and its in-process commits delayable:
 * `hold(rev)` keeps that commit from the listeners until `release()`, as a
 * listener running late (or a commit heard only through NOTIFY) would.
 */
function observed(engine: Engine) {
  const reads = { history: 0, getCase: 0 }
  const heldRevs = new Set<number>()
  const held: Array<() => void> = []
  const wrapped: Engine = {
    ...engine,
    history: (id, actor) => {
      reads.history++
      return engine.history(id, actor)
    },
    getCase: (id, actor) => {
      reads.getCase++
      return engine.getCase(id, actor)
    },
    subscribe: (listener) =>
      engine.subscribe((t: CommittedTransition) => {
        if (heldRevs.has(t.rev)) held.push(() => listener(t))
        else listener(t)
      }),
  }
  return {
    engine: wrapped,
    reads,
    hold: (rev: number) => heldRevs.add(rev),
    release() {
      heldRevs.clear()
      for (const deliver of held.splice(0)) deliver()
    },
  }
}

// Each live subscriber used to read a case's history on every commit. Now a
// commit of this process goes to each client that expects exactly that rev as
// it is; only a gap costs a read.
describe("live feed cost: reads per commit", () => {
  const engine = createEngine({ store: pglite(), workflows: [demoWorkflow], clock: testClock(), scheduler: false, logger: silentLogger })
  const spy = observed(engine)
  const dev = devTokens()
  let app: Awaited<ReturnType<typeof buildServer>>
  let url: string
  beforeAll(async () => {
    await engine.start()
    app = await buildServer({ engine: spy.engine, auth: dev.auth, province: "demo" })
    await app.listen({ port: 0, host: "127.0.0.1" })
    url = `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1/live`
  })
  afterAll(async () => {
    await app.close()
    await engine.close()
  })
  beforeEach(() => spy.release())

  const connect = async (actor: Actor, subscription: Record<string, unknown>) => {
    const s = await openSocket(url, { authorization: `Bearer ${await dev.mint(actor)}` })
    s.send({ op: "subscribe", ...subscription })
    await s.collect((m) => m.type === "subscribed")
    return s
  }
  const note = (id: string, text: string) => engine.send(id, { type: "NOTE", payload: { text } }, officer)
  const revsUntil = async (s: TestSocket, caseId: string, rev: number) =>
    (await s.collect((m) => m.type === "transition" && m.caseId === caseId && m.rev === rev)).filter((m) => m.caseId === caseId).map((m) => m.rev)
  const resetReads = () => Object.assign(spy.reads, { history: 0, getCase: 0 })

  it("five subscribers, eleven commits: every transition reaches each subscriber, in order, without one read", async () => {
    const c = await engine.createCase("demo", { title: "watched by five" }, officer)
    const clients = [
      await connect(coordinator, { workflow: "demo" }),
      await connect(coordinator, { workflow: "demo", agency: "agency-a" }),
      await connect(coordinator, {}),
      await connect(officer, { caseId: c.id }),
      await connect(head, { caseId: c.id }),
    ]
    resetReads()
    for (let i = 0; i < 10; i++) await note(c.id, `n${i}`)
    await engine.send(c.id, { type: "SUBMIT" }, head)
    for (const s of clients) {
      expect(await revsUntil(s, c.id, 12)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
      await expect(s.next(200)).rejects.toThrow(/no message/)
    }
    // A new case reaches the filters from its first rev, again without a read.
    const fresh = await engine.createCase("demo", { title: "new" }, officer)
    for (const s of clients.slice(0, 3)) expect(await s.next()).toMatchObject({ type: "transition", caseId: fresh.id, rev: 1, event: "case.created", from: null, to: "draft" })
    expect(spy.reads).toEqual({ history: 0, getCase: 0 })
    for (const s of clients) await s.close()
  })

  it("a client of another agency receives nothing of agency A's case, and its filter costs no read", async () => {
    const b = await connect(otherOfficer, { workflow: "demo" })
    resetReads()
    const c = await engine.createCase("demo", { title: "agency A only" }, officer)
    for (let i = 0; i < 5; i++) await note(c.id, `secret ${i}`)
    const mine = await engine.createCase("demo", { title: "agency B's" }, otherOfficer)
    expect(await b.next()).toMatchObject({ type: "transition", caseId: mine.id, rev: 1 })
    await expect(b.next(200)).rejects.toThrow(/no message/)
    expect(spy.reads).toEqual({ history: 0, getCase: 0 })
    await b.close()
  })

  it("a commit heard late (or only through NOTIFY) is a gap: one history read fills it, nothing is repeated", async () => {
    const c = await engine.createCase("demo", { title: "gap" }, officer)
    const s = await connect(coordinator, { caseId: c.id })
    resetReads()
    await note(c.id, "r2")
    expect(await revsUntil(s, c.id, 2)).toEqual([2])
    spy.hold(3)
    await note(c.id, "r3, its listener late")
    await note(c.id, "r4")
    expect(await revsUntil(s, c.id, 4)).toEqual([3, 4])
    spy.release()
    await note(c.id, "r5")
    expect(await revsUntil(s, c.id, 5)).toEqual([5])
    await expect(s.next(200)).rejects.toThrow(/no message/)
    expect(spy.reads).toEqual({ history: 1, getCase: 0 })
    await s.close()
  })
})
