import type { CommittedTransition } from "@civicase/core"
import type { SubscriptionRow } from "./subscription-store.js"

type Filters = Pick<SubscriptionRow, "id" | "province" | "workflows" | "agencies" | "event_types">

interface Compiled {
  readonly id: string
  readonly workflows: ReadonlySet<string> | null
  readonly agencies: ReadonlySet<string> | null
  readonly eventTypes: ReadonlySet<string> | null
}

/**
 * Subscriptions' filters in memory, by province, so that matching a commit
 * costs no query in the transition's path.
 *
 * @example
 * const matcher = new SubscriptionMatcher()
 * matcher.replace(await subscriptionStore.filters(db))
 * matcher.match(commit) // ["5c1e…"]
 */
export class SubscriptionMatcher {
  private byProvince = new Map<string, Compiled[]>()

  /** Replaces every filter at once (a reload). */
  replace(rows: ReadonlyArray<Filters>): void {
    const next = new Map<string, Compiled[]>()
    for (const r of rows) {
      const list = next.get(r.province) ?? []
      list.push({
        id: r.id,
        workflows: r.workflows?.length ? new Set(r.workflows) : null,
        agencies: r.agencies?.length ? new Set(r.agencies) : null,
        eventTypes: r.event_types?.length ? new Set(r.event_types) : null,
      })
      next.set(r.province, list)
    }
    this.byProvince = next
  }

  /** The ids of the subscriptions of the commit's province whose every filter matches it. */
  match(t: Pick<CommittedTransition, "province" | "workflow" | "agencies" | "event">): string[] {
    const out: string[] = []
    for (const s of this.byProvince.get(t.province) ?? []) {
      if (s.workflows && !s.workflows.has(t.workflow)) continue
      if (s.eventTypes && !s.eventTypes.has(t.event)) continue
      if (s.agencies && !t.agencies.some((a) => s.agencies!.has(a))) continue
      out.push(s.id)
    }
    return out
  }
}
