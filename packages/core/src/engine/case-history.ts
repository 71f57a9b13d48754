import type { Actor } from "../actor.js"
import type { Executor } from "../storage/case-store.js"
import { iso } from "./case-view.js"
import type { HistoryEntry } from "./types.js"

/**
 * A case's history rows in rev order, as callers see them. The caller has
 * already checked that the actor may see the case.
 *
 * @example
 * const entries = await readHistory(db, caseId) // [{ rev: 1, type: "case.created", … }, …]
 */
export async function readHistory(db: Executor, caseId: string): Promise<HistoryEntry[]> {
  const rows = await db.selectFrom("civicase_history").selectAll().where("case_id", "=", caseId).orderBy("rev").execute()
  return rows.map((r) => ({
    rev: r.rev,
    type: r.type,
    payload: r.payload,
    actor: r.actor as Actor,
    at: iso(r.at),
    from: r.from_state,
    to: r.to_state,
    meta: (r.meta as Record<string, unknown> | null) ?? null,
    chainFormat: r.chain_format,
    prevHash: r.prev_hash,
    hash: r.hash,
  }))
}
