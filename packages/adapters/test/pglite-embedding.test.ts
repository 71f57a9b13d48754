import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { PGlite } from "@electric-sql/pglite"
import { createEngine, silentLogger } from "@civicase/core"
import { demoActors as A, demoWorkflow } from "@civicase/core/testing"
import { pglite } from "@civicase/adapters"
import { afterAll, describe, expect, it } from "vitest"

const options = { workflows: [demoWorkflow], scheduler: false, logger: silentLogger } as const

describe("pglite() as docs/embedding.md and docs/configuration.md describe it", () => {
  const dirs: string[] = []
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), "civicase-embed-"))
    dirs.push(d)
    return d
  }
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })

  it("runs on a PGlite instance the embedder opened, and leaves it open when the engine closes", async () => {
    const instance = new PGlite()
    try {
      const engine = createEngine({ store: pglite({ instance }), ...options })
      const c = await engine.createCase("demo", { title: "on the portal's own PGlite" }, A.officer)
      const submitted = await engine.send(c.id, { type: "SUBMIT" }, A.head, { expectedRev: 1 })
      expect(submitted).toMatchObject({ state: "review", rev: 2 })
      await engine.close()
      expect(instance.closed).toBe(false)
      // The embedder's instance still holds what the engine wrote, and still answers.
      const rows = await instance.query<{ state: string; rev: number }>("select state, rev from civicase_cases where id = $1", [c.id])
      expect(rows.rows).toEqual([{ state: "review", rev: 2 }])
      // A second engine on the same instance sees the same case.
      const again = createEngine({ store: pglite({ instance }), ...options })
      expect((await again.getCase(c.id, A.head)).rev).toBe(2)
      await again.close()
      expect(instance.closed).toBe(false)
    } finally {
      await instance.close()
    }
  })

  it("creates a data folder whose parents do not exist yet, as in a new project", async () => {
    const dataDir = join(tempDir(), "new-project", ".civicase", "data")
    const engine = createEngine({ store: pglite({ dataDir }), ...options })
    const c = await engine.createCase("demo", { title: "kept on disk" }, A.officer)
    await engine.close()
    expect(existsSync(dataDir)).toBe(true)
    const reopened = createEngine({ store: pglite({ dataDir }), ...options })
    expect(await reopened.getCase(c.id, A.officer)).toMatchObject({ id: c.id, rev: 1 })
    await reopened.close()
  })

  it("takes the folder as a file:// URL too", async () => {
    const folder = join(tempDir(), "a", "b")
    const engine = createEngine({ store: pglite({ dataDir: pathToFileURL(folder).href }), ...options })
    await engine.createCase("demo", { title: "by URL" }, A.officer)
    await engine.close()
    expect(existsSync(folder)).toBe(true)
  })
})
