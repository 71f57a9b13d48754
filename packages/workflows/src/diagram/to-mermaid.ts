import { type WorkflowDefinition, ownValue } from "@civicase/core"

/** Options of {@link toMermaid}. */
export interface MermaidOptions {
  /** Language of the labels: Vietnamese (default) or English. */
  readonly lang?: "vi" | "en"
}

interface Node {
  readonly id: string
  readonly key: string
  readonly type: string
  readonly path: ReadonlyArray<string>
  readonly states: Record<string, Node>
  readonly transitions: Map<string, ReadonlyArray<Transition>>
  readonly initial?: { target: ReadonlyArray<Node> }
  readonly always?: ReadonlyArray<Transition>
}

interface Transition {
  readonly target?: ReadonlyArray<Node>
  readonly guard?: unknown
  readonly delay?: string | number
  readonly eventType: string
}

const quote = (text: string) => text.replace(/"/g, "'").replace(/[:;\n]/g, " ")

/**
 * Renders a workflow as a Mermaid `stateDiagram-v2`, with state, event and
 * deadline labels in the chosen language. Parallel regions are drawn as
 * such; deadlines are drawn as ⏱ edges; events accepted in every state are
 * drawn as a note on their target.
 *
 * @example
 * const text = toMermaid(planWorkflow(province), { lang: "en" })
 * // stateDiagram-v2
 * //   state "Draft" as plan__draft
 * //   [*] --> plan__draft
 * //   plan__draft --> plan__submitted : Submit plan
 */
export function toMermaid(definition: WorkflowDefinition, options: MermaidOptions = {}): string {
  const lang = options.lang ?? "vi"
  const root = (definition.machine as unknown as { root: Node }).root
  const stateLabel = (node: Node) => ownValue(definition.labels.states, node.path.join("."))?.[lang] ?? node.key
  const eventLabel = (t: Transition) => {
    if (t.delay !== undefined) {
      const name = String(t.delay)
      return `⏱ ${ownValue(definition.deadlines, name)?.label[lang] ?? name}`
    }
    // A parallel state's onDone: every region reached its final state.
    if (t.eventType.startsWith("xstate.done.state.")) return lang === "vi" ? "khi mọi nhánh đã xong" : "when every region is done"
    return ownValue(definition.labels.events, t.eventType)?.[lang] ?? t.eventType
  }
  const guardLabel = (t: Transition) => (typeof t.guard === "string" ? ` [${t.guard}]` : t.guard ? " [guard]" : "")
  const id = (node: Node) => node.id.replace(/[^A-Za-z0-9_]/g, "__")
  const automatic = lang === "vi" ? "tự động" : "automatic"
  const lines: string[] = ["stateDiagram-v2"]
  const edges: string[] = []

  const declare = (node: Node, indent: string) => {
    const children = Object.values(node.states)
    lines.push(`${indent}state "${quote(stateLabel(node))}" as ${id(node)}`)
    if (children.length === 0) return
    lines.push(`${indent}state ${id(node)} {`)
    if (node.type === "parallel") {
      children.forEach((child, i) => {
        if (i > 0) lines.push(`${indent}  --`)
        declare(child, `${indent}  `)
      })
    } else {
      for (const child of children) declare(child, `${indent}  `)
      const first = node.initial?.target[0]
      if (first) lines.push(`${indent}  [*] --> ${id(first)}`)
    }
    lines.push(`${indent}}`)
  }

  const connect = (node: Node) => {
    for (const list of node.transitions.values()) {
      for (const t of list) {
        const label = `${quote(eventLabel(t))}${guardLabel(t)}`
        const targets = t.target?.length ? t.target : [node]
        for (const target of targets) edges.push(`  ${id(node)} --> ${id(target)} : ${label}`)
      }
    }
    for (const t of node.always ?? []) {
      for (const target of t.target ?? []) edges.push(`  ${id(node)} --> ${id(target)} : ${automatic}${guardLabel(t)}`)
    }
    for (const child of Object.values(node.states)) connect(child)
    if (node.type === "final") edges.push(`  ${id(node)} --> [*]`)
  }

  const top = Object.values(root.states)
  for (const node of top) declare(node, "  ")
  const first = root.initial?.target[0]
  if (first) lines.push(`  [*] --> ${id(first)}`)
  for (const node of top) connect(node)
  lines.push(...edges)
  const everywhere = lang === "vi" ? "từ mọi trạng thái" : "from any state"
  for (const list of root.transitions.values()) {
    for (const t of list) for (const target of t.target ?? []) lines.push(`  note left of ${id(target)} : ${quote(eventLabel(t))} (${everywhere})`)
  }
  return `${lines.join("\n")}\n`
}
