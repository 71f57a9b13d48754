import { createHash } from "node:crypto"
import { sql } from "kysely"
import { isCivicaseError } from "../errors/errors.js"
import type { DocumentsContext } from "./attach-document.js"
import type { DocumentAttachedPayload, DocumentRow } from "./document-info.js"
import { bytesOf } from "./read-documents.js"

/** A document whose record or bytes no longer match what its history row says. */
export interface DocumentProblem {
  readonly documentId: string
  readonly rev: number
  /** `bytes-differ`, `bytes-missing`, `record-differs` (the documents row against the hash-chained history row), `record-missing`, `unattached` (a row no history row attached), `unreadable`. */
  readonly problem: "bytes-differ" | "bytes-missing" | "record-differs" | "record-missing" | "unattached" | "unreadable"
}

/** What re-hashing a case's documents found. */
export interface DocumentsVerification {
  readonly checked: number
  readonly problems: ReadonlyArray<DocumentProblem>
}

/**
 * Re-hashes every document of a case against the SHA-256 its
 * `case.document_attached` history row carries (the hash chain vouches for
 * that row, not for the documents table), and checks the documents rows
 * against those history rows: a swapped file, a row pointed at other bytes,
 * or bytes gone are each reported.
 *
 * @example
 * const r = await verifyDocuments(documents, caseId) // { checked: 2, problems: [{ documentId, rev: 4, problem: "bytes-differ" }] }
 */
export async function verifyDocuments(d: DocumentsContext, caseId: string): Promise<DocumentsVerification> {
  const { db } = d.context
  const attached = (
    await sql<{ rev: number; payload: DocumentAttachedPayload }>`select rev, payload from civicase_history
      where case_id = ${caseId} and type = 'case.document_attached' order by rev`.execute(db)
  ).rows
  const rows = (await sql<DocumentRow>`select * from civicase_documents where case_id = ${caseId}`.execute(db)).rows
  const byRev = new Map(rows.map((r) => [r.rev, r]))
  const problems: DocumentProblem[] = []
  for (const h of attached) {
    const said = h.payload?.document
    const row = byRev.get(h.rev)
    byRev.delete(h.rev)
    if (!row) {
      problems.push({ documentId: String(said?.id), rev: h.rev, problem: "record-missing" })
      continue
    }
    if (row.id !== said?.id || row.sha256 !== said.sha256 || Number(row.size) !== said.size || row.name !== said.name || row.media_type !== said.mediaType) {
      problems.push({ documentId: row.id, rev: h.rev, problem: "record-differs" })
      continue
    }
    try {
      const bytes = await bytesOf(d, row)
      if (!bytes) {
        problems.push({ documentId: row.id, rev: h.rev, problem: "bytes-missing" })
        continue
      }
      const hash = createHash("sha256")
      let size = 0
      for await (const chunk of bytes) {
        hash.update(chunk)
        size += chunk.byteLength
      }
      if (hash.digest("hex") !== said.sha256 || size !== said.size) problems.push({ documentId: row.id, rev: h.rev, problem: "bytes-differ" })
    } catch (e) {
      if (isCivicaseError(e) && e.code !== "CIVICASE_E_STORAGE") throw e
      problems.push({ documentId: row.id, rev: h.rev, problem: "unreadable" })
    }
  }
  for (const row of byRev.values()) problems.push({ documentId: row.id, rev: row.rev, problem: "unattached" })
  return { checked: attached.length + byRev.size, problems }
}
