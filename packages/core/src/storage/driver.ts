import type { Dialect } from "kysely"

/**
 * What a storage driver can do. Core branches on these flags, never on which
 * driver it holds.
 */
export interface StorageCapabilities {
  /** Several connections can run transactions at once (a server pool), not one embedded connection. */
  readonly concurrentConnections: boolean
  /** `LISTEN`/`NOTIFY` reach other processes sharing the database. */
  readonly listenNotify: boolean
  /** Data outlives the process (a folder or a server). */
  readonly durable: boolean
}

/** A notification received on a channel from another process. */
export type NotificationHandler = (payload: string) => void

/** Options of `StorageDriver.listen`. */
export interface ListenOptions {
  /** Called after the listening connection was lost (or could not be had at first) and is established again. */
  readonly onReconnect?: () => void
  /** Called with each failure of the listening connection (lost, or a connection attempt refused); it keeps retrying. */
  readonly onError?: (error: unknown) => void
}

/**
 * A storage driver: a small factory of parts, after Kysely's `Dialect`.
 * `@civicase/adapters` ships `pglite()` and `postgres()`.
 *
 * @example
 * const driver: StorageDriver = pglite({ dataDir: "./data" })
 * const engine = createEngine({ store: driver, workflows: [leave] })
 */
export interface StorageDriver {
  /** Short name for logs and errors (`pglite`, `postgres`). */
  readonly name: string
  readonly capabilities: StorageCapabilities
  /** The Kysely dialect that reaches the database. Called once per engine. */
  createDialect(): Dialect
  /**
   * Subscribes to `NOTIFY channel` from other processes (only with
   * `listenNotify`). The subscription survives a lost connection, and one
   * that cannot be had when it starts (the database is down): it reconnects
   * with backoff, reporting each failure to `onError`, and then calls
   * `onReconnect`, because notifications sent while it was away are lost and
   * the caller must catch up from the tables.
   */
  listen?(channel: string, handler: NotificationHandler, options?: ListenOptions): Promise<() => Promise<void>>
  /** The connection pool's use now, for metrics (drivers with a pool); undefined before the pool exists. */
  poolStats?(): PoolStats | undefined
}

/** Connections of a driver's pool: open, idle among them, and callers waiting for one. */
export interface PoolStats {
  readonly total: number
  readonly idle: number
  readonly waiting: number
}

/** The closed set of database failures civicase reacts to. */
export type DatabaseFailure =
  | { readonly kind: "unique-violation"; readonly constraint: string | undefined }
  | { readonly kind: "retryable" }
  | { readonly kind: "connection" }
  | { readonly kind: "other" }

/** SQLSTATEs that mean the session is gone or cannot be had now (not that a statement was wrong). */
const UNAVAILABLE_SQLSTATES = new Set([
  "57P01", // admin_shutdown: pg_terminate_backend, or a fast shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: starting up or shutting down
  "57P04", // database_dropped
  "57P05", // idle_session_timeout
  "53300", // too_many_connections
])

/** Socket and resolver errors of Node.js on the way to the server. */
const NETWORK_ERRNOS = new Set(["ECONNREFUSED", "ECONNRESET", "ECONNABORTED", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"])

/**
 * Messages of `pg`, `pg-pool` and Kysely's driver for a connection that died
 * or could not be had; these errors carry no code.
 */
const CONNECTION_MESSAGES = /Connection terminated|connection.*closed|not queryable|timeout exceeded when trying to connect|connection has been discarded/i

/**
 * Classifies a database error once, by SQLSTATE (both drivers speak PostgreSQL):
 * unique violation (a revision conflict or a repeated idempotency key, told
 * apart by constraint), serialization failure and deadlock (retryable), and
 * connection loss: a session ended by the server (class 08, `57P01`…`57P05`,
 * too many connections), a socket error, or the driver's own "Connection
 * terminated" and pool timeouts.
 *
 * @example
 * classifyDatabaseError(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" })) // { kind: "connection" }
 */
export function classifyDatabaseError(error: unknown): DatabaseFailure {
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown; errors?: unknown } | null
  const code = typeof e?.code === "string" ? e.code : ""
  if (code === "23505") return { kind: "unique-violation", constraint: typeof e?.constraint === "string" ? e.constraint : undefined }
  if (code === "40001" || code === "40P01") return { kind: "retryable" }
  if (code.startsWith("08") || UNAVAILABLE_SQLSTATES.has(code) || NETWORK_ERRNOS.has(code)) return { kind: "connection" }
  if (typeof e?.message === "string" && CONNECTION_MESSAGES.test(e.message)) return { kind: "connection" }
  // Node.js tries each address of a host name and reports every refusal together.
  if (Array.isArray(e?.errors) && e.errors.length > 0 && e.errors.every((x) => classifyDatabaseError(x).kind === "connection")) return { kind: "connection" }
  return { kind: "other" }
}
