import pg from "pg"

/** One statement as `pg` received it. */
export interface RecordedStatement {
  readonly sql: string
  readonly params: ReadonlyArray<unknown>
}

/**
 * A `pg.Pool` whose clients remember every statement sent while recording is
 * on. The raw baseline replays what the engine really sent, so it cannot drift
 * from `case-store.ts` when that file changes.
 *
 * @example
 * const recorder = new SqlRecorder({ connectionString, options: "-c search_path=bench" })
 * const engine = createEngine({ store: postgres({ pool: recorder.pool }), workflows })
 * const statements = await recorder.during(() => engine.send(id, { type: "NOTE", payload }, actor))
 */
export class SqlRecorder {
  readonly pool: pg.Pool
  private recording: RecordedStatement[] | undefined

  constructor(config: pg.PoolConfig) {
    const real = new pg.Pool(config)
    const wrapped = new WeakSet<pg.PoolClient>()
    // Kysely's pg driver only calls connect() and reads options, so a thin view is enough.
    this.pool = Object.assign(Object.create(real) as pg.Pool, {
      connect: async () => {
        const client = await real.connect()
        if (!wrapped.has(client)) {
          wrapped.add(client)
          const query = client.query.bind(client) as (sql: string, params?: unknown[]) => Promise<pg.QueryResult>
          ;(client as any).query = (sql: string, params?: unknown[]) => {
            this.recording?.push({ sql, params: [...(params ?? [])] })
            return query(sql, params)
          }
        }
        return client
      },
      end: () => real.end(),
    })
  }

  /** The statements `work` sent, in order. Run one piece of work at a time. */
  async during(work: () => Promise<unknown>): Promise<RecordedStatement[]> {
    this.recording = []
    try {
      await work()
      return this.recording
    } finally {
      this.recording = undefined
    }
  }
}
