import { type AnyActorScope, type AnyMachineSnapshot, type AnyStateMachine, createActor, getNextTransitions } from "xstate"
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

/** An actor scope that runs nothing: what XState's pure `transition()` builds, made once per machine and reused. */
interface InertScope {
  readonly scope: AnyActorScope
  /** Where the scope's action executor puts the actions of the current (synchronous) step. */
  actions: Array<{ type: string; params?: unknown }>
}

const scopes = new WeakMap<AnyStateMachine, InertScope>()

/**
 * The machine's inert actor scope. XState's `transition()` and
 * `initialTransition()` build a throwaway actor for every call, and that
 * actor's constructor runs the machine's `context` factory without input
 * (which throws and is swallowed for a factory that reads its input): about
 * half the cost of a step. Here the actor is made once per machine, from a
 * snapshot resolved at the machine's initial state with an empty context, so
 * the factory never runs without input. Steps are synchronous and the scope
 * only collects actions (it executes, defers and emits nothing), so one scope
 * serves every case of the machine.
 */
function inertScope(machine: AnyStateMachine): InertScope {
  const known = scopes.get(machine)
  if (known) return known
  const self = createActor(machine, { snapshot: machine.resolveState({ value: machine.root.initial ? {} : machine.root.key, context: {} }) as any })
  const inert: InertScope = { scope: undefined as unknown as AnyActorScope, actions: [] }
  ;(inert as { scope: AnyActorScope }).scope = {
    self,
    id: "",
    sessionId: "",
    logger: () => {},
    defer: () => {},
    system: self.system,
    stopChild: () => {},
    emit: () => {},
    actionExecutor: (action: { type: string; params?: unknown }) => {
      inert.actions.push(action)
    },
  } as unknown as AnyActorScope
  scopes.set(machine, inert)
  return inert
}

/** Runs one synchronous step of `machine` in its inert scope; returns the step's snapshot and the actions it left to execute. */
function inScope(machine: AnyStateMachine, run: (scope: AnyActorScope) => AnyMachineSnapshot): MachineStep {
  const inert = inertScope(machine)
  inert.actions = []
  try {
    return collect(run(inert.scope), inert.actions)
  } finally {
    inert.actions = []
  }
}

/** The first snapshot of a new case (XState's `initialTransition`, without a throwaway actor). */
export function startMachine(machine: AnyStateMachine, input: unknown): MachineStep {
  return inScope(machine, (scope) => machine.getInitialSnapshot(scope, input))
}

/**
 * Restores a persisted snapshot, as XState does for `createActor(machine, {
 * snapshot })`, without building an actor. A snapshot stored without its
 * context (see `storedSnapshot`) takes `context`, the case row's own column.
 *
 * @example
 * const snapshot = restoreSnapshot(entry.machine, row.snapshot, row.context)
 */
export function restoreSnapshot(machine: AnyStateMachine, persisted: unknown, context?: unknown): AnyMachineSnapshot {
  const whole = context !== undefined && persisted !== null && typeof persisted === "object" && !Object.hasOwn(persisted, "context") ? { ...persisted, context } : persisted
  return machine.restoreSnapshot(whole as any, inertScope(machine).scope) as AnyMachineSnapshot
}

/**
 * The persisted snapshot to store, without its context: the case row keeps
 * the context in its own column (for filters and views), and writing it
 * twice doubled the bytes of every transition. Rows written before this keep
 * the context in the snapshot too, and restore as they are.
 *
 * @example
 * write.snapshot = storedSnapshot(entry.machine, next) // restore with restoreSnapshot(machine, row.snapshot, row.context)
 */
export function storedSnapshot(machine: AnyStateMachine, snapshot: AnyMachineSnapshot): unknown {
  const { context: _context, ...rest } = machine.getPersistedSnapshot(snapshot) as Record<string, unknown>
  return rest
}

/** The next snapshot after `event` (XState's pure `transition`, without a throwaway actor). */
export function stepMachine(machine: AnyStateMachine, snapshot: AnyMachineSnapshot, event: { type: string }): MachineStep {
  return inScope(machine, (scope) => machine.transition(snapshot, event as any, scope))
}

/**
 * Events with a transition from some active state node (guards not
 * evaluated), excluding internal ones and transitions that do nothing
 * (`on: { X: undefined }`), read through XState's public `getNextTransitions`.
 */
export function acceptedEvents(snapshot: AnyMachineSnapshot): string[] {
  const out = new Set<string>()
  for (const t of getNextTransitions(snapshot)) {
    if (t.eventType === "" || isInternalEvent(t.eventType)) continue
    if (t.target === undefined && t.actions.length === 0 && !t.reenter) continue
    out.add(t.eventType)
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
