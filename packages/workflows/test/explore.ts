import type { AnyMachineSnapshot, AnyStateMachine, EventObject } from "xstate"
import { transition } from "xstate"
import { getShortestPaths } from "xstate/graph"

/** Ids (`plan.in_implementation.overdue`) of every atomic state node of a machine, and which are final. */
export function atomicStates(machine: AnyStateMachine): { all: string[]; final: string[] } {
  const all: string[] = []
  const final: string[] = []
  const visit = (node: any) => {
    const children = Object.values(node.states ?? {})
    if (children.length === 0) {
      all.push(node.id)
      if (node.type === "final") final.push(node.id)
    }
    for (const child of children) visit(child)
  }
  visit(machine.root)
  return { all, final }
}

function activeAtomic(snapshot: AnyMachineSnapshot): string[] {
  return ((snapshot as any)._nodes as any[]).filter((n) => n.type === "atomic" || n.type === "final").map((n) => n.id)
}

/** The delayed events pending in the active states, as the engine's timers would deliver them. */
export function timerEvents(snapshot: AnyMachineSnapshot): EventObject[] {
  const out: EventObject[] = []
  for (const node of (snapshot as any)._nodes as any[]) for (const t of node.after ?? []) out.push({ type: t.eventType })
  return out
}

/** What a walk of the machine found. */
export interface Exploration {
  /** Atomic state ids reached by some path. */
  readonly reached: Set<string>
  /** Atomic state ids that are active in some reached snapshot from which no final state can be reached. */
  readonly deadEnds: Set<string>
  /** Non-final atomic states that no event ever leaves. */
  readonly noWayOut: Set<string>
  /** Every distinct snapshot reached. */
  readonly snapshots: number
}

/**
 * Walks a machine with `xstate/graph` from each input, sending the events
 * `events(snapshot)` proposes (people's events, with actors and payloads)
 * plus every pending timer, and reports which atomic states were reached,
 * which have no way out, and from which reached snapshots no final state can
 * be reached.
 *
 * @example
 * const found = explore(def.machine, [input], eventsFor, (s) => JSON.stringify(s.value))
 * expect([...found.reached].sort()).toEqual(atomicStates(def.machine).all.sort())
 */
export function explore(
  machine: AnyStateMachine,
  inputs: ReadonlyArray<unknown>,
  events: (snapshot: AnyMachineSnapshot) => ReadonlyArray<EventObject>,
  serialize: (snapshot: AnyMachineSnapshot) => string,
): Exploration {
  const all = (s: AnyMachineSnapshot) => [...events(s), ...timerEvents(s)]
  const reached = new Set<string>()
  const left = new Set<string>()
  const deadEnds = new Set<string>()
  const seen = new Map<string, AnyMachineSnapshot>()
  for (const input of inputs) {
    const paths = getShortestPaths(machine, { input, events: all, serializeState: serialize, serializeEvent: (e) => JSON.stringify(e) })
    for (const p of paths) {
      seen.set(serialize(p.state), p.state)
      for (const id of activeAtomic(p.state)) reached.add(id)
    }
  }
  for (const snapshot of seen.values()) {
    if (snapshot.status === "done") continue
    // A state has a way out when some event or timer makes it inactive.
    const active = activeAtomic(snapshot)
    for (const event of all(snapshot)) {
      const [next] = transition(machine, snapshot, event)
      const after = activeAtomic(next)
      for (const id of active) if (!after.includes(id)) left.add(id)
    }
    const ways = getShortestPaths(machine, {
      fromState: snapshot,
      events: all,
      serializeState: serialize,
      serializeEvent: (e) => JSON.stringify(e),
      toState: (s) => s.status === "done",
    })
    if (!ways.some((w) => w.state.status === "done")) for (const id of activeAtomic(snapshot)) deadEnds.add(id)
  }
  const { final } = atomicStates(machine)
  const noWayOut = new Set([...reached].filter((id) => !final.includes(id) && !left.has(id)))
  return { reached, deadEnds, noWayOut, snapshots: seen.size }
}
