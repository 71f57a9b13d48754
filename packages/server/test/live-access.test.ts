import type { AddressInfo } from "node:net"
import { type Actor, createEngine, silentLogger, testClock } from "@civicase/core"
import { pglite } from "@civicase/adapters"
import { demoActors, demoWorkflow } from "@civicase/core/testing"
import { buildServer, devTokens } from "@civicase/server"
import { describe, expect, it } from "vitest"
import { openSocket } from "./live-client.js"

describe("live feed visibility follows the engine's access policy", () => {
  it("does not send a case to an actor the engine would refuse, when only the engine is told the narrower roles", async () => {
    const clock = testClock()
    // An embedder narrows who sees the whole province (no observer) on the engine only.
    const engine = createEngine({
      store: pglite(),
      workflows: [demoWorkflow],
      clock,
      scheduler: false,
      logger: silentLogger,
      provinceWideRoles: ["coordinator", "coordinator_head", "province_leader"],
    })
    await engine.start()
    const dev = devTokens({ now: () => clock.now() })
    const app = await buildServer({ engine, auth: dev.auth, province: "demo", now: () => clock.now() })
    try {
      await app.listen({ port: 0, host: "127.0.0.1" })
      const url = `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1/live`
      const observer: Actor = { id: "obs-1", province: "demo", agency: "so-noi-vu", roles: ["observer"] }
      const colleague: Actor = { id: "officer-9", province: "demo", agency: "so-noi-vu", roles: ["agency_officer"] }
      const socket = await openSocket(url, { authorization: `Bearer ${await dev.mint(observer)}` })
      socket.send({ op: "subscribe", workflow: "demo" })
      await socket.collect((m) => m.type === "subscribed")
      const hidden = await engine.createCase("demo", { title: "agency a only" }, demoActors.officer)
      await engine.send(hidden.id, { type: "SUBMIT" }, demoActors.head)
      await expect(engine.getCase(hidden.id, observer)).rejects.toMatchObject({ code: "CIVICASE_E_CASE_NOT_FOUND" })
      // A case of the observer's own agency marks the end: everything before it was either sent or withheld.
      const own = await engine.createCase("demo", { title: "own agency" }, colleague)
      const received = await socket.collect((m) => m.caseId === own.id)
      expect(received.filter((m) => m.caseId === hidden.id || m.case?.id === hidden.id)).toEqual([])
      expect(received.at(-1)).toMatchObject({ type: "transition", caseId: own.id, rev: 1 })
      await socket.close()
    } finally {
      await app.close()
      await engine.close()
    }
  })
})
