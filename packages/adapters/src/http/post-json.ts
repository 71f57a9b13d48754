import { request as httpRequest } from "node:http"
import { request as httpsRequest } from "node:https"
import type { TargetPolicy } from "./target-policy.js"

/** What the receiver answered: its status and the start of its body (never more than the cap). */
export interface PostAnswer {
  readonly status: number
  readonly body: string
}

/**
 * Options of {@link postJson}.
 *
 * @example
 * { headers: { "webhook-id": id }, timeoutMs: 10_000, maxResponseBytes: 4096, policy }
 */
export interface PostOptions {
  readonly headers: Readonly<Record<string, string>>
  /** The whole exchange (connect, send, answer) must end within this; default 10000. */
  readonly timeoutMs?: number
  /** Bytes of the answer read at most; the rest is dropped with the connection. Default 4096. */
  readonly maxResponseBytes?: number
  /** Checks the URL and the address connected to; without one, any target (an operator-configured URL). */
  readonly policy?: TargetPolicy
}

/**
 * POSTs a JSON body and reads at most `maxResponseBytes` of the answer.
 * Redirects are not followed (they count as the status they are). With a
 * `policy`, the URL is checked first and the address the connection resolves
 * is checked again (DNS rebinding). Rejects on a refused target, a network
 * error or the timeout; a non-2xx answer resolves, for the caller to judge.
 *
 * @example
 * const answer = await postJson("https://portal.example.gov.vn/hooks", body, { headers, policy })
 * if (answer.status >= 300) throw new Error(`answered ${answer.status}`)
 */
export async function postJson(url: string | URL, body: string, options: PostOptions): Promise<PostAnswer> {
  const target = options.policy ? await options.policy.check(String(url)) : new URL(url)
  const timeoutMs = options.timeoutMs ?? 10_000
  const cap = options.maxResponseBytes ?? 4096
  const send = target.protocol === "https:" ? httpsRequest : httpRequest
  return new Promise<PostAnswer>((resolve, reject) => {
    let settled = false
    const finish = (error: Error | undefined, answer?: PostAnswer) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      req.destroy()
      if (error) reject(error)
      else resolve(answer!)
    }
    const req = send(
      target,
      {
        method: "POST",
        headers: { ...options.headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) },
        ...(options.policy ? { lookup: options.policy.lookup as never } : {}),
      },
      (res) => {
        const chunks: Buffer[] = []
        let size = 0
        const done = () => finish(undefined, { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8").slice(0, cap) })
        res.on("data", (chunk: Buffer) => {
          if (size >= cap) return
          chunks.push(chunk.subarray(0, cap - size))
          size += Math.min(chunk.length, cap - size)
          // Enough read: stop the receiver from streaming more at us.
          if (size >= cap) done()
        })
        res.on("end", done)
        res.on("error", (e) => finish(e))
      },
    )
    const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs)
    req.on("error", (e) => finish(e))
    req.end(body)
  })
}
