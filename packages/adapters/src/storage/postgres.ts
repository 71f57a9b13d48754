import pg from "pg"
import { CompiledQuery, PostgresDialect } from "kysely"
import type { NotificationHandler, StorageDriver } from "@civicase/core"

/** Options of {@link postgres}. */
export interface PostgresOptions {
  /** `postgres://user@host:5432/db`; or give `pool`. */
  readonly connectionString?: string
  /** An existing pool (it is not ended by the engine). */
  readonly pool?: pg.Pool
  /** Schema for civicase's tables (created if missing); default the connection's search_path. */
  readonly schema?: string
  /** Pool size when civicase creates the pool; default 10. */
  readonly max?: number
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/

/**
 * PostgreSQL through `pg`: a pool of connections, LISTEN/NOTIFY across
 * processes. Several engines may share one database.
 *
 * @example
 * const engine = createEngine({ store: postgres({ connectionString: process.env.DATABASE_URL }), workflows })
 */
export function postgres(options: PostgresOptions): StorageDriver {
  if (!options.connectionString && !options.pool) throw new TypeError("postgres() needs a connectionString or a pool")
  if (options.schema !== undefined && !IDENT.test(options.schema)) {
    throw new TypeError(`postgres(): schema "${options.schema}" must be a lower-case SQL identifier`)
  }
  const searchPath = options.schema ? `-c search_path=${options.schema},public` : undefined
  const config: pg.PoolConfig = {
    connectionString: options.connectionString,
    max: options.max ?? 10,
    ...(searchPath ? { options: searchPath } : {}),
  }
  return {
    name: "postgres",
    capabilities: { concurrentConnections: true, listenNotify: true, durable: true },
    createDialect() {
      let schemaReady: Promise<void> | undefined
      return new PostgresDialect({
        pool: async () => {
          if (options.pool) {
            const shared = options.pool
            return { connect: () => shared.connect(), end: async () => {}, options: shared.options }
          }
          const pool = new pg.Pool(config)
          pool.on("error", () => {
            // An idle client died (server restart); the pool replaces it on next use.
          })
          return pool
        },
        onCreateConnection: async (connection) => {
          if (!options.schema) return
          schemaReady ??= (async () => {
            await connection.executeQuery(CompiledQuery.raw(`create schema if not exists "${options.schema}"`))
          })()
          await schemaReady
        },
      })
    },
    async listen(channel: string, handler: NotificationHandler) {
      if (!IDENT.test(channel)) throw new TypeError(`channel "${channel}" must be a lower-case SQL identifier`)
      if (!options.connectionString) throw new TypeError("listen() needs connectionString (a pooled client cannot hold LISTEN)")
      const client = new pg.Client({ connectionString: options.connectionString, ...(searchPath ? { options: searchPath } : {}) })
      await client.connect()
      client.on("notification", (n) => {
        if (n.channel === channel && n.payload !== undefined) handler(n.payload)
      })
      client.on("error", () => {})
      await client.query(`listen ${channel}`)
      return async () => {
        await client.end().catch(() => undefined)
      }
    },
  }
}
