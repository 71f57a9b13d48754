import { type IncomingMessage, type Server, createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { afterEach, describe, expect, it, vi } from "vitest"
import { type Engine, createEngine, silentLogger, testClock } from "@civicase/core"
import { demoActors as A, demoWorkflow } from "@civicase/core/testing"
import { Webhook } from "standardwebhooks"
import { generateWebhookSecret, pglite, postJson, signWebhook, targetPolicy, verifyWebhook, webhookNotifier } from "@civicase/adapters"

const SECRET = generateWebhookSecret()
const OLD_SECRET = generateWebhookSecret()

interface Received {
  deliveryId: string
  attempt: string
  verified: boolean
  body: string
}

/** A receiver on 127.0.0.1 that answers 500 to the first `failures` requests, then 204, and deduplicates on delivery id. */
async function receiver(failures: number) {
  const requests: Received[] = []
  const processed = new Map<string, unknown>()
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = Buffer.concat(chunks).toString("utf8")
    const check = verifyWebhook({ secret: SECRET, headers: req.headers, body })
    // The reference library of the format must accept every request too.
    let library = true
    try {
      new Webhook(SECRET).verify(body, req.headers as Record<string, string>)
    } catch {
      library = false
    }
    requests.push({ deliveryId: String(req.headers["webhook-id"]), attempt: String(requests.length + 1), verified: check.ok && library, body })
    if (!check.ok) return res.writeHead(401).end(check.reason)
    if (requests.length <= failures) return res.writeHead(500).end("receiver down")
    if (!processed.has(check.deliveryId)) processed.set(check.deliveryId, check.message)
    res.writeHead(204).end()
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/civicase`
  return { url, requests, processed, close: () => new Promise<void>((r) => server.close(() => r())) }
}

describe("webhook notifier through the outbox", () => {
  const cleanup: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c()
  })

  it("delivers a committed message to a receiver that fails three times, with the same delivery id each try, retried on the test clock", async () => {
    const hook = await receiver(3)
    cleanup.push(hook.close)
    const clock = testClock()
    const engine: Engine = createEngine({
      store: pglite(),
      workflows: [demoWorkflow],
      clock,
      scheduler: false,
      logger: silentLogger,
      notifiers: [webhookNotifier({ url: hook.url, secret: SECRET, topics: ["demo.approved"] })],
      outbox: { maxIdleMs: 60_000 },
    })
    cleanup.push(() => engine.close())
    const c = await engine.createCase("demo", { title: "Thông cáo báo chí" }, A.officer)
    await engine.send(c.id, { type: "SUBMIT" }, A.head)
    expect(hook.requests).toHaveLength(0)
    await engine.send(c.id, { type: "APPROVE" }, A.coordinator)

    // The commit wakes the dispatcher: first attempt, refused.
    await vi.waitFor(() => expect(hook.requests).toHaveLength(1), { timeout: 10_000 })
    let [row] = (await engine.outbox.list({ topic: "demo.approved" })).items
    await vi.waitFor(async () => {
      ;[row] = (await engine.outbox.list({ topic: "demo.approved" })).items
      expect(row).toMatchObject({ status: "pending", attempts: 1 })
      expect(row!.lastError).toMatch(/answered 500: receiver down/)
    })
    // Backoff holds the retry until the (test) clock reaches it.
    expect(await engine.outbox.dispatch()).toEqual({ delivered: 0, retried: 0, failed: 0, unrouted: 0 })
    for (let n = 2; n <= 4; n++) {
      clock.advance("PT10M")
      await vi.waitFor(() => expect(hook.requests).toHaveLength(n), { timeout: 10_000 })
    }
    await vi.waitFor(async () => expect((await engine.outbox.list({ status: "delivered" })).items).toHaveLength(1))

    expect(hook.requests.every((r) => r.verified)).toBe(true)
    expect(new Set(hook.requests.map((r) => r.deliveryId))).toEqual(new Set([row!.id]))
    expect(hook.requests.map((r) => r.attempt)).toEqual(["1", "2", "3", "4"])
    expect(new Set(hook.requests.map((r) => r.body)).size).toBe(1)
    expect([...hook.processed.values()]).toEqual([
      { type: "demo.approved", timestamp: row!.createdAt, data: { caseId: c.id, rev: 3, topic: "demo.approved", payload: { type: "demo.approved", title: "Thông cáo báo chí" } } },
    ])
    const [done] = (await engine.outbox.list({ status: "delivered" })).items
    expect(done).toMatchObject({ attempts: 4, lastError: null })
    expect(await engine.outbox.stats()).toEqual({ pending: 0, delivered: 1, failed: 0, unrouted: 0 })
  })

  it("fails an attempt on timeout and on a refused connection", async () => {
    const slow = createServer(() => {
      // never answers
    })
    await new Promise<void>((r) => slow.listen(0, "127.0.0.1", r))
    cleanup.push(() => new Promise<void>((r) => (slow.closeAllConnections(), slow.close(() => r()))))
    const message = { id: "00000000-0000-4000-8000-000000000001", caseId: "c", rev: 1, topic: "t", payload: {}, attempt: 1, createdAt: new Date(0).toISOString() }
    const timeout = webhookNotifier({ url: `http://127.0.0.1:${(slow.address() as AddressInfo).port}/`, secret: SECRET, timeoutMs: 200 })
    await expect(timeout.deliver(message)).rejects.toThrow(/timed out after 200 ms/)
    const closed = await receiver(0)
    await closed.close()
    await expect(webhookNotifier({ url: closed.url, secret: SECRET }).deliver(message)).rejects.toThrow(/POST 127\.0\.0\.1:\d+\/hooks\/civicase failed/)
    expect(() => webhookNotifier({ url: "ftp://x", secret: SECRET })).toThrow(/http or https/)
    expect(() => webhookNotifier({ url: "https://x", secret: "short" })).toThrow(/whsec_/)
    expect(() => webhookNotifier({ url: "https://x", secret: "whsec_c2hvcnQ=" })).toThrow(/24 to 64 random bytes/)
  })
})

