import { randomUUID } from "node:crypto"
import { sql } from "kysely"
import type { DocumentStore, DocumentStoreFactory } from "./document-store.js"
import { meterBytes } from "./meter-bytes.js"

/** Bytes per row: a read or write holds one chunk in memory, never the whole file. */
const CHUNK = 256 * 1024

const KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/**
 * The default document store: bytes in the engine's own database
 * (`civicase_document_blobs`, 256 KiB per row), so an embedded PGlite engine
 * needs nothing else, and a backup of the database holds the files. Each
 * chunk is its own statement (no transaction is held open while a slow
 * upload streams in); a failed upload deletes what it wrote, and a crash
 * mid-upload leaves chunks no document names (see docs/documents.md).
 *
 * @example
 * createEngine({ store: pglite(), workflows, documents: { store: databaseDocuments() } })
 */
export function databaseDocuments(): DocumentStoreFactory {
  return ({ db }): DocumentStore => {
    const remove = async (key: string) => {
      await sql`delete from civicase_document_blobs where key = ${key}`.execute(db)
    }
    return {
      name: "database",
      async put(bytes, { maxBytes }) {
        const key = randomUUID()
        const metered = meterBytes(bytes, maxBytes)
        let seq = 0
        let pending: Uint8Array[] = []
        let pendingSize = 0
        const flush = async (all: boolean) => {
          while (pendingSize >= CHUNK || (all && (pendingSize > 0 || seq === 0))) {
            const joined = Buffer.concat(pending)
            const part = joined.subarray(0, Math.min(CHUNK, joined.byteLength))
            const rest = joined.subarray(part.byteLength)
            await sql`insert into civicase_document_blobs (key, seq, bytes) values (${key}, ${seq++}, ${part})`.execute(db)
            pending = rest.byteLength ? [rest] : []
            pendingSize = rest.byteLength
          }
        }
        try {
          for await (const chunk of metered.chunks) {
            pending.push(chunk)
            pendingSize += chunk.byteLength
            if (pendingSize >= CHUNK) await flush(false)
          }
          await flush(true)
        } catch (e) {
          await remove(key).catch(() => undefined)
          throw e
        }
        return { key, ...metered.result() }
      },
      async get(key) {
        if (!KEY.test(key)) return undefined
        const first = await sql<{ n: number }>`select count(*)::int as n from civicase_document_blobs where key = ${key} and seq = 0`.execute(db)
        if (first.rows[0]?.n !== 1) return undefined
        return (async function* () {
          for (let seq = 0; ; seq++) {
            const r = await sql<{ bytes: Uint8Array }>`select bytes from civicase_document_blobs where key = ${key} and seq = ${seq}`.execute(db)
            const row = r.rows[0]
            if (!row) return
            if (row.bytes.byteLength > 0) yield row.bytes
          }
        })()
      },
      async delete(key) {
        if (KEY.test(key)) await remove(key)
      },
    }
  }
}
