import type { AddressInfo } from "node:net"
import type { Actor } from "@civicase/core"
import { demoActors } from "@civicase/core/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Harness, harness } from "./harness.js"
import { openSocket } from "./live-client.js"

const { officer, head, otherHead, otherOfficer, coordinator } = demoActors

describe("live feed (GET /v1/live)", () => {
  let h: Harness
  let url: string
  beforeAll(async () => {
    h = await harness({ live: { maxPayload: 512 } })
    await h.app.listen({ port: 0, host: "127.0.0.1" })
    url = `ws://127.0.0.1:${(h.app.server.address() as AddressInfo).port}/v1/live`
  })
  afterAll(() => h.close())

  const connect = async (actor: Actor = officer, how: "header" | "query" = "header") => {
    const token = await h.token(actor)
    return how === "header" ? openSocket(url, { authorization: `Bearer ${token}` }) : openSocket(`${url}?token=${token}`)
  }
  const note = (id: string, text: string, actor: Actor = officer) => h.engine.send(id, { type: "NOTE", payload: { text } }, actor)

  it("refuses the upgrade without a valid token (401 before the upgrade)", async () => {
    await expect(openSocket(url)).rejects.toMatchObject({ status: 401 })
    await expect(openSocket(`${url}?token=abc.def.ghi`)).rejects.toMatchObject({ status: 401 })
    await expect(openSocket(url, { authorization: `Bearer ${await h.token(demoActors.foreignCoordinator)}` })).rejects.toMatchObject({ status: 401 })
  })

  it("takes names of Object.prototype members in messages as data: the socket answers and stays open", async () => {
    const socket = await connect(coordinator)
    for (const name of Object.getOwnPropertyNames(Object.prototype)) {
      socket.send({ op: "subscribe", caseId: name })
      expect(await socket.next()).toMatchObject({ type: "error", code: "CIVICASE_E_CASE_NOT_FOUND", caseId: name })
      socket.send({ op: "subscribe", workflow: name, agency: name })
      expect(await socket.next()).toEqual({ type: "subscribed", workflow: name, agency: name, cases: 0 })
      socket.send({ op: "unsubscribe", workflow: name, agency: name })
      expect(await socket.next()).toEqual({ type: "unsubscribed", workflow: name, agency: name })
    }
    socket.send({ op: "ping" })
    expect(await socket.next()).toEqual({ type: "pong" })
    // An own __proto__ member is not part of the protocol: refused like any unknown member.
    socket.send('{"op":"ping","__proto__":{"op":"subscribe"}}')
    expect(await socket.next()).toMatchObject({ type: "error", code: "CIVICASE_E_BAD_REQUEST", detail: expect.stringContaining("__proto__") })
    expect((await socket.closed).code).toBe(1008)
  })

  it("sends the current case first, then every transition in rev order", async () => {
    const c = await h.engine.createCase("demo", { title: "live" }, officer)
    const socket = await connect(officer, "query")
    socket.send({ op: "subscribe", caseId: c.id })
    const first = await socket.next()
    expect(first).toMatchObject({ type: "case", case: { id: c.id, rev: 1, state: "draft" } })
    expect(await socket.next()).toEqual({ type: "subscribed", caseId: c.id, rev: 1 })
    await h.engine.send(c.id, { type: "SUBMIT" }, head)
    await note(c.id, "a")
    const t2 = await socket.next()
    expect(t2).toMatchObject({ type: "transition", caseId: c.id, rev: 2, from: "draft", to: "review", event: "SUBMIT" })
    expect(typeof t2.at).toBe("string")
    expect(await socket.next()).toMatchObject({ type: "transition", rev: 3, event: "NOTE" })
    await socket.close()
  })

  it("a client that disconnects and resumes with sinceRev receives every transition once, in order", async () => {
    const c = await h.engine.createCase("demo", { title: "resume" }, officer)
    const first = await connect()
    first.send({ op: "subscribe", caseId: c.id })
    await first.collect((m) => m.type === "subscribed")
    const received: number[] = []
    for (let i = 0; i < 3; i++) await note(c.id, `before ${i}`)
    for (const m of await first.collect((m) => m.rev === 4)) received.push(m.rev)
    await first.close()
    // Commits while the client is away, and concurrently with its resubscription.
    for (let i = 0; i < 3; i++) await note(c.id, `away ${i}`)
    const second = await connect()
    second.send({ op: "subscribe", caseId: c.id, sinceRev: received.at(-1) })
    const racing = Promise.all([note(c.id, "race 1"), note(c.id, "race 2")])
    await racing
    for (let i = 0; i < 2; i++) await note(c.id, `after ${i}`)
    // "subscribed" follows the replayed rows; live ones may come before or after it.
    let sawLast = false
    let sawSubscribed = false
    const messages = await second.collect((m) => {
      sawLast ||= m.type === "transition" && m.rev === 11
      sawSubscribed ||= m.type === "subscribed"
      return sawLast && sawSubscribed
    })
    for (const m of messages) if (m.type === "transition") received.push(m.rev)
    expect(received).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    expect(messages.filter((m) => m.type === "subscribed")).toHaveLength(1)
    await expect(second.next(300)).rejects.toThrow(/no message/)
    await second.close()
  })

  it("agency B cannot subscribe to a case of agency A, nor see it through a filter", async () => {
    const c = await h.engine.createCase("demo", { title: "A only" }, officer)
    const b = await connect(otherOfficer)
    b.send({ op: "subscribe", caseId: c.id })
    expect(await b.next()).toMatchObject({ type: "error", code: "CIVICASE_E_CASE_NOT_FOUND", caseId: c.id })
    b.send({ op: "subscribe", workflow: "demo" })
    const initial = await b.collect((m) => m.type === "subscribed")
    expect(initial.filter((m) => m.type === "case" && m.case.id === c.id)).toEqual([])
    await note(c.id, "secret")
    const mine = await h.engine.createCase("demo", { title: "B's" }, otherOfficer)
    const seen = await b.collect((m) => m.caseId === mine.id)
    expect(seen.map((m) => m.caseId)).toEqual([mine.id])
    expect(seen[0]).toMatchObject({ type: "transition", rev: 1, event: "case.created", from: null, to: "draft" })
    await b.close()
  })

  it("a filter subscription sends the current cases, then new cases and their transitions", async () => {
    const watcher = await connect(coordinator)
    const existing = await h.engine.createCase("demo", { title: "existing" }, otherOfficer)
    watcher.send({ op: "subscribe", workflow: "demo", agency: "agency-b" })
    const initial = await watcher.collect((m) => m.type === "subscribed")
    expect(initial.some((m) => m.type === "case" && m.case.id === existing.id)).toBe(true)
    expect(initial.every((m) => m.type !== "case" || m.case.parties.owner === "agency-b")).toBe(true)
    expect(initial.at(-1)).toMatchObject({ type: "subscribed", workflow: "demo", agency: "agency-b" })
    await h.engine.createCase("demo", { title: "agency a, not watched" }, officer)
    await h.engine.send(existing.id, { type: "SUBMIT" }, otherHead)
    expect(await watcher.next()).toMatchObject({ type: "transition", caseId: existing.id, rev: 2, to: "review" })
    await watcher.close()
  })

  it("a client sending garbage or an oversize message is closed; the others are not affected", async () => {
    const c = await h.engine.createCase("demo", { title: "bystander" }, officer)
    const bystander = await connect()
    bystander.send({ op: "subscribe", caseId: c.id })
    await bystander.collect((m) => m.type === "subscribed")

    const garbage = await connect()
    garbage.send("this is not json")
    expect(await garbage.next()).toMatchObject({ type: "error", detail: "messages must be JSON" })
    expect((await garbage.closed).code).toBe(1007)

    const wrongShape = await connect()
    wrongShape.send({ op: "subscribe", caseId: c.id, admin: true })
    expect((await wrongShape.next()).detail).toContain("/admin")
    expect((await wrongShape.closed).code).toBe(1008)

    const oversize = await connect()
    oversize.send({ op: "subscribe", caseId: "x".repeat(2000) })
    expect((await oversize.closed).code).toBe(1009)

    await note(c.id, "still here")
    expect(await bystander.next()).toMatchObject({ type: "transition", caseId: c.id, rev: 2 })
    bystander.send({ op: "ping" })
    expect(await bystander.next()).toEqual({ type: "pong" })
    await bystander.close()
  })

  it("explains a subscription that mixes a case and a filter, or sinceRev without a case, and stays open", async () => {
    const s = await connect()
    s.send({ op: "subscribe", caseId: "00000000-0000-4000-8000-000000000000", workflow: "demo" })
    expect(await s.next()).toMatchObject({ type: "error", code: "CIVICASE_E_BAD_REQUEST" })
    s.send({ op: "subscribe", workflow: "demo", sinceRev: 3 })
    expect((await s.next()).detail).toContain("sinceRev")
    s.send({ op: "ping" })
    expect(await s.next()).toEqual({ type: "pong" })
    await s.close()
  })
})
