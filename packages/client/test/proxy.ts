import { type IncomingMessage, type ServerResponse, createServer, request as httpRequest } from "node:http"
import type { AddressInfo } from "node:net"

/** One request the proxy saw, with its body. */
export interface ProxiedRequest {
  readonly method: string
  readonly url: string
  readonly body: string
  readonly authorization: string | undefined
}

/** What the proxy does with a request: forward it, forward it and lose the answer, or answer itself. */
export type ProxyAction = "forward" | "drop-response" | { readonly status: number; readonly headers: Record<string, string>; readonly body: string }

/**
 * An HTTP proxy on loopback in front of `target` that records each request
 * and lets the test decide, per request, to lose the server's answer (the
 * server did the work; the client sees its connection reset) or to answer
 * in the server's place.
 */
export async function startProxy(target: string, decide: (request: ProxiedRequest, index: number) => ProxyAction) {
  const seen: ProxiedRequest[] = []
  const upstream = new URL(target)
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    const record = { method: req.method ?? "GET", url: req.url ?? "/", body: body.toString("utf8"), authorization: req.headers.authorization }
    seen.push(record)
    const action = decide(record, seen.length - 1)
    if (typeof action === "object") return res.writeHead(action.status, action.headers).end(action.body)
    const forwarded = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      async (answer) => {
        const parts: Buffer[] = []
        for await (const chunk of answer) parts.push(chunk as Buffer)
        // The server answered in full: losing it now is the case a retry must not apply twice.
        if (action === "drop-response") return req.socket.destroy()
        res.writeHead(answer.statusCode ?? 502, answer.headers).end(Buffer.concat(parts))
      },
    )
    forwarded.on("error", () => res.destroy())
    forwarded.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return {
    seen,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
