import { type AnyMachineSnapshot, type AnyStateMachine, createActor, initialTransition, transition } from "xstate"
import { isInternalEvent } from "../workflow/define-workflow.js"

/** A delayed event the machine scheduled: becomes a timer row. */
export interface ScheduledTimer {
  readonly id: string
  readonly name: string
  readonly event: { readonly type: string; readonly [key: string]: unknown }
  readonly delayMs: number
}

/** What one step of a machine produced, computed purely (no actor runs). */
export interface MachineStep {
  readonly snapshot: AnyMachineSnapshot
  readonly scheduled: ReadonlyArray<ScheduledTimer>
  readonly cancelled: ReadonlyArray<string>
  readonly emitted: ReadonlyArray<{ readonly type: string; readonly [key: string]: unknown }>
}

/** The deadline name of an XState delayed-event id `xstate.after.<delay>.<stateId>`. */
export function timerName(id: string): string {
  if (!id.startsWith("xstate.after.")) return id
  const rest = id.slice("xstate.after.".length)
  const dot = rest.indexOf(".")
  return dot < 0 ? rest : rest.slice(0, dot)
}

function collect(snapshot: AnyMachineSnapshot, actions: ReadonlyArray<{ type: string; params?: unknown }>): MachineStep {
  const scheduled: ScheduledTimer[] = []
  const cancelled: string[] = []
  const emitted: Array<{ type: string }> = []
  for (const action of actions) {
    const params = action.params as any
    if (action.type === "xstate.raise" && params?.delay !== undefined) {
      const id = String(params.id ?? params.event.type)
      scheduled.push({ id, name: timerName(id), event: params.event, delayMs: Number(params.delay) })
    } else if (action.type === "xstate.cancel") {
      cancelled.push(String(params.sendId))
    } else if (action.type === "xstate.emit") {
      emitted.push(params.event)
    }
  }
  return { snapshot, scheduled, cancelled, emitted }
}

/** The first snapshot of a new case. */
export function startMachine(machine: AnyStateMachine, input: unknown): MachineStep {
  const [snapshot, actions] = initialTransition(machine, input)
  return collect(snapshot, actions as any)
}

/** Restores a persisted snapshot, as XState does for `createActor(machine, { snapshot })`. */
export function restoreSnapshot(machine: AnyStateMachine, persisted: unknown): AnyMachineSnapshot {
  return createActor(machine, { snapshot: persisted as any }).getSnapshot()
}

/** The next snapshot after `event`. */
export function stepMachine(machine: AnyStateMachine, snapshot: AnyMachineSnapshot, event: { type: string }): MachineStep {
  const [next, actions] = transition(machine, snapshot, event as any)
  return collect(next, actions as any)
}

/** Events with a transition from some active state node (guards not evaluated), excluding internal ones. */
export function acceptedEvents(snapshot: AnyMachineSnapshot): string[] {
  const out = new Set<string>()
  for (const node of (snapshot as any)._nodes as Array<{ ownEvents: string[] }>) {
    for (const e of node.ownEvents) if (!isInternalEvent(e)) out.add(e)
  }
  return [...out]
}

/** Flat form of a state value: `review.head`; parallel regions comma-joined, sorted by region name. */
export function flatState(value: unknown): string {
  if (typeof value === "string") return value
  const parts: string[] = []
  const walk = (v: unknown, prefix: string) => {
    if (typeof v === "string") {
      parts.push(prefix ? `${prefix}.${v}` : v)
      return
    }
    // Sorted: jsonb does not keep key order, and the flat form must not depend on it.
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    if (entries.length === 0 && prefix) parts.push(prefix)
    for (const [k, child] of entries) walk(child, prefix ? `${prefix}.${k}` : k)
  }
  walk(value, "")
  return parts.join(",")
}
