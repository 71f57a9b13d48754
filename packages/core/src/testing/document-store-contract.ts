import { createHash } from "node:crypto"
import { afterEach, describe, expect, it } from "vitest"
import type { DocumentStore } from "../documents/document-store.js"
import { chunksOf, readAll } from "./byte-streams.js"
import { expectCode } from "./expect-code.js"

/** A document store opened for one test, with what the suite needs to look behind it. */
export interface OpenedDocumentStore {
  readonly store: DocumentStore
  /** How many stored objects (rows, files) the store holds, finished or not: a refused upload must leave none. */
  leftovers(): Promise<number>
  dispose(): Promise<void>
}

/**
 * The contract of a `DocumentStore` driver: bytes round-trip whatever their
 * size and chunking, the size limit stops the upload and keeps nothing,
 * unknown or malformed keys read as absent (no path escapes the store), and
 * delete is idempotent. Every driver runs it (the database store on both
 * databases, the folder store).
 *
 * @example
 * documentStoreContract("folder", async () => { const dir = mkdtempSync(…); return { store: folderDocuments({ dir })(ctx), leftovers, dispose } })
 */
export function documentStoreContract(name: string, open: () => Promise<OpenedDocumentStore>): void {
  describe(`document store contract: ${name}`, () => {
    const opened: OpenedDocumentStore[] = []
    afterEach(async () => {
      for (const o of opened.splice(0)) await o.dispose()
    })
    const fresh = async () => {
      const o = await open()
      opened.push(o)
      return o
    }

    it("keeps bytes of any size and chunking, and gives their size and SHA-256", async () => {
      const { store } = await fresh()
      const big = Buffer.alloc(700 * 1024)
      for (let i = 0; i < big.byteLength; i++) big[i] = (i * 7919) % 251
      for (const [bytes, chunk] of [[big, 64 * 1024], [big, 300 * 1024 + 7], [Buffer.from("một dòng"), 3], [Buffer.alloc(0), 1]] as const) {
        const put = await store.put(chunksOf(bytes, chunk), { maxBytes: 1024 * 1024 })
        expect(put).toMatchObject({ size: bytes.byteLength, sha256: createHash("sha256").update(bytes).digest("hex") })
        expect((await readAll((await store.get(put.key))!)).equals(bytes)).toBe(true)
      }
      const [a, b] = await Promise.all([store.put(chunksOf(Buffer.from("a"), 1), { maxBytes: 10 }), store.put(chunksOf(Buffer.from("b"), 1), { maxBytes: 10 })])
      expect(a.key).not.toBe(b.key)
    })

    it("stops at the size limit without reading the rest, and keeps nothing of a refused upload", async () => {
      const { store, leftovers } = await fresh()
      const before = await leftovers()
      const pulled = { n: 0 }
      const e = await expectCode(store.put(chunksOf(Buffer.alloc(5000, 1), 1000, pulled), { maxBytes: 2500 }), "CIVICASE_E_PAYLOAD_TOO_LARGE")
      expect(e.limit).toBe(2500)
      expect(pulled.n).toBe(3)
      const failing = (async function* () {
        yield Buffer.alloc(10)
        throw new Error("the upload was cut")
      })()
      await expect(store.put(failing, { maxBytes: 100 })).rejects.toThrow("the upload was cut")
      expect(await leftovers()).toBe(before)
    })

    it("reads an unknown or malformed key as absent, and deletes idempotently", async () => {
      const { store } = await fresh()
      const put = await store.put(chunksOf(Buffer.from("x"), 1), { maxBytes: 10 })
      for (const key of ["00000000-0000-4000-8000-000000000000", "../../../etc/passwd", "", "a/b", put.key + "/.."]) {
        expect(await store.get(key)).toBeUndefined()
        await store.delete(key)
      }
      expect(await store.get(put.key)).toBeDefined()
      await store.delete(put.key)
      await store.delete(put.key)
      expect(await store.get(put.key)).toBeUndefined()
    })
  })
}
