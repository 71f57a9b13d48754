import { emit, setup } from "xstate"
import { type CaseEvent, type Duration, defineWorkflow } from "@civicase/core"

/**
 * A one-deadline workflow for timer tests: a case waits, and its `expiry`
 * deadline moves it to `expired` (emitting `expiry.expired`) unless an officer
 * resolves it first. The duration is a parameter so tests can make it short.
 *
 * @example
 * const engine = createEngine({ store, workflows: [expiryWorkflow("PT1M")], clock })
 */
export function expiryWorkflow(duration: Duration = "PT1M") {
  const machine = setup({ types: {} as { context: { title: string }; events: CaseEvent }, delays: { expiry: 0 } }).createMachine({
    id: "expiry",
    initial: "waiting",
    context: ({ input }: { input: any }) => ({ title: String(input.input.title ?? "") }),
    states: {
      waiting: {
        after: { expiry: { target: "expired", actions: emit({ type: "expiry.expired" }) } },
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
