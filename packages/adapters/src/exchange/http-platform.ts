import { InvalidConfigError } from "@civicase/core"
import type { ExchangePlatform, InboxEntry, PlatformAgency } from "./platform.js"

/**
 * Options of {@link httpExchangePlatform}.
 *
 * @example
 * { url: "https://lgsp.vinhphuc.gov.vn/edoc", token: process.env.CIVICASE_EXCHANGE_TOKEN, timeoutMs: 10_000 }
 */
export interface HttpExchangePlatformOptions {
  /** The platform's base URL; its operations are under `/v1/`. */
  readonly url: string
  /** Sent as `authorization: Bearer <token>` when given; never logged. */
  readonly token?: string
  /** One request's limit, in milliseconds; default 10000. */
  readonly timeoutMs?: number
  /** The largest answer read, in bytes (a message's XML included); default 40 MiB. */
  readonly maxResponseBytes?: number
}

/** A platform request that failed: the operation, and the status or the network error. The caller retries. */
export class ExchangePlatformError extends Error {
  override readonly name = "ExchangePlatformError"
  constructor(
    readonly operation: string,
    readonly status: number | undefined,
    reason: string,
  ) {
    super(`exchange platform ${operation}: ${reason}`)
  }
}

const CODE = /^[A-Za-z0-9._-]{1,64}$/

async function readCapped(res: Response, max: number, operation: string): Promise<string> {
  const length = Number(res.headers.get("content-length") ?? "0")
  if (length > max) throw new ExchangePlatformError(operation, res.status, `the answer is ${length} bytes, more than ${max}`)
  if (!res.body) return ""
  const chunks: Uint8Array[] = []
  let total = 0
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength
    if (total > max) throw new ExchangePlatformError(operation, res.status, `the answer is more than ${max} bytes`)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString("utf8")
}

function json<T>(text: string, operation: string): T {
  try {
    return JSON.parse(text) as T
  } catch {
    throw new ExchangePlatformError(operation, undefined, "the answer is not JSON")
  }
}

/**
 * The HTTP driver of {@link ExchangePlatform}, for a platform speaking the
 * REST shape of docs/exchange.md (`GET /v1/agencies`, `POST /v1/messages`,
 * `GET /v1/inbox/{code}`, `GET /v1/messages/{id}`, `POST /v1/messages/{id}/ack`).
 * Every failure (network, timeout, a status other than 2xx, an answer too
 * large or not of the documented shape) is an `ExchangePlatformError`; the
 * outbox and the poller retry.
 *
 * @example
 * const platform = httpExchangePlatform({ url: "https://lgsp.vinhphuc.gov.vn/edoc", token: process.env.CIVICASE_EXCHANGE_TOKEN })
 * const agencies = await platform.agencies()
 */
export function httpExchangePlatform(options: HttpExchangePlatformOptions): ExchangePlatform {
  let base: URL
  try {
    base = new URL(options.url.endsWith("/") ? options.url : `${options.url}/`)
    if (base.protocol !== "http:" && base.protocol !== "https:") throw new Error("not http")
  } catch {
    throw new InvalidConfigError("exchange platform", [{ path: "/url", message: "must be the platform's http(s) base URL" }])
  }
  const timeoutMs = options.timeoutMs ?? 10_000
  const max = options.maxResponseBytes ?? 40 * 1024 * 1024
  const auth: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {}

  async function call(operation: string, path: string, init: { method: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; text: string }> {
    let res: Response
    try {
      res = await fetch(new URL(path, base), {
        method: init.method,
        headers: { ...auth, ...(init.headers ?? {}) },
        ...(init.body === undefined ? {} : { body: init.body }),
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (e) {
      const cause = (e as { cause?: Error }).cause
      throw new ExchangePlatformError(operation, undefined, cause ? `${(e as Error).message}: ${cause.message}` : (e as Error).message)
    }
    const text = await readCapped(res, max, operation)
    if (res.status < 200 || res.status > 299) throw new ExchangePlatformError(operation, res.status, `answered ${res.status}`)
    return { status: res.status, text }
  }

  const code = (value: string, operation: string) => {
    if (!CODE.test(value)) throw new ExchangePlatformError(operation, undefined, `${JSON.stringify(value).slice(0, 80)} is not an agency code`)
    return encodeURIComponent(value)
  }

  return {
    async agencies() {
      const { text } = await call("agencies", "v1/agencies", { method: "GET" })
      const body = json<{ agencies?: unknown }>(text, "agencies")
      if (!Array.isArray(body?.agencies)) throw new ExchangePlatformError("agencies", undefined, "the answer has no agencies list")
      return body.agencies.filter((a): a is PlatformAgency => typeof a?.code === "string" && typeof a?.name === "string").map((a) => ({ code: a.code, name: a.name }))
    },
    async send(message) {
      for (const to of [message.from, ...message.to]) code(to, "send")
      const { text } = await call("send", "v1/messages", {
        method: "POST",
        headers: {
          "content-type": "application/xml; charset=utf-8",
          // Header values are bytes: the key (a DocumentId, often Vietnamese) travels percent-encoded.
          "idempotency-key": encodeURIComponent(message.key),
          "x-edxml-from": message.from,
          "x-edxml-to": message.to.join(","),
        },
        body: message.xml,
      })
      const body = json<{ id?: unknown }>(text, "send")
      if (typeof body?.id !== "string") throw new ExchangePlatformError("send", undefined, "the answer has no message id")
      return { id: body.id }
    },
    async inbox(agency, limit) {
      const { text } = await call("inbox", `v1/inbox/${code(agency, "inbox")}?limit=${Math.max(1, Math.min(100, Math.floor(limit)))}`, { method: "GET" })
      const body = json<{ messages?: unknown }>(text, "inbox")
      if (!Array.isArray(body?.messages)) throw new ExchangePlatformError("inbox", undefined, "the answer has no messages list")
      return body.messages.filter((m): m is InboxEntry => typeof m?.id === "string" && typeof m?.from === "string" && typeof m?.key === "string").map((m) => ({ id: m.id, from: m.from, key: m.key }))
    },
    async get(id) {
      return (await call("get", `v1/messages/${encodeURIComponent(id)}`, { method: "GET" })).text
    },
    async acknowledge(id, agency) {
      await call("acknowledge", `v1/messages/${encodeURIComponent(id)}/ack`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ agency }),
      })
    },
  }
}
