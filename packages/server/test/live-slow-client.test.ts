import type { AddressInfo, Socket } from "node:net"
import { demoActors } from "@civicase/core/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Harness, harness } from "./harness.js"
import { openSocket } from "./live-client.js"

const { officer, coordinator } = demoActors
const MAX_BUFFERED = 64 * 1024

describe("live feed: a client that stops reading", () => {
  let h: Harness
  let url: string
  beforeAll(async () => {
    // Message and queue bounds are raised: this client re-reads a large case on purpose.
    h = await harness({ live: { maxBufferedBytes: MAX_BUFFERED, maxMessages: 100_000, maxQueued: 1000 }, rateLimit: false })
    await h.app.listen({ port: 0, host: "127.0.0.1" })
    url = `ws://127.0.0.1:${(h.app.server.address() as AddressInfo).port}/v1/live`
  })
  afterAll(() => h.close())

  const slowDrops = async () => {
    const res = await h.app.inject({ method: "GET", url: "/metrics" })
    return Number(/civicase_live_dropped_total\{reason="slow"\} (\d+)/.exec(res.body)?.[1] ?? 0)
  }

  it("is closed with 1013 once its backlog passes the bound, while another client receives every transition in order", async () => {
    const c = await h.engine.createCase("demo", { title: "busy" }, officer)
    const note = (i: number) => h.engine.send(c.id, { type: "NOTE", payload: { text: `${i} ${"n".repeat(480)}` } }, officer)
    const auth = { authorization: `Bearer ${await h.token(coordinator)}` }

    const reader = await openSocket(url, auth)
    reader.send({ op: "subscribe", workflow: "demo" })
    await reader.collect((m) => m.type === "subscribed")
    const slow = await openSocket(url, auth)
    slow.send({ op: "subscribe", workflow: "demo" })
    await slow.collect((m) => m.type === "subscribed")
    // From here on the slow client's process reads nothing; its kernel buffers fill, then the server's.
    ;(slow.ws as unknown as { _socket: Socket })._socket.pause()

    // Loopback TCP absorbs a few MiB before a byte waits in the server process, so the slow client also
    // asks, again and again, for the full case (its notes make it ~40 KiB) and reads none of it: ~12 MiB.
    // (A repeated subscribe is answered without a read, so each re-read is an unsubscribe and a subscribe.)
    let rev = 1
    for (let i = 0; i < 60; i++) rev = (await note(i)).rev
    for (let round = 0; round < 30; round++) {
      rev = (await note(100 + round)).rev
      for (let i = 0; i < 10; i++) {
        slow.send({ op: "unsubscribe", caseId: c.id })
        slow.send({ op: "subscribe", caseId: c.id })
      }
    }
    await expect.poll(slowDrops, { timeout: 30_000 }).toBe(1)
    for (let i = 0; i < 20; i++) rev = (await note(1000 + i)).rev

    // The other client saw every transition, once, in rev order, and was never slowed into a drop.
    const seen = await reader.collect((m) => m.type === "transition" && m.rev === rev, 30_000)
    expect(seen.filter((m) => m.type === "transition").map((m) => m.rev)).toEqual(Array.from({ length: rev - 1 }, (_, i) => i + 2))
    reader.send({ op: "ping" })
    expect(await reader.next()).toEqual({ type: "pong" })

    // Once it reads again, the slow client finds its backlog, then the close code saying "resume later".
    ;(slow.ws as unknown as { _socket: Socket })._socket.resume()
    const closed = await slow.closed
    expect(closed).toEqual({ code: 1013, reason: "reading too slowly; resubscribe with sinceRev" })
    expect(await slowDrops()).toBe(1)
    await reader.close()
  })
})
