import type { AnyMachineSnapshot } from "xstate"
import type { CaseParties } from "../engine/types.js"
import type { Registered } from "../engine/workflow-registry.js"
import { searchDocument } from "../search/fold.js"
import { type WaitingTokens, sameTokens } from "./waiting-tokens.js"

/** Titles longer than this are cut: a title is a list line, not the case. */
const MAX_TITLE = 500

/** The columns a write derives from the case's context and state, besides the snapshot. */
export interface DerivedFields {
  /** Work-list tokens (see {@link WaitingTokens}). */
  readonly waiting: string[]
  readonly title: string | null
  /** The folded search text to store, or null when the stored one is still right (nothing to write). */
  readonly searchText: string | null
  /** True when a step assignment must be released because what the case waits for changed. */
  readonly clearStepAssignment: boolean
}

/** The previous write's view of a case, to tell what changed; absent for a new case. */
export interface PreviousFields {
  readonly context: unknown
  /** Null when no write of this version has touched the row (it predates work lists). */
  readonly waiting: ReadonlyArray<string> | null
  readonly assigneeScope: "case" | "step" | null
}

function texts(entry: Registered, context: unknown): { title: string | null; all: Array<string | null | undefined> } {
  const raw = entry.def.title?.(context)
  const title = typeof raw === "string" && raw.trim() !== "" ? raw.trim().slice(0, MAX_TITLE) : null
  const more = entry.def.searchable?.(context) ?? []
  return { title, all: [title, ...(Array.isArray(more) ? more : [])] }
}

function sameTexts(a: ReadonlyArray<string | null | undefined>, b: ReadonlyArray<string | null | undefined>): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i])
}

/**
 * What a write stores besides the snapshot: the work-list tokens, the title,
 * and the search text only when it changed (compared on the raw texts, so an
 * unchanged case costs no folding and no statement part). A row written
 * before work lists existed gets its text written on its first write.
 *
 * @example
 * const d = derivedFields(tokens, entry, state, next, parties, row.province, { context: row.context, waiting: row.waiting, assigneeScope: row.assignee_scope })
 * if (d.searchText !== null) write.searchText = d.searchText
 */
export function derivedFields(
  tokens: WaitingTokens,
  entry: Registered,
  state: string,
  snapshot: AnyMachineSnapshot,
  parties: CaseParties,
  province: string,
  previous?: PreviousFields,
): DerivedFields {
  const waiting = tokens.of(entry, state, snapshot, parties, province)
  const now = texts(entry, snapshot.context)
  let searchText: string | null
  if (!previous) searchText = searchDocument(now.all)
  else if (previous.waiting === null) searchText = searchDocument(now.all)
  else searchText = sameTexts(texts(entry, previous.context).all, now.all) ? null : searchDocument(now.all)
  const clearStepAssignment = previous?.assigneeScope === "step" && previous.waiting !== null && !sameTokens(previous.waiting, waiting)
  return { waiting, title: now.title, searchText, clearStepAssignment }
}
