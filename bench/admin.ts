import pg from "pg"

/**
 * Runs `work` on a connection of its own and closes it: what a bench does
 * outside the measured code, such as creating and dropping its schema.
 *
 * @example
 * await admin(url, (c) => c.query(`create schema "bench_1"`))
 */
export async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}