describe("verifyWebhook (Standard Webhooks)", () => {
  const body = JSON.stringify({ type: "t", timestamp: "2025-01-01T00:00:00.000Z", data: { a: 1 } })
  const now = 1_741_000_000
  const headers = (over: Record<string, string> = {}) => ({
    "webhook-id": "d-1",
    "webhook-timestamp": String(now),
    "webhook-signature": signWebhook(SECRET, "d-1", now, body),
    ...over,
  })

  it("accepts a signed request within tolerance, from Node or Fetch headers, with any current secret", () => {
    expect(verifyWebhook({ secret: SECRET, headers: headers(), body, now: () => now + 299 })).toMatchObject({ ok: true, deliveryId: "d-1", timestamp: now, message: JSON.parse(body) })
    expect(verifyWebhook({ secret: [OLD_SECRET, SECRET], headers: new Headers(headers()), body: Buffer.from(body), now: () => now }).ok).toBe(true)
    // A sender rotating its secret signs with both; a receiver holding either accepts.
    const both = headers({ "webhook-signature": `${signWebhook(OLD_SECRET, "d-1", now, body)} ${signWebhook(SECRET, "d-1", now, body)}` })
    expect(verifyWebhook({ secret: OLD_SECRET, headers: both, body, now: () => now }).ok).toBe(true)
  })

  it("signs exactly as the standardwebhooks library does", () => {
    const at = new Date(now * 1000)
    expect(signWebhook(SECRET, "msg_1", now, body)).toBe(new Webhook(SECRET).sign("msg_1", at, body))
  })

  it("rejects a changed body, a wrong secret, a swapped id, a replayed timestamp and missing headers", () => {
    const at = () => now
    expect(verifyWebhook({ secret: SECRET, headers: headers(), body: body.replace('"a":1', '"a":2'), now: at })).toEqual({ ok: false, kind: "signature", reason: "signature does not match" })
    expect(verifyWebhook({ secret: OLD_SECRET, headers: headers(), body, now: at }).ok).toBe(false)
    expect(verifyWebhook({ secret: SECRET, headers: headers({ "webhook-id": "d-2" }), body, now: at })).toMatchObject({ ok: false, kind: "signature" })
    expect(verifyWebhook({ secret: SECRET, headers: headers(), body, now: () => now + 301 })).toMatchObject({ ok: false, kind: "stale", reason: expect.stringMatching(/replay/) })
    // A fresh timestamp on a captured body does not match its signature.
    expect(verifyWebhook({ secret: SECRET, headers: headers({ "webhook-timestamp": String(now + 100) }), body, now: () => now + 100 }).ok).toBe(false)
    expect(verifyWebhook({ secret: SECRET, headers: {}, body, now: at })).toMatchObject({ ok: false, kind: "malformed", reason: expect.stringMatching(/webhook-id/) })
    expect(() => verifyWebhook({ secret: "not-a-whsec", headers: headers(), body })).toThrow(/whsec_/)
  })
})

