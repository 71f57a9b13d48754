import { type IncomingMessage, type ServerResponse, createServer } from "node:http"
import type { AddressInfo } from "node:net"
import type { OutgoingMessage, PlatformAgency } from "../platform.js"

/**
 * One message the fake platform holds: what was sent, its id, and who has
 * acknowledged it.
 *
 * @example
 * { id: "m-1", from: "000.00.14.H62", to: ["000.00.09.H62"], key: "…", xml: "<edXML …", acknowledgedBy: ["000.00.09.H62"] }
 */
export interface FakeMessage extends OutgoingMessage {
  readonly id: string
  readonly acknowledgedBy: ReadonlyArray<string>
}

/** The platform operations faults can target. */
export type FakeOperation = "agencies" | "send" | "inbox" | "get" | "acknowledge"

/**
 * A fake national document-exchange platform: a real HTTP server on
 * 127.0.0.1 speaking the REST shape of docs/exchange.md, for tests and the
 * example. It can fail, delay and repeat deliveries.
 *
 * @example
 * const platform = await startFakeExchangePlatform({ agencies: [{ code: "000.00.14.H62", name: "Sở TT&TT" }] })
 * platform.failNext("send", 2)       // the next two sends answer 503
 * platform.redeliver(id, "000.00.14.H62") // an acknowledged message shows up again
 * await platform.close()
 */
export interface FakeExchangePlatform {
  /** The base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string
  /** Every message sent, in order. */
  messages(): ReadonlyArray<FakeMessage>
  /** Puts a message on the platform as if `from` had sent it (a central agency the test plays). */
  deliver(message: OutgoingMessage): string
  /** The next `count` calls of `operation` answer 503 (after doing nothing). */
  failNext(operation: FakeOperation, count?: number): void
  /** The next `count` sends are stored but answered 503, so the sender retries something the platform has (a lost answer). */
  loseAnswers(count?: number): void
  /** Every answer waits this long first (milliseconds). */
  delay(ms: number): void
  /** Puts an acknowledged message back into `agency`'s inbox (a platform that repeats a delivery). */
  redeliver(id: string, agency: string): void
  /** Replaces the directory. */
  setAgencies(agencies: ReadonlyArray<PlatformAgency>): void
  close(): Promise<void>
}

interface Held {
  readonly id: string
  readonly from: string
  readonly to: string[]
  readonly key: string
  readonly xml: string
  readonly acked: Set<string>
}

const MAX_BODY = 50 * 1024 * 1024

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on("data", (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY) {
        reject(new Error("body too large"))
        req.destroy()
      } else chunks.push(c)
    })
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", reject)
  })
}

function answer(res: ServerResponse, status: number, body?: unknown, type = "application/json"): void {
  const text = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body)
  res.writeHead(status, { "content-type": type, "content-length": String(Buffer.byteLength(text)) })
  res.end(text)
}

/**
 * Starts a {@link FakeExchangePlatform} on a free loopback port. With
 * `token`, requests without `authorization: Bearer <token>` answer 401.
 *
 * @example
 * const platform = await startFakeExchangePlatform({ agencies, token: "t0ken" })
 * const driver = httpExchangePlatform({ url: platform.url, token: "t0ken" })
 */
