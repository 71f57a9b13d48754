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
  /** Called after the listening connection was lost and re-established. */
  readonly onReconnect?: () => void
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
   * `listenNotify`). The subscription survives a lost connection: it
   * reconnects with backoff and then calls `onReconnect`, because
   * notifications sent while it was away are lost and the caller must catch
   * up from the tables.
   */
  listen?(channel: string, handler: NotificationHandler, options?: ListenOptions): Promise<() => Promise<void>>
}

/** The closed set of database failures civicase reacts to. */
export type DatabaseFailure =
  | { readonly kind: "unique-violation"; readonly constraint: string | undefined }
  | { readonly kind: "retryable" }
  | { readonly kind: "connection" }
  | { readonly kind: "other" }

/**
 * Classifies a database error once, by SQLSTATE (both drivers speak PostgreSQL):
 * unique violation (a revision conflict or a repeated idempotency key, told
 * apart by constraint), serialization failure and deadlock (retryable), and
 * connection loss.
 */
export function classifyDatabaseError(error: unknown): DatabaseFailure {
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown } | null
  const code = typeof e?.code === "string" ? e.code : ""
  if (code === "23505") return { kind: "unique-violation", constraint: typeof e?.constraint === "string" ? e.constraint : undefined }
  if (code === "40001" || code === "40P01") return { kind: "retryable" }
  if (code.startsWith("08") || code === "57P01" || ["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT"].includes(code)) {
    return { kind: "connection" }
  }
  if (typeof e?.message === "string" && /Connection terminated|connection.*closed/i.test(e.message)) return { kind: "connection" }
  return { kind: "other" }
}
