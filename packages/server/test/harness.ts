import { type Actor, type Engine, createEngine, silentLogger, testClock } from "@civicase/core"
import { pglite } from "@civicase/adapters"
import { demoWorkflow } from "@civicase/core/testing"
import type { FastifyInstance } from "fastify"
import { type ServerOptions, buildServer, devTokens } from "@civicase/server"

/** A server over a fresh in-memory PGlite engine running the demo workflow, with tokens minted for any actor. */
export interface Harness {
  readonly app: FastifyInstance
  readonly engine: Engine
  readonly clock: ReturnType<typeof testClock>
  /** `Authorization` header for `actor`. */
  auth(actor: Actor): Promise<{ authorization: string }>
  token(actor: Actor): Promise<string>
  close(): Promise<void>
}

export async function harness(options: Partial<Omit<ServerOptions, "engine" | "auth" | "province">> = {}): Promise<Harness> {
  const clock = testClock()
  const engine = createEngine({ store: pglite(), workflows: [demoWorkflow], clock, scheduler: false, logger: silentLogger })
  await engine.start()
  const dev = devTokens({ now: () => clock.now() })
  const app = await buildServer({ engine, auth: dev.auth, province: "demo", now: () => clock.now(), ...options })
  return {
    app,
    engine,
    clock,
    token: (actor) => dev.mint(actor),
    auth: async (actor) => ({ authorization: `Bearer ${await dev.mint(actor)}` }),
    async close() {
      await app.close()
      await engine.close()
    },
  }
}
