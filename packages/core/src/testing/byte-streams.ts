/**
 * `bytes` as a stream of chunks of `size` bytes, counting in `pulled` how many
 * the reader took (a size limit must stop reading early).
 *
 * @example
 * const pulled = { n: 0 }
 * await store.put(chunksOf(bytes, 1000, pulled), { maxBytes: 2500 }) // pulled.n === 3
 */
export async function* chunksOf(bytes: Uint8Array, size: number, pulled = { n: 0 }): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.byteLength; i += size) {
    pulled.n++
    yield bytes.subarray(i, i + size)
  }
}

/**
 * Every chunk of a stream, joined.
 *
 * @example
 * const back = await readAll((await engine.readDocument(caseId, docId, actor)).bytes)
 */
export async function readAll(bytes: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = []
  for await (const p of bytes) parts.push(p)
  return Buffer.concat(parts)
}
