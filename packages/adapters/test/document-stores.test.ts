import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { type Engine, createEngine, silentLogger, testClock } from "@civicase/core"
import { demoActors as A, demoWorkflow, documentStoreContract } from "@civicase/core/testing"
import { folderDocuments, pglite } from "@civicase/adapters"
import { databaseStoreOn, filesUnder } from "./document-store-targets.js"
import { pgliteTarget } from "./stores.js"

documentStoreContract("database on PGlite", databaseStoreOn(pgliteTarget))

documentStoreContract("folder", async () => {
  const dir = mkdtempSync(join(tmpdir(), "civicase-docs-"))
  return {
    store: folderDocuments({ dir })({ db: undefined as never, logger: silentLogger }),
    leftovers: async () => filesUnder(dir).length,
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  }
})

describe("an engine keeping documents in a folder", () => {
  let engine: Engine | undefined
  let dir: string | undefined
  afterEach(async () => {
    await engine?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it("attaches into the folder, reads back, and verify names a file swapped or removed on disk", async () => {
    dir = mkdtempSync(join(tmpdir(), "civicase-docs-"))
    engine = createEngine({ store: pglite(), workflows: [demoWorkflow], clock: testClock(), scheduler: false, logger: silentLogger, documents: { store: folderDocuments({ dir }) } })
    const c = await engine.createCase("demo", { title: "t" }, A.officer)
    const doc = await engine.attachDocument(c.id, { name: "bien-ban.pdf", mediaType: "application/pdf", bytes: Buffer.from("%PDF-1.7 biên bản") }, A.officer)
    const files = filesUnder(dir)
    expect(files).toHaveLength(1)
    const chunks: Buffer[] = []
    for await (const chunk of (await engine.readDocument(c.id, doc.id, A.head)).bytes) chunks.push(Buffer.from(chunk))
    expect(Buffer.concat(chunks).toString()).toBe("%PDF-1.7 biên bản")
    expect((await engine.verify(c.id, A.head)).ok).toBe(true)
    writeFileSync(files[0]!, "%PDF-1.7 một biên bản khác")
    expect((await engine.verify(c.id, A.head)).documents!.problems).toEqual([{ documentId: doc.id, rev: 2, problem: "bytes-differ" }])
    rmSync(files[0]!)
    expect((await engine.verify(c.id, A.head)).documents!.problems).toEqual([{ documentId: doc.id, rev: 2, problem: "bytes-missing" }])
  })

  it("reads documents kept by another store as a storage error, not as someone else's bytes", async () => {
    dir = mkdtempSync(join(tmpdir(), "civicase-docs-"))
    const data = join(dir, "db")
    const first = createEngine({ store: pglite({ dataDir: data }), workflows: [demoWorkflow], clock: testClock(), scheduler: false, logger: silentLogger })
    const c = await first.createCase("demo", { title: "t" }, A.officer)
    const doc = await first.attachDocument(c.id, { name: "a.txt", mediaType: "text/plain", bytes: Buffer.from("a") }, A.officer)
    await first.close()
    // The same database, now opened with a folder store (a configuration changed under existing documents).
    engine = createEngine({ store: pglite({ dataDir: data }), workflows: [demoWorkflow], clock: testClock(), scheduler: false, logger: silentLogger, documents: { store: folderDocuments({ dir: join(dir, "files") }) } })
    const e = await engine.readDocument(c.id, doc.id, A.head).catch((x) => x)
    expect(e).toMatchObject({ code: "CIVICASE_E_STORAGE" })
    expect(e.message).toContain("kept by the database store")
  })
})