export async function startFakeExchangePlatform(options: { readonly agencies?: ReadonlyArray<PlatformAgency>; readonly token?: string } = {}): Promise<FakeExchangePlatform> {
  let agencies = [...(options.agencies ?? [])]
  const held: Held[] = []
  const byId = new Map<string, Held>()
  const byKey = new Map<string, Held>()
  const failures = new Map<FakeOperation, number>()
  const repeats = new Map<string, Set<string>>()
  let lost = 0
  let delayMs = 0
  let next = 1

  const store = (m: OutgoingMessage): Held => {
    const seen = byKey.get(`${m.from}\n${m.key}`)
    if (seen) return seen
    const h: Held = { id: `m-${next++}`, from: m.from, to: [...m.to], key: m.key, xml: m.xml, acked: new Set() }
    held.push(h)
    byId.set(h.id, h)
    byKey.set(`${m.from}\n${m.key}`, h)
    return h
  }
  const failing = (op: FakeOperation) => {
    const n = failures.get(op) ?? 0
    if (n > 0) failures.set(op, n - 1)
    return n > 0
  }

  const server = createServer((req, res) => {
    void (async () => {
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs))
      if (options.token && req.headers.authorization !== `Bearer ${options.token}`) return answer(res, 401, { error: "unauthorized" })
      const url = new URL(req.url ?? "/", "http://fake")
      const parts = url.pathname.split("/").filter(Boolean)
      if (req.method === "GET" && url.pathname === "/v1/agencies") {
        if (failing("agencies")) return answer(res, 503, { error: "unavailable" })
        return answer(res, 200, { agencies })
      }
      if (req.method === "POST" && url.pathname === "/v1/messages") {
        const xml = await readBody(req)
        if (failing("send")) return answer(res, 503, { error: "unavailable" })
        const from = String(req.headers["x-edxml-from"] ?? "")
        const to = String(req.headers["x-edxml-to"] ?? "").split(",").filter(Boolean)
        let key = ""
        try {
          key = decodeURIComponent(String(req.headers["idempotency-key"] ?? ""))
        } catch {
          return answer(res, 400, { error: "idempotency-key must be percent-encoded UTF-8" })
        }
        if (!from || to.length === 0 || !key) return answer(res, 400, { error: "x-edxml-from, x-edxml-to and idempotency-key are required" })
        const unknown = to.filter((c) => !agencies.some((a) => a.code === c))
        if (unknown.length) return answer(res, 422, { error: `unknown agencies ${unknown.join(", ")}` })
        const h = store({ from, to, key, xml })
        if (lost > 0) {
          lost--
          return answer(res, 503, { error: "answer lost" })
        }
        return answer(res, 201, { id: h.id })
      }
      if (req.method === "GET" && parts[0] === "v1" && parts[1] === "inbox" && parts.length === 3) {
        if (failing("inbox")) return answer(res, 503, { error: "unavailable" })
        const agency = decodeURIComponent(parts[2]!)
        const limit = Math.max(1, Math.min(100, Number(url.searchParams.get("limit") ?? "20") || 20))
        const again = repeats.get(agency) ?? new Set<string>()
        const waiting = held.filter((h) => h.to.includes(agency) && (!h.acked.has(agency) || again.has(h.id))).slice(0, limit)
        return answer(res, 200, { messages: waiting.map((h) => ({ id: h.id, from: h.from, key: h.key })) })
      }
      if (req.method === "GET" && parts[0] === "v1" && parts[1] === "messages" && parts.length === 3) {
        if (failing("get")) return answer(res, 503, { error: "unavailable" })
        const h = byId.get(decodeURIComponent(parts[2]!))
        return h ? answer(res, 200, h.xml, "application/xml; charset=utf-8") : answer(res, 404, { error: "no such message" })
      }
      if (req.method === "POST" && parts[0] === "v1" && parts[1] === "messages" && parts[3] === "ack" && parts.length === 4) {
        const body = await readBody(req)
        if (failing("acknowledge")) return answer(res, 503, { error: "unavailable" })
        const h = byId.get(decodeURIComponent(parts[2]!))
        if (!h) return answer(res, 404, { error: "no such message" })
        let agency = ""
        try {
          agency = String(JSON.parse(body)?.agency ?? "")
        } catch {
          return answer(res, 400, { error: "body must be JSON { agency }" })
        }
        if (!h.to.includes(agency)) return answer(res, 403, { error: "not addressed to that agency" })
        h.acked.add(agency)
        repeats.get(agency)?.delete(h.id)
        return answer(res, 204)
      }
      return answer(res, 404, { error: "no such operation" })
    })().catch(() => {
      if (!res.headersSent) answer(res, 500, { error: "fake platform failure" })
    })
  })
  // A client reusing a keep-alive socket the server is closing sees ECONNRESET; keep sockets open for as long as a test or example runs.
  server.keepAliveTimeout = 10 * 60_000
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    messages: () => held.map((h) => ({ id: h.id, from: h.from, to: [...h.to], key: h.key, xml: h.xml, acknowledgedBy: [...h.acked] })),
    deliver: (m) => store(m).id,
    failNext(operation, count = 1) {
      failures.set(operation, (failures.get(operation) ?? 0) + count)
    },
    loseAnswers(count = 1) {
      lost += count
    },
    delay(ms) {
      delayMs = ms
    },
    redeliver(id, agency) {
      if (!byId.has(id)) throw new Error(`no message ${id}`)
      const set = repeats.get(agency) ?? new Set<string>()
      set.add(id)
      repeats.set(agency, set)
    },
    setAgencies(list) {
      agencies = [...list]
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((e) => (e ? reject(e) : resolve()))
      }),
  }
}
