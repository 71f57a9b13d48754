import { type Server, type Socket, createConnection, createServer } from "node:net"

/**
 * A TCP proxy in front of a database server that a test can break on
 * purpose: reset every connection, refuse new ones, or cut a connection at
 * its first query. Point a driver at {@link FaultProxy.url} and the real
 * server stays untouched.
 */
export interface FaultProxy {
  /** The loopback port the proxy listens on. */
  readonly port: number
  /** `url` with its host and port replaced by the proxy's. */
  url(url: string): string
  /** Connections open through the proxy now. */
  readonly open: number
  /** Resets every open connection (the client reads ECONNRESET), as a crashed server or a cut cable would. */
  cut(): void
  /**
   * Refuses new connections (ECONNREFUSED) until {@link FaultProxy.up};
   * open ones are cut too unless `keepOpen` (then only new connections fail).
   */
  down(options?: { readonly keepOpen?: boolean }): Promise<void>
  /** Accepts connections again, on the same port. */
  up(): Promise<void>
  /**
   * Cuts the next `count` connections when the client sends its first
   * message after the startup: with trust authentication, its first query.
   */
  cutAtFirstQuery(count?: number): void
  close(): Promise<void>
}

/**
 * Starts a {@link FaultProxy} on a free loopback port in front of `target`.
 *
 * @example
 * const proxy = await faultProxy({ host: "127.0.0.1", port: 5432 })
 * const store = postgres({ connectionString: proxy.url(process.env.DATABASE_URL!) })
 * await proxy.down() // the database is unreachable: calls fail with StorageError
 * await proxy.up()
 */
export async function faultProxy(target: { readonly host: string; readonly port: number }): Promise<FaultProxy> {
  type Pair = { readonly client: Socket; readonly upstream: Socket }
  const pairs = new Set<Pair>()
  let cutsAtFirstQuery = 0

  const reset = (pair: Pair) => {
    pairs.delete(pair)
    pair.client.resetAndDestroy()
    pair.upstream.destroy()
  }
  const cut = () => {
    for (const pair of [...pairs]) reset(pair)
  }
  const accept = (client: Socket) => {
    const pair: Pair = { client, upstream: createConnection(target.port, target.host) }
    pairs.add(pair)
    const cutHere = cutsAtFirstQuery > 0
    if (cutHere) cutsAtFirstQuery--
    let chunks = 0
    client.on("data", (data) => {
      chunks++
      // The first chunk is the startup message; the next is the first query (trust authentication).
      if (cutHere && chunks === 2) return reset(pair)
      pair.upstream.write(data)
    })
    pair.upstream.pipe(client)
    const end = () => {
      pairs.delete(pair)
      client.destroy()
      pair.upstream.destroy()
    }
    for (const socket of [client, pair.upstream]) {
      socket.on("error", end)
      socket.on("close", end)
    }
  }
  /** A fresh server per period of being up: a closed one may still be waiting for its connections. */
  const listen = (port: number) =>
    new Promise<Server>((resolve, reject) => {
      const s = createServer(accept)
      s.once("error", reject)
      s.listen(port, "127.0.0.1", () => {
        s.off("error", reject)
        resolve(s)
      })
    })

  let server: Server | undefined = await listen(0)
  const port = (server.address() as { port: number }).port
  const stop = async (keepOpen: boolean) => {
    const s = server
    server = undefined
    if (!s) return
    const closed = new Promise<void>((resolve) => s.close(() => resolve()))
    if (keepOpen) return
    cut()
    await closed
  }
  return {
    port,
    url(url) {
      const u = new URL(url)
      u.hostname = "127.0.0.1"
      u.port = String(port)
      return u.toString()
    },
    get open() {
      return pairs.size
    },
    cut,
    down: (options = {}) => stop(options.keepOpen === true),
    async up() {
      server ??= await listen(port)
    },
    cutAtFirstQuery(count = 1) {
      cutsAtFirstQuery += count
    },
    close: () => stop(false).then(cut),
  }
}
