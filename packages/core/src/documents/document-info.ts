import { iso } from "../engine/case-view.js"
import type { Decision } from "./decision.js"

/**
 * A document of a case (tài liệu) as callers see it; the bytes are read with
 * `engine.readDocument`.
 *
 * @example
 * const docs = await engine.documents(caseId, officer)
 * docs[0] // { id, caseId, name: "bao-cao.pdf", mediaType: "application/pdf", size: 48213, sha256: "9f86…", decision: null, rev: 4, … }
 */
export interface DocumentInfo {
  readonly id: string
  readonly caseId: string
  readonly name: string
  readonly mediaType: string
  readonly size: number
  /** SHA-256 of the bytes, hex; the attaching history row carries it, so `verify` detects a swapped file. */
  readonly sha256: string
  /** Decision metadata, when the document is an official decision. */
  readonly decision: Decision | null
  /** Who attached it (an actor id). */
  readonly createdBy: string
  readonly createdAt: string
  /** The rev of its `case.document_attached` history row. */
  readonly rev: number
}

/** A documents row as read. */
export interface DocumentRow {
  id: string
  case_id: string
  province: string
  name: string
  media_type: string
  size: string | number
  sha256: string
  store: string
  store_key: string
  decision: unknown
  created_by: string
  created_at: Date | string
  rev: number
}

/** The payload of a `case.document_attached` history row: what the hash chain covers. */
export interface DocumentAttachedPayload {
  readonly document: { readonly id: string; readonly name: string; readonly mediaType: string; readonly size: number; readonly sha256: string }
  readonly decision?: Decision
  readonly note?: string
}

/** A row as a {@link DocumentInfo}. */
export function documentInfo(row: DocumentRow): DocumentInfo {
  return {
    id: row.id,
    caseId: row.case_id,
    name: row.name,
    mediaType: row.media_type,
    size: Number(row.size),
    sha256: row.sha256,
    decision: (row.decision as Decision | null) ?? null,
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
    rev: row.rev,
  }
}
