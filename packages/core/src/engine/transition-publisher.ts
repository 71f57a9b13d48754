import type { Actor } from "../actor.js"
import type { CaseWrite } from "../storage/case-store.js"
import type { TransitionListener } from "./engine.js"
import type { Logger } from "./logger.js"
import type { MachineStep } from "./machine-step.js"
import type { AfterCommitQueue } from "./plugin-hooks.js"
import type { CommittedTransition } from "./types.js"

/** What a commit announcement reads of a write: a transition's, or an activity's (whose state, agencies and deadlines are the case's as they were). */
export type CommitSource = Pick<CaseWrite, "id" | "rev" | "history" | "at" | "status" | "agencies" | "deadlines" | "outbox" | "timerUpserts"> & {
  province: string
  workflow: string
  version: number
}

/**
 * Tells the world about commits: in-process listeners, the outbox dispatcher
 * (when the statement wrote outbox rows), the timer scheduler (when it set
 * timers: by the earliest), and plugins' after-commit hooks.
 *
 * @example
 * const t = publisher.committed(write, actor, step.emitted)
 * publisher.publish(t) // after the statement committed
 */
export interface TransitionPublisher {
  /** The transition `write` commits, as listeners receive it. */
  committed(write: CommitSource, actor: Actor, emitted: MachineStep["emitted"]): CommittedTransition
  /** Announces a committed transition; a listener that throws is logged and the others still run. */
  publish(t: CommittedTransition): void
  /** Adds a listener; returns the unsubscribe function. */
  subscribe(listener: TransitionListener): () => void
}

/**
 * The transition a write commits, as listeners and hooks receive it (pure:
 * before-write hooks see the same object the commit will announce).
 *
 * @example
 * const t = commitOf({ ...write, province, workflow, version }, actor, step.emitted)
 */
export function commitOf(write: CommitSource, actor: Actor, emitted: MachineStep["emitted"]): CommittedTransition {
  return {
    caseId: write.id,
    province: write.province,
    workflow: write.workflow,
    version: write.version,
    rev: write.rev,
    event: write.history.type,
    payload: write.history.payload,
    // A copy: listeners and plugins get who acted, never the engine's own system actor to act with.
    actor: { id: actor.id, province: actor.province, agency: actor.agency, roles: [...actor.roles] },
    at: write.at.toISOString(),
    from: write.history.from,
    to: write.history.to,
    status: write.status,
    agencies: write.agencies,
    emitted,
    meta: write.history.meta ?? {},
    deadlines: write.deadlines.map((d) => ({ name: d.name, dueAt: d.dueAt })),
  }
}

/** Who to wake after a commit: the outbox dispatcher, and the timer scheduler by a due time. */
export interface CommitWakers {
  outbox(): void
  timersBy(dueAt: Date): void
}

/** The publisher of one engine. */
export function transitionPublisher(logger: Logger, afterCommit: AfterCommitQueue, wake: CommitWakers): TransitionPublisher {
  const listeners = new Set<TransitionListener>()
  /** Transitions whose statement wrote outbox rows: publishing them wakes the dispatcher. */
  const wroteOutbox = new WeakSet<CommittedTransition>()
  /** The earliest timer a transition's statement set: publishing it wakes the scheduler by then. */
  const setTimers = new WeakMap<CommittedTransition, string>()
  return {
    committed(write, actor, emitted) {
      const t = commitOf(write, actor, emitted)
      if (write.outbox.length > 0) wroteOutbox.add(t)
      const soonest = write.timerUpserts.reduce<string | undefined>((a, b) => (a === undefined || b.dueAt < a ? b.dueAt : a), undefined)
      if (soonest) setTimers.set(t, soonest)
      return t
    },
    publish(t) {
      logger.debug({ caseId: t.caseId, workflow: t.workflow, version: t.version, rev: t.rev, event: t.event, to: t.to }, "transition committed")
      for (const listener of listeners) {
        try {
          listener(t)
        } catch (e) {
          logger.error({ caseId: t.caseId, rev: t.rev, error: (e as Error).message }, "transition listener failed")
        }
      }
      if (wroteOutbox.has(t)) wake.outbox()
      const soonest = setTimers.get(t)
      if (soonest) wake.timersBy(new Date(soonest))
      afterCommit.enqueue(t)
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
