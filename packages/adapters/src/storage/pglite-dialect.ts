import type { PGlite, Transaction } from "@electric-sql/pglite"
import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from "kysely"

/** Which PGlite a dialect talks to, and whether closing Kysely closes it. */
export interface PgliteDialectConfig {
  /** Opens (or hands over) the instance on first use. */
  readonly open: () => Promise<PGlite>
  /** Close the instance when Kysely is destroyed: false for an instance the embedder owns. */
  readonly owned: boolean
}

/** PGlite is one connection, held by whoever migrates: no lock to take. */
class PgliteAdapter extends PostgresAdapter {
  override async acquireMigrationLock(): Promise<void> {}
  override async releaseMigrationLock(): Promise<void> {}
}

/** Thrown into PGlite's transaction callback to make it roll back. */
class Rollback extends Error {}

/**
 * One use of the instance. Outside a transaction a query goes to the instance,
 * which queues it behind any open transaction; inside one it goes to that
 * transaction, which PGlite runs exclusively (so an embedder sharing the
 * instance cannot slip a statement into it).
 */
class PgliteConnection implements DatabaseConnection {
  #tx: Transaction | undefined
  #finish: ((commit: boolean) => void) | undefined
  #closed: Promise<unknown> | undefined

  constructor(private readonly db: PGlite) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await (this.#tx ?? this.db).query<R>(query.sql, query.parameters as unknown[], { rowMode: "object" })
    return { rows: result.rows, numAffectedRows: result.affectedRows === undefined ? undefined : BigInt(result.affectedRows) }
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("PGlite cannot stream query results")
  }

  async begin(settings: TransactionSettings): Promise<void> {
    let started!: (tx: Transaction) => void
    const begun = new Promise<Transaction>((resolve) => (started = resolve))
    const decided = new Promise<boolean>((resolve) => (this.#finish = resolve))
    this.#closed = this.db.transaction(async (tx) => {
      started(tx)
      if (!(await decided)) throw new Rollback()
    })
    // A transaction that cannot start (a closed instance) rejects before the callback runs.
    this.#tx = await Promise.race([begun, this.#closed.then(() => Promise.reject(new Error("PGlite ended the transaction before it began")))])
    const options = [settings.isolationLevel && `isolation level ${settings.isolationLevel}`, settings.accessMode].filter(Boolean)
    if (options.length > 0) await this.#tx.query(`set transaction ${options.join(", ")}`)
  }

  async end(commit: boolean): Promise<void> {
    const closed = this.#closed
    this.#finish?.(commit)
    this.#tx = undefined
    this.#finish = undefined
    this.#closed = undefined
    try {
      await closed
    } catch (e) {
      if (!(e instanceof Rollback)) throw e
    }
  }
}

class PgliteDriver implements Driver {
  #db: PGlite | undefined

  constructor(private readonly config: PgliteDialectConfig) {}

  async init(): Promise<void> {
    const db = await this.config.open()
    await db.waitReady
    if (db.closed) throw new Error("the PGlite instance is already closed")
    this.#db = db
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (!this.#db) throw new Error("the PGlite dialect was used before init")
    return new PgliteConnection(this.#db)
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await (connection as PgliteConnection).begin(settings)
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PgliteConnection).end(true)
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PgliteConnection).end(false)
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoted(name)}`))
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${quoted(name)}`))
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint ${quoted(name)}`))
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    if (this.config.owned && this.#db && !this.#db.closed) await this.#db.close()
  }
}

/** A savepoint name as an identifier. */
const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`

/**
 * Kysely on PGlite (embedded PostgreSQL), for Kysely 0.28, which has no PGlite
 * dialect of its own: PostgreSQL's SQL, one connection, transactions through
 * PGlite's exclusive `transaction()`.
 *
 * @example
 * const db = new Kysely<Schema>({ dialect: pgliteDialect({ open: async () => new PGlite(), owned: true }) })
 */
export function pgliteDialect(config: PgliteDialectConfig): Dialect {
  return {
    createAdapter: (): DialectAdapter => new PgliteAdapter(),
    createDriver: (): Driver => new PgliteDriver(config),
    createQueryCompiler: (): QueryCompiler => new PostgresQueryCompiler(),
    createIntrospector: (db: Kysely<any>): DatabaseIntrospector => new PostgresIntrospector(db),
  }
}
