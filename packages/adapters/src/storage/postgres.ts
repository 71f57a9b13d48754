import pg from "pg"
import { CompiledQuery, PostgresDialect } from "kysely"
import type { ListenOptions, NotificationHandler, StorageDriver } from "@civicase/core"

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
    async listen(channel: string, handler: NotificationHandler, listenOptions: ListenOptions = {}) {
      if (!IDENT.test(channel)) throw new TypeError(`channel "${channel}" must be a lower-case SQL identifier`)
      if (!options.connectionString) throw new TypeError("listen() needs connectionString (a pooled client cannot hold LISTEN)")
      const connectionString = options.connectionString
      let client: pg.Client | undefined
      let stopped = false
      let retry: ReturnType<typeof setTimeout> | undefined
      const connect = async (): Promise<void> => {
        const c = new pg.Client({ connectionString, ...(searchPath ? { options: searchPath } : {}) })
        c.on("notification", (n) => {
          if (n.channel === channel && n.payload !== undefined) handler(n.payload)
        })
        // A dropped connection (server restart, network) ends the client: reconnect.
        c.on("error", () => undefined)
        c.on("end", () => {
          if (!stopped && client === c) scheduleReconnect(100)
        })
        await c.connect()
        await c.query(`listen ${channel}`)
        client = c
      }
      const scheduleReconnect = (delayMs: number) => {
        client = undefined
        retry = setTimeout(async () => {
          if (stopped) return
          try {
            await connect()
            listenOptions.onReconnect?.()
          } catch {
            scheduleReconnect(Math.min(delayMs * 2, 5_000))
          }
        }, delayMs)
        retry.unref?.()
      }
      await connect()
      return async () => {
        stopped = true
        if (retry) clearTimeout(retry)
        await client?.end().catch(() => undefined)
      }
    },
  }
}
