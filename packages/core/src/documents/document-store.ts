import type { Kysely } from "kysely"
import type { Logger } from "../engine/logger.js"
import type { CivicaseDatabase } from "../storage/schema.js"

/** What a document store kept: its key for the bytes, their size and SHA-256 (hex). */
export interface StoredBytes {
  readonly key: string
  readonly size: number
  readonly sha256: string
}

/**
 * Where the bytes of documents live (kho lưu trữ tài liệu). The engine
 * records, per document, the store's `name` and the `key` it returned, and
 * the size and SHA-256 in the case's hash chain; the store only keeps bytes.
 * Core ships `databaseDocuments()` (a table, the default; works on PGlite);
 * `@civicase/adapters` ships `folderDocuments({ dir })`. An S3-compatible
 * store fits the same three calls.
 *
 * @example
 * const store: DocumentStore = {
 *   name: "s3",
 *   async put(bytes, { maxBytes }) { … return { key, size, sha256 } },
 *   async get(key) { return exists ? body : undefined },
 *   async delete(key) { … },
 * }
 */
export interface DocumentStore {
  /** Recorded with each document (`databaseDocuments`: `database`, `folderDocuments`: `folder`). */
  readonly name: string
  /**
   * Keeps `bytes` under a new key. Past `maxBytes` it must stop reading,
   * keep nothing, and reject with `PayloadTooLargeError`; any other failure
   * must also keep nothing (or leave only what `delete` of an unknown key
   * tolerates). Use `meterBytes` to count and hash while streaming.
   */
  put(bytes: AsyncIterable<Uint8Array>, options: { readonly maxBytes: number }): Promise<StoredBytes>
  /** The bytes of `key`, streamed; undefined when the store holds no such key. */
  get(key: string): Promise<AsyncIterable<Uint8Array> | undefined>
  /** Removes `key`; removing a key that is not there is no error. */
  delete(key: string): Promise<void>
}

/** What a document store factory receives from the engine that creates it. */
export interface DocumentStoreContext {
  /** The engine's database (a database store keeps bytes in it). */
  readonly db: Kysely<CivicaseDatabase>
  readonly logger: Logger
}

/**
 * Makes the document store of one engine (engine option `documents.store`).
 *
 * @example
 * createEngine({ store: pglite(), workflows, documents: { store: folderDocuments({ dir: "./files" }) } })
 */
export type DocumentStoreFactory = (context: DocumentStoreContext) => DocumentStore
