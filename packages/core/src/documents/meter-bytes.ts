import { createHash } from "node:crypto"
import { PayloadTooLargeError } from "../errors/errors.js"

/** Bytes being read through {@link meterBytes}: the chunks, then their size and digest. */
export interface MeteredBytes {
  /** The chunks as read; rejects with `PayloadTooLargeError` as soon as the total passes the limit. */
  readonly chunks: AsyncIterable<Uint8Array>
  /** Size and SHA-256 (hex) of everything read; call after `chunks` ended. */
  result(): { size: number; sha256: string }
}

/**
 * Counts and hashes bytes while a document store streams them, and stops at
 * `maxBytes` (the rest is never read). Every store uses it, so every store
 * computes size and digest the same way.
 *
 * @example
 * const m = meterBytes(bytes, maxBytes)
 * for await (const chunk of m.chunks) await file.write(chunk)
 * const { size, sha256 } = m.result()
 */
export function meterBytes(source: AsyncIterable<Uint8Array>, maxBytes: number): MeteredBytes {
  const hash = createHash("sha256")
  let size = 0
  let digest: string | undefined
  async function* chunks() {
    for await (const chunk of source) {
      if (!(chunk instanceof Uint8Array)) throw new TypeError("document bytes must be Uint8Array chunks")
      size += chunk.byteLength
      if (size > maxBytes) throw new PayloadTooLargeError(maxBytes)
      hash.update(chunk)
      yield chunk
    }
    digest = hash.digest("hex")
  }
  return {
    chunks: chunks(),
    result() {
      if (digest === undefined) throw new Error("meterBytes: read every chunk before asking for the result")
      return { size, sha256: digest }
    },
  }
}

/**
 * A byte source as an async iterable: a `Uint8Array` is one chunk.
 *
 * @example
 * for await (const chunk of byteChunks(new TextEncoder().encode("x"))) …
 */
export async function* byteChunks(bytes: AsyncIterable<Uint8Array> | Uint8Array): AsyncIterable<Uint8Array> {
  if (bytes instanceof Uint8Array) yield bytes
  else yield* bytes
}
