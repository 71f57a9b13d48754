import { afterEach, describe, expect, it } from "vitest"
import { sql } from "kysely"
import { type Engine, createEngine, silentLogger, testClock } from "@civicase/core"
import { demoActors as A, demoWorkflow } from "@civicase/core/testing"
import { pglite } from "@civicase/adapters"

const keysOf = async (engine: Engine, id: string) =>
  (await sql<{ k: string }>`select jsonb_object_keys(snapshot) as k from civicase_cases where id = ${id}`.execute(engine.db)).rows.map((r) => r.k).sort()

describe("stored snapshots", () => {
  let engine: Engine
  afterEach(() => engine?.close())

  it("keep the context once, in its column, and still restore rows that hold it twice", async () => {
    engine = createEngine({ store: pglite(), workflows: [demoWorkflow], clock: testClock(new Date("2025-03-03T02:00:00.000Z")), scheduler: false, logger: silentLogger })
    await engine.start()
    const c = await engine.createCase("demo", { title: "Kế hoạch" }, A.officer)
    await engine.send(c.id, { type: "NOTE", payload: { text: "một" } }, A.officer)
    expect(await keysOf(engine, c.id)).not.toContain("context")

    // A row as earlier releases wrote it: the context inside the snapshot too.
    await sql`update civicase_cases set snapshot = snapshot || jsonb_build_object('context', context) where id = ${c.id}`.execute(engine.db)
    expect(await keysOf(engine, c.id)).toContain("context")
    const next = await engine.send(c.id, { type: "NOTE", payload: { text: "hai" } }, A.officer)
    expect(next.context.notes).toEqual(["một", "hai"])
    expect(await keysOf(engine, c.id)).not.toContain("context")
    const submitted = await engine.send(c.id, { type: "SUBMIT", payload: {} }, A.head)
    expect(submitted.state).toBe("review")
    expect((await engine.getCase(c.id, A.coordinator)).context.notes).toEqual(["một", "hai"])
  })
})
