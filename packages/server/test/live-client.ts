import WebSocket from "ws"

/** A websocket test client that queues what the server sends, so a test can await each message in order. */
export interface TestSocket {
  readonly ws: WebSocket
  /** The next message (JSON), or a rejection after `ms`. */
  next(ms?: number): Promise<any>
  /** Messages until one matches `until`, inclusive. */
  collect(until: (m: any) => boolean, ms?: number): Promise<any[]>
  send(message: unknown): void
  /** Resolves with the close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>
  close(): Promise<void>
}

/** Opens a websocket to `url` and waits for the upgrade; rejects with the HTTP status when it is refused. */
export function openSocket(url: string, headers: Record<string, string> = {}): Promise<TestSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers })
    const inbox: any[] = []
    const waiters: Array<(m: any) => void> = []
    ws.on("message", (data) => {
      const m = JSON.parse(String(data))
      const w = waiters.shift()
      if (w) w(m)
      else inbox.push(m)
    })
    const closed = new Promise<{ code: number; reason: string }>((r) => ws.on("close", (code, reason) => r({ code, reason: String(reason) })))
    ws.on("unexpected-response", (_req, res) => reject(Object.assign(new Error(`refused with ${res.statusCode}`), { status: res.statusCode })))
    ws.on("error", (e) => reject(e))
    ws.on("open", () => {
      const next = (ms = 5000) =>
        inbox.length
          ? Promise.resolve(inbox.shift())
          : new Promise((res, rej) => {
              const timer = setTimeout(() => {
                waiters.splice(waiters.indexOf(done), 1)
                rej(new Error(`no message within ${ms} ms`))
              }, ms)
              const done = (m: any) => {
                clearTimeout(timer)
                res(m)
              }
              waiters.push(done)
            })
      resolve({
        ws,
        next,
        async collect(until, ms = 5000) {
          const out: any[] = []
          for (;;) {
            const m = await next(ms)
            out.push(m)
            if (until(m)) return out
          }
        },
        send: (message) => ws.send(typeof message === "string" ? message : JSON.stringify(message)),
        closed,
        async close() {
          if (ws.readyState === ws.CLOSED) return
          ws.close()
          await closed
        },
      })
    })
  })
}
