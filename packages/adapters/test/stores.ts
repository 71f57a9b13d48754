import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import pg from "pg"
import type { ContractTarget } from "@civicase/core/testing"
import { pglite, postgres } from "@civicase/adapters"

/** Fresh PGlite stores: in memory, or in a temporary folder when durable. */
export const pgliteTarget: ContractTarget = {
  async fresh({ durable = false } = {}) {
    if (!durable) {
      const driver = pglite()
      return { driver, reopen: () => driver, dispose: async () => {} }
    }
    const dir = mkdtempSync(join(tmpdir(), "civicase-pglite-"))
    return {
      driver: pglite({ dataDir: dir }),
      reopen: () => pglite({ dataDir: dir }),
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    }
  },
}

/** Fresh PostgreSQL stores, each in its own schema of the `DATABASE_URL` database. */
export function postgresTarget(url: string): ContractTarget {
  return {
    async fresh() {
      const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
      return {
        driver: postgres({ connectionString: url, schema }),
        reopen: () => postgres({ connectionString: url, schema }),
        async dispose() {
          const client = new pg.Client({ connectionString: url })
          await client.connect()
          await client.query(`drop schema if exists "${schema}" cascade`)
          await client.end()
        },
      }
    },
  }
}
