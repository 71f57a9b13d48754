import type { Label, WorkflowDefinition } from "@civicase/core"
import { ownValue } from "@civicase/core"

/** One event of a workflow as the API lists it. */
export interface EventDescription {
  readonly type: string
  readonly label?: Label
  readonly schema: unknown
  readonly permission: { readonly roles: ReadonlyArray<string>; readonly agency: string }
}

/** A workflow as `GET /v1/workflows` lists it. */
export interface WorkflowSummary {
  readonly id: string
  readonly version: number
  readonly title: Label
  readonly description?: Label
  readonly labels: WorkflowDefinition["labels"]
  readonly input: unknown
  readonly events: ReadonlyArray<EventDescription>
  readonly deadlines: ReadonlyArray<{ readonly name: string; readonly label: Label }>
}

/** One state of a workflow: its dot-joined id path, label and kind. */
export interface StateDescription {
  readonly id: string
  readonly label?: Label
  readonly type: string
  readonly final: boolean
}

/** A workflow in detail: the summary plus states, initial state and a Mermaid diagram. */
export interface WorkflowDetail extends WorkflowSummary {
  readonly initial: string
  readonly states: ReadonlyArray<StateDescription>
  readonly diagram: string
}

/**
 * What callers need to drive a workflow: its events with payload schemas and
 * who may send them.
 *
 * @example
 * summarizeWorkflow(engine.workflow("press-response")).events[0] // { type: "TRIAGE", schema: {...}, permission: {...} }
 */
export function summarizeWorkflow(def: WorkflowDefinition): WorkflowSummary {
  return {
    id: def.id,
    version: def.version,
    title: def.labels.title,
    ...(def.labels.description ? { description: def.labels.description } : {}),
    labels: def.labels,
    input: def.input ?? { type: "object" },
    events: Object.entries(def.events).map(([type, schema]) => {
      const label = ownValue(def.labels.events, type)
      const permission = ownValue(def.permissions, type)
      return { type, ...(label ? { label } : {}), schema, permission: { roles: [...(permission?.roles ?? [])], agency: permission?.agency ?? "party" } }
    }),
    deadlines: Object.entries(def.deadlines ?? {}).map(([name, spec]) => ({ name, label: spec.label })),
  }
}

interface StateNodeLike {
  readonly key: string
  readonly type: string
  readonly initial?: { target?: ReadonlyArray<StateNodeLike> }
  readonly states: Record<string, StateNodeLike>
  readonly transitions: Map<string, ReadonlyArray<{ eventType: string; target?: ReadonlyArray<StateNodeLike> }>>
  readonly path: ReadonlyArray<string>
}

const mermaidId = (path: ReadonlyArray<string>) => path.map((p) => p.replace(/[^A-Za-z0-9_]/g, "_")).join("__") || "root"

function eventLabel(type: string): string {
  // Delayed transitions are named xstate.after.<delay>.<machine>.<state>; the delay name is what a reader knows.
  const m = /^xstate\.after\.([^.]+)/.exec(type)
  return m ? `after ${m[1]}` : type
}

/**
 * Adds the states and a Mermaid `stateDiagram-v2` of the machine to the
 * summary, so a reader (or the dashboard) can see the process.
 *
 * @example
 * describeWorkflow(def).diagram // "stateDiagram-v2\n  [*] --> draft\n  draft --> review: SUBMIT\n…"
 */
export function describeWorkflow(def: WorkflowDefinition): WorkflowDetail {
  const root = (def.machine as unknown as { root: StateNodeLike }).root
  const states: StateDescription[] = []
  const lines = ["stateDiagram-v2"]
  const visit = (node: StateNodeLike, indent: string) => {
    const children = Object.values(node.states)
    const initial = node.initial?.target?.[0]
    if (initial) lines.push(`${indent}[*] --> ${mermaidId(initial.path)}`)
    for (const child of children) {
      const id = child.path.join(".")
      const label = ownValue(def.labels.states, id)
      states.push({ id, ...(label ? { label } : {}), type: child.type, final: child.type === "final" })
      if (Object.keys(child.states).length > 0) {
        lines.push(`${indent}state ${mermaidId(child.path)} {`)
        visit(child, `${indent}  `)
        lines.push(`${indent}}`)
      } else if (label) {
        lines.push(`${indent}${mermaidId(child.path)} : ${label.en}`)
      }
      if (child.type === "final") lines.push(`${indent}${mermaidId(child.path)} --> [*]`)
    }
  }
  visit(root, "  ")
  const edges = new Set<string>()
  const collect = (node: StateNodeLike) => {
    for (const [, transitions] of node.transitions) {
      for (const t of transitions) {
        for (const target of t.target ?? []) edges.add(`  ${mermaidId(node.path)} --> ${mermaidId(target.path)}: ${eventLabel(t.eventType)}`)
      }
    }
    for (const child of Object.values(node.states)) collect(child)
  }
  for (const child of Object.values(root.states)) collect(child)
  lines.push(...edges)
  return {
    ...summarizeWorkflow(def),
    initial: root.initial?.target?.[0]?.path.join(".") ?? "",
    states,
    diagram: lines.join("\n"),
  }
}
