import { PGlite } from "@electric-sql/pglite"
import { PGliteDialect } from "kysely"
import type { StorageDriver } from "@civicase/core"

/** Options of {@link pglite}. */
export interface PgliteOptions {
  /** A folder that keeps the database; in memory when absent. */
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
      const own = options.instance === undefined
      const open = async () => options.instance ?? (options.dataDir === undefined ? freshInMemory() : new PGlite(options.dataDir))
      let db: Promise<PGlite> | undefined
      return new PGliteDialect({
        pglite: async () => {
          const instance = await (db ??= open())
          await instance.waitReady
          if (!own) {
            // The embedder owns the instance: hand Kysely a view whose close does nothing.
            return Object.assign(Object.create(instance), { close: async () => {} })
          }
          return instance
        },
      })
    },
  }
}
