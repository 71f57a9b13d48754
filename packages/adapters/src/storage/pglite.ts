import { mkdir } from "node:fs/promises"
import { fileURLToPath } from "node:url"
import { PGlite } from "@electric-sql/pglite"
import type { StorageDriver } from "@civicase/core"
import { pgliteDialect } from "./pglite-dialect.js"

/** Options of {@link pglite}. */
export interface PgliteOptions {
  /** A folder that keeps the database, created with its parents if missing; in memory when absent. */
  readonly dataDir?: string
  /** An already opened PGlite instance (it is not closed by the engine). */
  readonly instance?: PGlite
}

let pristine: Promise<PGlite> | undefined

/**
 * A new empty in-memory database. Booting PGlite's WebAssembly PostgreSQL
 * takes seconds; cloning a booted, untouched instance takes a fraction of
 * that, so the first in-memory store of a process boots a template that is
 * never written to, and every in-memory store is a clone of it.
 */
async function freshInMemory(): Promise<PGlite> {
  pristine ??= (async () => {
    const template = new PGlite()
    await template.waitReady
    return template
  })()
  return (await (await pristine).clone()) as PGlite
}

/**
 * The folder of `dataDir` on this machine, or undefined for PGlite's own
 * schemes (`memory://`, `idb://`, …), which are not folders.
 */
function folderOf(dataDir: string): string | undefined {
  if (dataDir.startsWith("file://")) return fileURLToPath(dataDir)
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(dataDir) ? undefined : dataDir
}

/** Opens PGlite on `dataDir`, creating the folder and its parents first: PGlite makes only the last one. */
async function openFolder(dataDir: string): Promise<PGlite> {
  const folder = folderOf(dataDir)
  if (folder !== undefined) await mkdir(folder, { recursive: true })
  return new PGlite(dataDir)
}

/**
 * Embedded PostgreSQL (PGlite, WebAssembly, in-process): one connection, data
 * in a folder or in memory. The default store: no server to run.
 *
 * @example
 * const engine = createEngine({ store: pglite({ dataDir: "./.civicase/data" }), workflows })
 */
export function pglite(options: PgliteOptions = {}): StorageDriver {
  return {
    name: "pglite",
    capabilities: { concurrentConnections: false, listenNotify: false, durable: options.dataDir !== undefined || options.instance !== undefined },
    createDialect() {
      const open = async () => options.instance ?? (options.dataDir === undefined ? freshInMemory() : openFolder(options.dataDir))
      let db: Promise<PGlite> | undefined
      // The embedder owns an instance it hands over: Kysely's destroy must not close it.
      return pgliteDialect({ open: () => (db ??= open()), owned: options.instance === undefined })
    },
  }
}
