import type { AnyMachineSnapshot, AnyStateMachine } from "xstate"
import type { StoredDeadline } from "../storage/case-store.js"
import type { StepTime } from "../engine/workflow-registry.js"
import { timerName } from "../engine/machine-step.js"

interface DelayedTransition {
  readonly eventType: string
  readonly delay: number | string
}

/**
 * The deadlines a case has on entering the active states of `snapshot`
 * (their `after` transitions), due from `now` as the machine's named delays
 * compute them (`time.now` must be set with `beginStep`); with `keep`, a
 * deadline of the same name the case already had keeps its due time.
 *
 * @example
 * beginStep(context.time, now)
 * const deadlines = enteredDeadlines(entry.machine, snapshot, now, context.time, row.deadlines, "recompute")
 */
export function enteredDeadlines(
  machine: AnyStateMachine,
  snapshot: AnyMachineSnapshot,
  now: Date,
  time: StepTime,
  pending: ReadonlyArray<StoredDeadline>,
  mode: "recompute" | "keep",
): StoredDeadline[] {
  if (snapshot.status === "done") return []
  const delays = new Map(Object.entries((machine.implementations?.delays ?? {}) as Record<string, unknown>))
  const kept = new Map(pending.map((d) => [d.name, d]))
  const out = new Map<string, StoredDeadline>()
  for (const node of (snapshot as unknown as { _nodes: ReadonlyArray<{ after: ReadonlyArray<DelayedTransition> }> })._nodes) {
    for (const t of node.after) {
      if (out.has(t.eventType)) continue
      const name = timerName(t.eventType)
      const previous = mode === "keep" ? kept.get(name) : undefined
      if (previous) {
        out.set(t.eventType, { ...previous, id: t.eventType, event: { type: t.eventType } })
        continue
      }
      const spec = typeof t.delay === "number" ? t.delay : delays.get(t.delay)
      const ms = typeof spec === "function" ? Number(spec({ context: snapshot.context, event: { type: "xstate.migrate" } })) : Number(spec ?? 0)
      const gaps = time.gaps.get(name)
      out.set(t.eventType, {
        id: t.eventType,
        name,
        event: { type: t.eventType },
        dueAt: new Date(now.getTime() + Math.max(0, ms)).toISOString(),
        ...(gaps?.length ? { calendarGaps: gaps } : {}),
      })
    }
  }
  return [...out.values()].sort((a, b) => a.dueAt.localeCompare(b.dueAt))
}
