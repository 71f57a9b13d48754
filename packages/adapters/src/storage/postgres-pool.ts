import type pg from "pg"
import type { PostgresPool } from "kysely"

/**
 * The pool as Kysely's dialect sees it, made safe against a database that
 * goes away.
 *
 * `pg` emits `'error'` on a client whose server session ends
 * (`pg_terminate_backend`, a restart, a reset connection), and an `'error'`
 * event nobody listens to kills the process. `pg-pool` listens only while a
 * client is idle; Kysely checks a client out for every query, so each client
 * handed out here gets a listener of its own. The failed query still rejects
 * (the engine reports it as `StorageError`), and the client, no longer
 * queryable, is dropped when Kysely releases it. The pool gets an `'error'`
 * listener too (also an embedder's pool, until the engine closes), for idle
 * clients that die.
 *
 * With `schema`, the schema is created on the first connection that gets
 * through; a failed attempt is not remembered, and the connection it failed
 * on is discarded rather than left checked out.
 *
 * @example
 * new PostgresDialect({ pool: async () => safePool(new pg.Pool(config), { owned: true, schema: "civicase" }) })
 */
export function safePool(pool: pg.Pool, options: { readonly owned: boolean; readonly schema?: string | undefined }): PostgresPool {
  const watched = new WeakSet<pg.PoolClient>()
  // pg-pool has already removed the dead idle client; the next query opens a fresh one.
  const onIdleClientError = () => undefined
  pool.on("error", onIdleClientError)
  let schemaReady: Promise<void> | undefined
  const schema = options.schema
  return {
    async connect() {
      const client = await pool.connect()
      if (!watched.has(client)) {
        watched.add(client)
        // The query running on it rejects with the same error; that is where it is reported.
        client.on("error", () => undefined)
      }
      if (schema === undefined) return client
      try {
        schemaReady ??= client.query(`create schema if not exists "${schema}"`).then(
          () => undefined,
          (e: unknown) => {
            schemaReady = undefined
            throw e
          },
        )
        await schemaReady
      } catch (e) {
        client.release(e instanceof Error ? e : true)
        throw e
      }
      return client
    },
    async end() {
      pool.off("error", onIdleClientError)
      if (options.owned) await pool.end()
    },
  }
}
