import type { CommitNotice } from "./live-hub.js"

/**
 * A filter subscription: every case of `workflow` assigned to `agency`
 * (either may be left out).
 *
 * @example
 * const f: Filter = { workflow: "press-response", agency: "so-tttt" }
 */
export interface Filter {
  readonly workflow?: string
  readonly agency?: string
}

/**
 * What one client follows: cases by id and filters. Interest alone: what was
 * sent is in `SentRevs`.
 *
 * @example
 * const subs = new Subscriptions()
 * subs.cases.add("c1")
 * subs.wants(notice) // true for any notice about c1
 */
export class Subscriptions {
  readonly cases = new Set<string>()
  readonly filters: Filter[] = []

  /** Whether a notice concerns this client (before any check of who may see it). */
  wants(n: CommitNotice): boolean {
    return this.cases.has(n.caseId) || this.filters.some((f) => matches(f, n))
  }

  hasFilter(f: Filter): boolean {
    return this.filters.some((x) => x.workflow === f.workflow && x.agency === f.agency)
  }

  /** Removes the filter equal to `f`, if held. */
  removeFilter(f: Filter): void {
    const i = this.filters.findIndex((x) => x.workflow === f.workflow && x.agency === f.agency)
    if (i >= 0) this.filters.splice(i, 1)
  }
}

/**
 * A filter with its empty fields left out, so `{ agency: undefined }` and `{}`
 * are the same subscription and answers echo only what was asked.
 *
 * @example
 * filterOf({ workflow: "plan", agency: undefined }) // { workflow: "plan" }
 */
export function filterOf(m: Filter): Filter {
  return { ...(m.workflow ? { workflow: m.workflow } : {}), ...(m.agency ? { agency: m.agency } : {}) }
}

function matches(f: Filter, n: CommitNotice): boolean {
  return (f.workflow === undefined || f.workflow === n.workflow) && (f.agency === undefined || n.agencies.includes(f.agency))
}
