import pg from "pg"
import { PostgresDialect } from "kysely"
import type { ListenOptions, NotificationHandler, StorageDriver } from "@civicase/core"
import { listenWithReconnect } from "./postgres-listen.js"
import { safePool } from "./postgres-pool.js"

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
  /**
   * How long to wait for a connection, in milliseconds (default 10 000): to
   * open one when the server does not answer, or for a free one when the pool
   * is busy. Past it the call fails with `StorageError` (HTTP 503) instead of
   * hanging. Applies to the pool civicase creates and to LISTEN.
   */
  readonly connectTimeoutMs?: number
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/

/**
 * PostgreSQL through `pg`: a pool of connections, LISTEN/NOTIFY across
 * processes. Several engines may share one database. The process survives
 * the database going away: a call in flight fails with `StorageError`, the
 * next one opens a fresh connection, and LISTEN reconnects by itself.
 *
 * @example
 * const engine = createEngine({ store: postgres({ connectionString: process.env.DATABASE_URL }), workflows })
 */
export function postgres(options: PostgresOptions): StorageDriver {
  if (!options.connectionString && !options.pool) throw new TypeError("postgres() needs a connectionString or a pool")
  if (options.schema !== undefined && !IDENT.test(options.schema)) {
    throw new TypeError(`postgres(): schema "${options.schema}" must be a lower-case SQL identifier`)
  }
  const timeout = options.connectTimeoutMs ?? 10_000
  if (!Number.isInteger(timeout) || timeout < 1) throw new TypeError(`postgres(): connectTimeoutMs must be a positive integer, got ${String(timeout)}`)
  const client: pg.ClientConfig = {
    connectionString: options.connectionString,
    connectionTimeoutMillis: timeout,
    // Notices a peer that vanished without closing (a cut network) instead of waiting on it forever.
    keepAlive: true,
    ...(options.schema ? { options: `-c search_path=${options.schema},public` } : {}),
  }
  /** The pool civicase made (the last one, when several engines share this driver). */
  let made: pg.Pool | undefined
  return {
    name: "postgres",
    capabilities: { concurrentConnections: true, listenNotify: true, durable: true },
    createDialect() {
      return new PostgresDialect({
        pool: async () => {
          if (options.pool) return safePool(options.pool, { owned: false, schema: options.schema })
          made = new pg.Pool({ ...client, max: options.max ?? 10 })
          return safePool(made, { owned: true, schema: options.schema })
        },
      })
    },
    poolStats() {
      const pool = options.pool ?? made
      return pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : undefined
    },
    async listen(channel: string, handler: NotificationHandler, listenOptions: ListenOptions = {}) {
      if (!IDENT.test(channel)) throw new TypeError(`channel "${channel}" must be a lower-case SQL identifier`)
      if (!options.connectionString) throw new TypeError("listen() needs connectionString (a pooled client cannot hold LISTEN)")
      return listenWithReconnect(client, channel, handler, listenOptions)
    },
  }
}