describe("postJson", () => {
  it("reads at most the cap of an answer that never ends, and refuses a target the policy refuses before connecting", async () => {
    let connections = 0
    const flood = createServer((_req, res) => {
      connections++
      res.writeHead(500)
      const chunk = "x".repeat(64 * 1024)
      const pump = () => {
        while (res.write(chunk));
      }
      res.on("drain", pump)
      pump()
    })
    await new Promise<void>((r) => flood.listen(0, "127.0.0.1", r))
    const url = `http://127.0.0.1:${(flood.address() as AddressInfo).port}/`
    try {
      const answer = await postJson(url, "{}", { headers: {}, maxResponseBytes: 1000, timeoutMs: 20_000 })
      expect(answer.status).toBe(500)
      expect(answer.body).toHaveLength(1000)
      await expect(postJson(url, "{}", { headers: {}, policy: targetPolicy() })).rejects.toMatchObject({ code: "CIVICASE_E_TARGET_REFUSED" })
      expect(connections).toBe(1)
    } finally {
      flood.closeAllConnections()
      await new Promise<void>((r) => flood.close(() => r()))
    }
  })
})

describe("targetPolicy (SSRF guard)", () => {
  it("refuses private, loopback, link-local, metadata, mapped and reserved targets, and non-http URLs, each with why", async () => {
    const policy = targetPolicy({ resolve: async (h) => (h === "rebind.example" ? [{ address: "93.184.216.34", family: 4 }, { address: "10.0.0.7", family: 4 }] : []) })
    const refused = async (url: string) => (await policy.check(url).then(() => "allowed", (e: Error & { code?: string }) => `${e.code}: ${e.message}`))
    expect(await refused("http://127.0.0.1:8080/")).toMatch(/TARGET_REFUSED: .*127\.0\.0\.1 is loopback/)
    expect(await refused("http://169.254.169.254/latest/meta-data")).toMatch(/link-local \(cloud metadata/)
    expect(await refused("http://10.1.2.3/")).toMatch(/private \(10\.0\.0\.0\/8\)/)
    expect(await refused("http://192.168.1.1/")).toMatch(/private/)
    expect(await refused("http://[::1]/")).toMatch(/::1 is loopback/)
    expect(await refused("http://[::ffff:127.0.0.1]/")).toMatch(/127\.0\.0\.1 is loopback/)
    expect(await refused("http://[fd00:ec2::254]/")).toMatch(/unique local/)
    expect(await refused("http://0.0.0.0/")).toMatch(/this network/)
    expect(await refused("ftp://example.org/")).toMatch(/must be http or https/)
    expect(await refused("https://user:pw@example.org/")).toMatch(/credentials/)
    expect(await refused("https://rebind.example/")).toMatch(/resolves to 10\.0\.0\.7 is private/)
    expect(await refused("https://nowhere.example/")).toMatch(/does not resolve/)
    expect(await refused("https://93.184.216.34/hook")).toBe("allowed")
  })

  it("allows listed addresses and ranges, and refuses a bad allow-list by path", async () => {
    const policy = targetPolicy({ allow: ["127.0.0.1", "10.20.0.0/16"] })
    await expect(policy.check("http://127.0.0.1:9/")).resolves.toBeInstanceOf(URL)
    await expect(policy.check("http://10.20.5.5/")).resolves.toBeInstanceOf(URL)
    await expect(policy.check("http://10.21.0.1/")).rejects.toThrow(/private/)
    expect(() => targetPolicy({ allow: ["10.0.0.0/33", "nonsense"] })).toThrow(/\/allow\/0[\s\S]*\/allow\/1/)
  })
})
