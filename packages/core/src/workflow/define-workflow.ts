import type { AnyStateMachine } from "xstate"
import { InvalidDefinitionError } from "../errors/errors.js"
import { hasOwnKey } from "../input/own-value.js"
import { calendarProblems, durationProblem } from "../timers/duration.js"
import { compileSchema, type SchemaCheck } from "./json-schema.js"
import type { Calendar } from "../timers/duration.js"
import type { Parties, Permission, WorkflowOptions } from "./types.js"
import { ownValue } from "../input/own-value.js"

/**
 * A checked workflow: the options as given, plus compiled payload checks and
 * the facts the engine needs about the machine.
 */
export interface WorkflowDefinition<TMachine extends AnyStateMachine = AnyStateMachine> extends WorkflowOptions<TMachine> {
  /** `id@version`. */
  readonly key: string
  readonly start: Permission
  readonly calendar: Calendar | undefined
  readonly parties: ((context: any) => Parties) | undefined
  /** @internal compiled payload checks by event type */
  readonly checks: ReadonlyMap<string, SchemaCheck>
  /** @internal compiled input check */
  readonly checkInput: SchemaCheck
}

const anyObject = { type: "object" } as const
const ID = /^[a-z][a-z0-9-]{0,62}$/

/** Events the engine itself sends: timers (`xstate.after.*`) and XState internals. */
export function isInternalEvent(type: string): boolean {
  return type.startsWith("xstate.")
}

/**
 * The namespace of history rows the engine writes itself (`case.created`, and
 * the activities `case.assigned`, `case.commented`, `case.document_attached`):
 * no machine event may use it, so history types never mean two things.
 */
export const CASE_NAMESPACE = "case."

function namedDelays(machine: AnyStateMachine): Set<string> {
  const names = new Set<string>()
  const visit = (node: any) => {
    for (const key of Object.keys(node.config?.after ?? {})) if (!/^\d+$/.test(key)) names.add(key)
    for (const child of Object.values(node.states ?? {})) visit(child)
  }
  visit(machine.root)
  return names
}

/**
 * Declares a workflow: an XState machine plus the payload schema, permission
 * and labels of every event. Everything is checked here, so a definition that
 * names an unknown event, lacks a permission or has a bad schema fails at once
 * with every problem listed.
 *
 * @example
 * const leave = defineWorkflow({
 *   id: "leave", version: 1, machine,
 *   events: { APPROVE: { type: "object", properties: { note: { type: "string" } }, additionalProperties: false } },
 *   permissions: { APPROVE: { roles: ["agency_head"], agency: "owner" } },
 *   labels: { title: { vi: "Nghỉ phép", en: "Leave" } },
 * })
 */
export function defineWorkflow<TMachine extends AnyStateMachine>(options: WorkflowOptions<TMachine>): WorkflowDefinition<TMachine> {
  const problems: string[] = []
  const name = String(options.id)
  if (!ID.test(name)) problems.push(`id "${name}" must be kebab-case (a-z, 0-9, -), starting with a letter`)
  if (!Number.isInteger(options.version) || options.version < 1) problems.push(`version must be a positive integer, got ${options.version}`)
  const machine = options.machine as AnyStateMachine | undefined
  if (!machine || typeof (machine as any).transition !== "function" || !(machine as any).root) {
    throw new InvalidDefinitionError(name, ["machine must be an XState v5 machine made with setup().createMachine()"])
  }
  const known = new Set(machine.events.filter((e: string) => !isInternalEvent(e)))
  for (const type of known) {
    if (type.startsWith(CASE_NAMESPACE)) problems.push(`the machine accepts "${type}": the "${CASE_NAMESPACE}" namespace is the engine's own (case.created, case.assigned, …)`)
  }
  const checks = new Map<string, SchemaCheck>()
  for (const [type, schema] of Object.entries(options.events ?? {})) {
    if (!known.has(type)) problems.push(`events names "${type}", which the machine does not know`)
    try {
      checks.set(type, compileSchema(schema))
    } catch (e) {
      problems.push(`the payload schema of "${type}" does not compile: ${(e as Error).message}`)
    }
  }
  for (const [type, permission] of Object.entries(options.permissions ?? {})) {
    if (!known.has(type)) problems.push(`permissions names "${type}", which the machine does not know`)
    if (!hasOwnKey(options.events, type)) problems.push(`permissions names "${type}", which has no payload schema in events`)
    if (!Array.isArray(permission?.roles) || permission.roles.length === 0) problems.push(`permission of "${type}" must list at least one role`)
  }
  for (const type of known) {
    if (!hasOwnKey(options.events, type)) problems.push(`the machine accepts "${type}", which has no payload schema in events`)
    if (!hasOwnKey(options.permissions, type)) problems.push(`the machine accepts "${type}", which has no permission`)
  }
  for (const type of Object.keys(options.labels?.events ?? {})) {
    if (!known.has(type)) problems.push(`labels.events names "${type}", which the machine does not know`)
  }
  if (options.calendar) for (const p of calendarProblems(options.calendar)) problems.push(`calendar: ${p}`)
  if (options.title !== undefined && typeof options.title !== "function") problems.push("title must be a function of the context")
  if (options.searchable !== undefined && typeof options.searchable !== "function") problems.push("searchable must be a function of the context")
  for (const [type, refs] of Object.entries(options.documents ?? {})) {
    if (!ownValue(options.events, type)) problems.push(`documents names "${type}", which has no payload schema in events`)
    for (const pointer of Object.keys(refs ?? {})) {
      if (!/^(\/[^/]+)+$/.test(pointer)) problems.push(`documents of "${type}": "${pointer}" must be a JSON Pointer such as /decisionDocument`)
    }
  }
  const delays = namedDelays(machine)
  for (const [deadline, spec] of Object.entries(options.deadlines ?? {})) {
    if (!delays.has(deadline)) problems.push(`deadline "${deadline}" is not used by any state's "after"`)
    if (typeof spec.duration !== "function") {
      const p = durationProblem(spec.duration)
      if (p) problems.push(`deadline "${deadline}": ${p}`)
    }
  }
  for (const delay of delays) {
    if (!hasOwnKey(options.deadlines, delay) && !hasOwnKey(machine.implementations.delays, delay)) {
      problems.push(`the delay "${delay}" has no deadline and no implementation`)
    }
  }
  let checkInput: SchemaCheck = compileSchema(anyObject)
  try {
    if (options.input) checkInput = compileSchema(options.input)
  } catch (e) {
    problems.push(`the input schema does not compile: ${(e as Error).message}`)
  }
  if (problems.length) throw new InvalidDefinitionError(name, problems)
  return {
    ...options,
    key: `${name}@${options.version}`,
    start: options.start ?? { roles: [], agency: "any" },
    calendar: options.calendar,
    parties: options.parties,
    checks,
    checkInput,
  }
}
