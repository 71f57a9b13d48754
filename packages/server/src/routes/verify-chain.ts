import { GENESIS_HASH, type HistoryEntry, chainHash } from "@civicase/core"

/** The result of recomputing one case's hash chain. */
export interface ChainCheck {
  readonly ok: boolean
  readonly checked: number
  /** The first rev whose stored hash or link does not match. */
  readonly firstBadRev?: number
}

/**
 * Recomputes a case's history hash chain (from rows the actor may read) and
 * names the first row that does not match: a changed, removed, inserted or
 * reordered row breaks it.
 *
 * @example
 * verifyChain(id, await engine.history(id, actor)) // { ok: true, checked: 7 }
 */
export function verifyChain(caseId: string, rows: ReadonlyArray<HistoryEntry>): ChainCheck {
  let prev = GENESIS_HASH
  let checked = 0
  for (const [i, row] of rows.entries()) {
    const expected = chainHash(prev, { caseId, rev: row.rev, type: row.type, payload: row.payload, actor: row.actor, at: new Date(row.at), from: row.from, to: row.to })
    checked++
    if (row.rev !== i + 1 || row.prevHash !== prev || row.hash !== expected) return { ok: false, checked, firstBadRev: row.rev }
    prev = row.hash
  }
  return { ok: true, checked }
}
