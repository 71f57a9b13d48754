import { RevisionConflictError } from "../errors/errors.js"
import { type Executor, caseStore } from "../storage/case-store.js"

/** How often a write is retried against a case that keeps moving before `RevisionConflictError`. */
export const MAX_ATTEMPTS = 200

/**
 * What a write does after another writer moved the case first (its `where
 * rev = n` matched nothing). With `expectedRev`, the conflict is the
 * caller's (`RevisionConflictError` with the rev now), unless an idempotency
 * key may make the winner this call's own original: then reload at once and
 * let the replay answer. Without it, wait a short random time and reload, up
 * to {@link MAX_ATTEMPTS} tries.
 *
 * @example
 * if (!written) { await afterLostRace(db, caseId, opts, tries, row.rev); continue }
 */
export async function afterLostRace(
  db: Executor,
  caseId: string,
  opts: { readonly expectedRev?: number; readonly idempotencyKey?: string },
  tries: number,
  rev: number,
): Promise<void> {
  if (opts.expectedRev !== undefined) {
    // With a key, the writer that won may be this call's own original: the reload replays it, or raises the conflict.
    if (opts.idempotencyKey !== undefined && tries < MAX_ATTEMPTS) return
    const now = await caseStore.load(db, caseId).catch(() => undefined)
    throw new RevisionConflictError(caseId, opts.expectedRev, now?.rev)
  }
  if (tries >= MAX_ATTEMPTS) throw new RevisionConflictError(caseId, rev, undefined)
  await new Promise((r) => setTimeout(r, Math.random() * Math.min(10, tries)))
}
