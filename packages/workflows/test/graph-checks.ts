import { expect } from "vitest"
import type { AnyMachineSnapshot, AnyStateMachine, EventObject } from "xstate"
import { getShortestPaths } from "xstate/graph"
import { flatState } from "@civicase/core"
import { timerEvents } from "./explore.js"

/** The leaf states of a machine, as flat ids (`responding.review`), and which are final. */
export function leafStates(machine: AnyStateMachine): { all: string[]; final: string[] } {
  const all: string[] = []
  const final: string[] = []
  const visit = (node: any, path: string[]) => {
    const children = Object.entries(node.states ?? {})
    if (children.length === 0 && path.length) {
      all.push(path.join("."))
      if (node.type === "final") final.push(path.join("."))
    }
    for (const [key, child] of children) visit(child, [...path, key])
  }
  visit(machine.root, [])
  return { all, final }
}

/**
 * Walks the machine with `xstate/graph` from each of `inputs` and asserts that,
 * over all of them, every leaf state and every final state is reachable, and
 * that from every reachable non-final state some final state can still be
 * reached (no dead ends).
 */
export function checkGraph(
  machine: AnyStateMachine,
  inputs: ReadonlyArray<unknown>,
  events: (snapshot: AnyMachineSnapshot) => ReadonlyArray<EventObject>,
  serialize: (snapshot: AnyMachineSnapshot) => string,
) {
  const serializeState = (s: AnyMachineSnapshot) => serialize(s)
  const allEvents = (s: AnyMachineSnapshot) => [...events(s), ...timerEvents(s)]
  const paths = inputs.flatMap((input) => getShortestPaths(machine, { input, events: allEvents, serializeState, serializeEvent: (e) => JSON.stringify(e) }))
  const reached = new Map<string, AnyMachineSnapshot>()
  for (const p of paths) reached.set(serialize(p.state), p.state)
  const reachedStates = new Set([...reached.values()].map((s) => flatState(s.value)))
  const { all, final } = leafStates(machine)
  expect([...reachedStates].sort()).toEqual([...all].sort())
  for (const f of final) expect(reachedStates).toContain(f)
  const deadEnds: string[] = []
  for (const snapshot of reached.values()) {
    if (snapshot.status === "done") continue
    const ways = getShortestPaths(machine, {
      fromState: snapshot,
      events: allEvents,
      serializeState,
      serializeEvent: (e) => JSON.stringify(e),
      toState: (s) => s.status === "done",
    })
    if (!ways.some((w) => w.state.status === "done")) deadEnds.push(flatState(snapshot.value))
  }
  expect(deadEnds).toEqual([])
  return { paths, reachedStates }
}
