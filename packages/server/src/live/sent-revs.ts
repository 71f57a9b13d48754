/**
 * The highest rev sent to one client per case: what lets a catch-up send
 * each transition once. Cases subscribed by id (`pinned`) are kept while
 * subscribed; those seen only through filters are bounded by `maxTracked`.
 *
 * @example
 * const sent = new SentRevs(1000, subscriptions.cases)
 * sent.remember("c1", 4)
 * sent.get("c1") // 4
 */
export class SentRevs {
  private readonly lastRev = new Map<string, number>()

  constructor(
    private readonly maxTracked: number,
    private readonly pinned: ReadonlySet<string>,
  ) {}

  get(caseId: string): number | undefined {
    return this.lastRev.get(caseId)
  }

  caseIds(): string[] {
    return [...this.lastRev.keys()]
  }

  delete(caseId: string): void {
    this.lastRev.delete(caseId)
  }

  /**
   * Records the rev sent for a case. A case followed only through a filter is
   * forgotten once `maxTrackedCases` newer ones were seen (long-lived filters
   * would otherwise keep every case ever seen); its next notice then sends
   * its current state as a `case` message instead of the missing transitions.
   */
  remember(caseId: string, rev: number): void {
    // Re-inserted so the map's order is least recently sent first.
    this.lastRev.delete(caseId)
    this.lastRev.set(caseId, rev)
    if (this.lastRev.size <= this.maxTracked + this.pinned.size) return
    for (const oldest of this.lastRev.keys()) {
      if (this.pinned.has(oldest)) continue
      this.lastRev.delete(oldest)
      break
    }
  }
}
