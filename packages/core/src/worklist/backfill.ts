import { sql } from "kysely"
import type { EngineContext } from "../engine/engine-context.js"
import { restoreSnapshot } from "../engine/machine-step.js"
import { storageError } from "../engine/storage-error.js"
import { textArray } from "../storage/case-store.js"
import type { CaseRow } from "../storage/case-store.js"
import { derivedFields } from "./derived-fields.js"

/** Options of `engine.worklist.backfill`. */
export interface BackfillOptions {
  /** Cases read per batch; default 500. */
  readonly batchSize?: number
  /** Called after each batch. */
  readonly onProgress?: (progress: BackfillResult) => void
}

/** What a backfill did. */
export interface BackfillResult {
  /** Cases given their work-list tokens, title and search text. */
  readonly filled: number
  /** Cases of a workflow version this engine does not run (another engine of a rolling deployment must fill them). */
  readonly skipped: number
}

/**
 * Fills the derived columns of cases written before work lists existed
 * (`waiting` is null): their work-list tokens, title and search text,
 * computed from the stored snapshot. Without it such a case appears in work
 * lists and search only after its next write. It changes no rev and no
 * history (the columns are derived, not events), only touches rows still
 * unfilled (a transition meanwhile fills its own), and may be run again or
 * by several processes at once.
 *
 * @example
 * const r = await backfillDerived(context, { onProgress: (p) => console.log(p.filled) }) // { filled: 1200, skipped: 0 }
 */
export async function backfillDerived(context: EngineContext, options: BackfillOptions = {}): Promise<BackfillResult> {
  const size = options.batchSize ?? 500
  if (!Number.isInteger(size) || size < 1 || size > 10_000) throw new RangeError(`batchSize must be an integer from 1 to 10000, got ${String(size)}`)
  let filled = 0
  let skipped = 0
  let after = "00000000-0000-0000-0000-000000000000"
  try {
    for (;;) {
      const rows = (await sql<CaseRow>`select * from civicase_cases where waiting is null and id > ${after}::uuid order by id limit ${size}`.execute(context.db)).rows
      for (const row of rows) {
        const entry = context.workflows.pinned(row.workflow, row.version)
        if (!entry) {
          skipped++
          continue
        }
        const snapshot = restoreSnapshot(entry.machine, row.snapshot, row.context)
        const parties = { owner: row.owner_agency, lead: row.lead_agency, cooperating: row.cooperating_agencies }
        const d = derivedFields(context.tokens, entry, row.state, snapshot, parties, row.province)
        await sql`with w as (update civicase_cases set waiting = ${textArray(d.waiting)}, title = ${d.title} where id = ${row.id} and waiting is null returning id, province)
          insert into civicase_case_text (case_id, province, doc) select w.id, w.province, to_tsvector('simple', ${d.searchText ?? ""}) from w
          on conflict (case_id) do update set doc = excluded.doc`.execute(context.db)
        filled++
      }
      options.onProgress?.({ filled, skipped })
      if (rows.length < size) break
      after = rows[rows.length - 1]!.id
    }
  } catch (e) {
    throw storageError(e)
  }
  return { filled, skipped }
}
