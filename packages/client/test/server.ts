import type { AddressInfo } from "node:net"
import { type Actor, type Engine, createEngine, silentLogger } from "@civicase/core"
import { pglite } from "@civicase/adapters"
import { demoWorkflow } from "@civicase/core/testing"
import { buildServer, devTokens } from "@civicase/server"
import type { FastifyInstance } from "fastify"

/** A civicase server listening on loopback over a fresh in-memory PGlite engine running the demo workflow. */
export interface TestServer {
  readonly app: FastifyInstance
  readonly engine: Engine
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string
  token(actor: Actor): Promise<string>
  /** Closes every live socket from the server's side, as a restart or a dropped link would. */
  dropLiveSockets(code?: number): void
  close(): Promise<void>
}

export async function startServer(): Promise<TestServer> {
  const engine = createEngine({ store: pglite(), workflows: [demoWorkflow], scheduler: false, logger: silentLogger })
  await engine.start()
  const dev = devTokens()
  const app = await buildServer({ engine, auth: dev.auth, province: "demo", dashboard: false, rateLimit: false })
  await app.listen({ port: 0, host: "127.0.0.1" })
  return {
    app,
    engine,
    baseUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    token: (actor) => dev.mint(actor),
    dropLiveSockets(code = 1001) {
      for (const socket of (app as unknown as { websocketServer: { clients: Set<{ close(code: number, reason: string): void }> } }).websocketServer.clients) {
        socket.close(code, "going away")
      }
    },
    async close() {
      await app.close()
      await engine.close()
    },
  }
}
