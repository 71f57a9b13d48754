import { sql } from "kysely"
import type { Actor } from "../actor.js"
import { loadVisible } from "../engine/load-case.js"
import { storageError } from "../engine/storage-error.js"
import { DocumentNotFoundError, StorageError } from "../errors/errors.js"
import type { DocumentsContext } from "./attach-document.js"
import { type DocumentInfo, type DocumentRow, documentInfo } from "./document-info.js"

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A document with its bytes, streamed from the store. */
export interface DocumentContent {
  readonly document: DocumentInfo
  readonly bytes: AsyncIterable<Uint8Array>
}

/**
 * The documents of a case, in the order they were attached, if `actor` may see the case.
 *
 * @example
 * const docs = await listDocuments(documents, caseId, officer)
 */
export async function listDocuments(d: DocumentsContext, caseId: string, actor: Actor): Promise<DocumentInfo[]> {
  await loadVisible(d.context.access, d.context.db, caseId, actor)
  const r = await sql<DocumentRow>`select * from civicase_documents where case_id = ${caseId} order by rev`.execute(d.context.db).catch((e) => Promise.reject(storageError(e)))
  return r.rows.map(documentInfo)
}

/**
 * One document and its bytes, for an actor who may see the case; a document
 * of another case is `DocumentNotFoundError`. Bytes the store no longer holds
 * are a `StorageError` (run `verify` on the case to see which).
 *
 * @example
 * const { document, bytes } = await readDocument(documents, caseId, docId, officer)
 * for await (const chunk of bytes) res.write(chunk)
 */
export async function readDocument(d: DocumentsContext, caseId: string, documentId: string, actor: Actor): Promise<DocumentContent> {
  await loadVisible(d.context.access, d.context.db, caseId, actor)
  if (typeof documentId !== "string" || !UUID.test(documentId)) throw new DocumentNotFoundError(caseId, String(documentId))
  const r = await sql<DocumentRow>`select * from civicase_documents where id = ${documentId} and case_id = ${caseId}`.execute(d.context.db).catch((e) => Promise.reject(storageError(e)))
  const row = r.rows[0]
  if (!row) throw new DocumentNotFoundError(caseId, documentId)
  const bytes = await bytesOf(d, row)
  if (!bytes) throw new StorageError("other", new Error(`the bytes of document ${documentId} are missing from the ${row.store} store`))
  return { document: documentInfo(row), bytes }
}

/** The bytes of a documents row from the engine's store; a row kept by another store is a `StorageError`. */
export async function bytesOf(d: DocumentsContext, row: DocumentRow): Promise<AsyncIterable<Uint8Array> | undefined> {
  if (row.store !== d.store.name) {
    throw new StorageError("other", new Error(`document ${row.id} is kept by the ${row.store} store, and this engine uses ${d.store.name}`))
  }
  return d.store.get(row.store_key).catch((e) => Promise.reject(storageError(e)))
}
