import { assign, emit, setup } from "xstate"
import type { CompiledQuery, DatabaseConnection, Dialect, Driver } from "kysely"
import { type CaseEvent, type DeadlineSpec, type StorageDriver, defineWorkflow } from "@civicase/core"

interface ExpiryContext {
  title: string
  owner: string
  expired: boolean
}

/**
 * A one-deadline workflow for timer tests: a case waits, and its `expiry`
 * deadline moves it to `expired` (emitting `expiry.expired`) unless an officer
 * resolves it first. The duration is a parameter so tests can make it short.
 * A case titled "boom" makes the expiry's delivery throw (its parties
 * function fails once expired), to test that one broken timer stops no other.
 *
 * @example
 * const engine = createEngine({ store, workflows: [expiryWorkflow("PT1M")], clock })
 */
export function expiryWorkflow(duration: DeadlineSpec<ExpiryContext>["duration"] = "PT1M") {
  const machine = setup({ types: {} as { context: ExpiryContext; events: CaseEvent }, delays: { expiry: 0 } }).createMachine({
    id: "expiry",
    initial: "waiting",
    context: ({ input }: { input: any }) => ({ title: String(input.input.title ?? ""), owner: input.actor.agency, expired: false }),
    states: {
      waiting: {
        after: { expiry: { target: "expired", actions: [assign({ expired: true }), emit({ type: "expiry.expired" })] } },
        on: { RESOLVE: "resolved" },
      },
      expired: { type: "final" },
      resolved: { type: "final" },
    },
  })
  return defineWorkflow({
    id: "expiry",
    version: 1,
    machine,
    input: { type: "object", properties: { title: { type: "string" } } },
    events: { RESOLVE: { type: "object", additionalProperties: false } },
    permissions: { RESOLVE: { roles: ["agency_officer"], agency: "owner" } },
    start: { roles: ["agency_officer"] },
    deadlines: { expiry: { label: { vi: "Hết hạn", en: "Expiry" }, duration } },
    parties: (context: ExpiryContext) => {
      if (context.expired && context.title === "boom") throw new Error("parties of a boom case fail once expired")
      return { owner: context.owner }
    },
    labels: { title: { vi: "Hết hạn", en: "Expiry" } },
  })
}

/** Runs `task` over `items` with at most `width` in flight. */
export async function inBatches<T>(items: ReadonlyArray<T>, width: number, task: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) await task(items[next++]!)
  }
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker))
}

/**
 * Wraps a storage driver so every SQL statement the engine sends is recorded,
 * to count what an idle scheduler costs without mocking the database.
 *
 * @example
 * const { driver, statements } = recordingDriver(pglite())
 * statements.filter((s) => s.includes("civicase_timers")).length
 */
export function recordingDriver(inner: StorageDriver): { driver: StorageDriver; statements: string[] } {
  const statements: string[] = []
  const record = (connection: DatabaseConnection): DatabaseConnection =>
    new Proxy(connection, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target)
        if (prop === "executeQuery") {
          return (query: CompiledQuery) => {
            statements.push(query.sql)
            return target.executeQuery(query)
          }
        }
        // Bound to the real connection: drivers keep private state on it.
        return typeof value === "function" ? value.bind(target) : value
      },
    })
  const driver: StorageDriver = {
    ...inner,
    createDialect(): Dialect {
      const dialect = inner.createDialect()
      return {
        createAdapter: () => dialect.createAdapter(),
        createIntrospector: (db) => dialect.createIntrospector(db),
        createQueryCompiler: () => dialect.createQueryCompiler(),
        createDriver(): Driver {
          const d = dialect.createDriver()
          const seen = new WeakMap<DatabaseConnection, DatabaseConnection>()
          return new Proxy(d, {
            get(target, prop) {
              if (prop === "acquireConnection") {
                return async () => {
                  const c = await target.acquireConnection()
                  let wrapped = seen.get(c)
                  if (!wrapped) seen.set(c, (wrapped = record(c)))
                  return wrapped
                }
              }
              const value = Reflect.get(target, prop, target)
              return typeof value === "function" ? value.bind(target) : value
            },
          })
        },
      }
    },
  }
  return { driver, statements }
}
