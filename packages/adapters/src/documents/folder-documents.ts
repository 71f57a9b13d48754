import { randomUUID } from "node:crypto"
import { mkdir, open, rename, unlink } from "node:fs/promises"
import { isAbsolute, join, resolve } from "node:path"
import { type DocumentStore, type DocumentStoreFactory, meterBytes } from "@civicase/core"

/** Options of {@link folderDocuments}. */
export interface FolderDocumentsOptions {
  /** The folder that holds the files; created when missing. */
  readonly dir: string
  /** Flush each file to disk before it is announced (default true): a crash after the attach commits keeps the bytes. */
  readonly sync?: boolean
}

/** Keys are random UUIDs: nothing a caller sends can name a path outside the folder. */
const KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const INCOMING = ".incoming"

const missing = (e: unknown) => (e as NodeJS.ErrnoException)?.code === "ENOENT"

/**
 * A document store on a folder (thư mục lưu tài liệu): each document is one
 * file `<dir>/<first two hex digits of its key>/<key>`, written under
 * `<dir>/.incoming/` while it streams in, flushed, then renamed into place,
 * so a file is either whole or absent. Keys are random UUIDs the store makes
 * itself (not content hashes: two attachments of the same bytes stay two
 * files, so deleting one never loses the other), and a key that is not one
 * reads as absent, so no request reaches outside the folder. A crash
 * mid-upload leaves a `.part` file under `.incoming/`, safe to delete.
 *
 * @example
 * import { folderDocuments } from "@civicase/adapters"
 * createEngine({ store: postgres({ connectionString }), workflows, documents: { store: folderDocuments({ dir: "/var/lib/civicase/files" }) } })
 */
export function folderDocuments(options: FolderDocumentsOptions): DocumentStoreFactory {
  if (typeof options?.dir !== "string" || options.dir.length === 0) throw new TypeError("folderDocuments: dir must name a folder")
  const root = isAbsolute(options.dir) ? options.dir : resolve(options.dir)
  const sync = options.sync ?? true
  const pathOf = (key: string) => join(root, key.slice(0, 2), key)

  return (): DocumentStore => ({
    name: "folder",
    async put(bytes, { maxBytes }) {
      const key = randomUUID()
      await mkdir(join(root, INCOMING), { recursive: true })
      const part = join(root, INCOMING, `${key}.part`)
      const file = await open(part, "wx")
      const metered = meterBytes(bytes, maxBytes)
      try {
        for await (const chunk of metered.chunks) {
          let written = 0
          while (written < chunk.byteLength) written += (await file.write(chunk, written)).bytesWritten
        }
        if (sync) await file.sync()
        await file.close()
        await mkdir(join(root, key.slice(0, 2)), { recursive: true })
        await rename(part, pathOf(key))
      } catch (e) {
        await file.close().catch(() => undefined)
        await unlink(part).catch(() => undefined)
        throw e
      }
      return { key, ...metered.result() }
    },
    async get(key) {
      if (!KEY.test(key)) return undefined
      try {
        const file = await open(pathOf(key), "r")
        return file.createReadStream({ highWaterMark: 256 * 1024 })
      } catch (e) {
        if (missing(e)) return undefined
        throw e
      }
    },
    async delete(key) {
      if (!KEY.test(key)) return
      await unlink(pathOf(key)).catch((e) => {
        if (!missing(e)) throw e
      })
    },
  })
}
