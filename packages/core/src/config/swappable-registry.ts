import { WorkflowNotFoundError } from "../errors/errors.js"
import type { Registered, WorkflowRegistry } from "../engine/workflow-registry.js"

/** A {@link WorkflowRegistry} whose current registry a new configuration version replaces. */
export interface SwappableRegistry extends WorkflowRegistry {
  /** Makes `next` the registry new cases start from; versions only earlier registries know stay reachable for running cases. */
  swap(next: WorkflowRegistry): void
}

/**
 * Wraps `first` so that a configuration applied at run time can replace it
 * in one assignment: new cases resolve the newest version in the current
 * registry; a case of a workflow version the current registry no longer has
 * still finds it in the registry it started under.
 *
 * @example
 * const workflows = swappableRegistry(workflowRegistry(defs, plugins, time))
 * workflows.swap(workflowRegistry(nextDefs, plugins, time))
 */
export function swappableRegistry(first: WorkflowRegistry): SwappableRegistry {
  let current = first
  /** Earlier registries, newest first. */
  const earlier: WorkflowRegistry[] = []
  const pinned = (workflow: string, version: number): Registered | undefined => {
    const found = current.pinned(workflow, version)
    if (found) return found
    for (const r of earlier) {
      const old = r.pinned(workflow, version)
      if (old) return old
    }
    return undefined
  }
  return {
    resolve(workflow, version) {
      if (version === undefined) return current.resolve(workflow)
      const found = pinned(workflow, version)
      if (!found) throw new WorkflowNotFoundError(workflow, version)
      return found
    },
    pinned,
    definitions: () => current.definitions(),
    swap(next) {
      earlier.unshift(current)
      current = next
    },
  }
}
