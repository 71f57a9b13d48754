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
      const open = () => options.instance ?? new PGlite(options.dataDir)
      let db: PGlite | undefined
      return new PGliteDialect({
        pglite: async () => {
          db ??= open()
          await db.waitReady
          if (!own) {
            // The embedder owns the instance: hand Kysely a view whose close does nothing.
            return Object.assign(Object.create(db), { close: async () => {} })
          }
          return db
        },
      })
    },
  }
}
