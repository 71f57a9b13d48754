import type { AnyStateMachine } from "xstate"
import { InvalidConfigError, WorkflowNotFoundError } from "../errors/errors.js"
import { ownValue } from "../input/own-value.js"
import type { Plugin } from "../plugins/plugin.js"
import type { CalendarGap } from "../timers/calendar-year.js"
import { type Duration, dueDetails } from "../timers/duration.js"
import type { CountedDuration } from "../workflow/types.js"
import type { WorkflowDefinition } from "../workflow/define-workflow.js"

/** A registered workflow version and its machine, provided with deadlines and plugin implementations. */
export interface Registered {
  readonly def: WorkflowDefinition
  readonly machine: AnyStateMachine
}

/**
 * The time a computation reads, set before each synchronous machine step by
 * {@link beginStep}; the step's named delays leave in `gaps` the calendar gaps
 * of each deadline they computed (by deadline name), for the engine to record.
 */
export interface StepTime {
  now: Date
  readonly gaps: Map<string, ReadonlyArray<CalendarGap>>
}

/**
 * Prepares `time` for one machine step at `now`.
 *
 * @example
 * beginStep(context.time, clock.now()); const step = stepMachine(machine, snapshot, event)
 */
export function beginStep(time: StepTime, now: Date): void {
  time.now = now
  time.gaps.clear()
}

function isCounted(value: Duration | CountedDuration): value is CountedDuration {
  return typeof value === "object" && value !== null && "from" in value && "duration" in value
}

/**
 * The workflow versions an engine runs.
 *
 * @example
 * const workflows = workflowRegistry([leaveV1, leaveV2], plugins, time)
 * workflows.resolve("leave").def.version // 2: new cases start on the newest version
 * workflows.pinned("leave", 1)?.def.version // 1: a case stays on the version it started with
 */
export interface WorkflowRegistry {
  /** The newest version of `workflow`, or exactly `version`; else `WorkflowNotFoundError`. */
  resolve(workflow: string, version?: number): Registered
  /** Exactly `workflow@version`, or undefined (another engine of a rolling deployment may run it). */
  pinned(workflow: string, version: number): Registered | undefined
  /** Every registered definition, in registration order. */
  definitions(): WorkflowDefinition[]
}

/**
 * Registers `definitions` then each plugin's workflows; a version registered
 * twice is an `InvalidConfigError`. Named delays read `time.now`, so the
 * caller sets it before each step.
 */
export function workflowRegistry(definitions: ReadonlyArray<WorkflowDefinition>, plugins: ReadonlyArray<Plugin>, time: StepTime): WorkflowRegistry {
  const registry = new Map<string, Registered>()
  const newest = new Map<string, Registered>()
  const register = (def: WorkflowDefinition) => {
    if (registry.has(def.key)) throw new InvalidConfigError("engine options", [{ path: "/workflows", message: `${def.key} is registered twice` }])
    const entry = { def, machine: provideMachine(def, plugins, time) }
    registry.set(def.key, entry)
    const current = newest.get(def.id)
    if (!current || current.def.version < def.version) newest.set(def.id, entry)
  }
  for (const def of definitions) register(def)
  for (const plugin of plugins) for (const def of plugin.workflows ?? []) register(def)

  return {
    resolve(workflow, version) {
      const entry = version === undefined ? newest.get(workflow) : registry.get(`${workflow}@${version}`)
      if (!entry) throw new WorkflowNotFoundError(workflow, version)
      return entry
    },
    pinned: (workflow, version) => registry.get(`${workflow}@${version}`),
    definitions: () => [...registry.values()].map((e) => e.def),
  }
}

/** The machine with its named delays computed from `deadlines` (and the calendar) and plugins' implementations. */
function provideMachine(def: WorkflowDefinition, plugins: ReadonlyArray<Plugin>, time: StepTime): AnyStateMachine {
  let machine = def.machine as AnyStateMachine
  const delays = Object.fromEntries(
    Object.entries(def.deadlines ?? {}).map(([name, spec]) => [
      name,
      ({ context }: { context: unknown }) => {
        const value = typeof spec.duration === "function" ? spec.duration({ context, now: time.now }) : spec.duration
        let from = time.now
        if (isCounted(value)) {
          const t = Date.parse(value.from)
          if (Number.isFinite(t) && t < from.getTime()) from = new Date(t)
        }
        const due = dueDetails(isCounted(value) ? value.duration : value, from, def.calendar)
        if (due.gaps.length) time.gaps.set(name, due.gaps)
        else time.gaps.delete(name)
        return Math.max(0, due.at.getTime() - time.now.getTime())
      },
    ]),
  )
  if (Object.keys(delays).length) machine = machine.provide({ delays })
  for (const plugin of plugins) {
    const impl = ownValue(plugin.implementations, def.id)
    if (impl) machine = machine.provide(impl as any)
  }
  return machine
}
