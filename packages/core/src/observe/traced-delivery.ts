import type { Clock } from "../clock/clock.js"
import { type OutboxTrace, engineChannels } from "./channels.js"
import { traced } from "./trace.js"

/** The fields of a claimed outbox row the trace carries. */
export interface TracedRow {
  readonly id: string
  readonly case_id: string
  readonly rev: number
  readonly topic: string
  readonly attempts: number
  readonly created_at: Date | string
}

/**
 * Runs one outbox delivery inside the `civicase:outbox` trace, recording its
 * outcome and when it ended on the engine clock.
 *
 * @example
 * const outcome = await tracedDelivery(row, clock, () => deliverOne(row))
 */
export function tracedDelivery<O extends string>(row: TracedRow, clock: Clock, deliver: () => Promise<O>): Promise<O> {
  const trace: OutboxTrace = { outboxId: row.id, caseId: row.case_id, rev: row.rev, topic: row.topic, attempt: row.attempts, createdAt: new Date(row.created_at) }
  return traced(engineChannels.outbox, trace, async (t) => {
    const outcome = await deliver()
    t.outcome = outcome
    t.finishedAt = clock.now()
    return outcome
  })
}
