import { readdirSync, statSync } from "node:fs"
import { join } from "node:path"
import { sql } from "kysely"
import { createEngine, databaseDocuments, silentLogger, testClock } from "@civicase/core"
import type { ContractTarget, OpenedDocumentStore } from "@civicase/core/testing"

/** Every file under `dir`, at any depth. */
export function filesUnder(dir: string): string[] {
  let out: string[] = []
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    out = statSync(p).isDirectory() ? [...out, ...filesUnder(p)] : [...out, p]
  }
  return out
}

/** The database document store on a fresh, migrated store of `target`. */
export function databaseStoreOn(target: ContractTarget): () => Promise<OpenedDocumentStore> {
  return async () => {
    const handle = await target.fresh()
    const engine = createEngine({ store: handle.driver, clock: testClock(), scheduler: false, logger: silentLogger })
    await engine.start()
    return {
      store: databaseDocuments()({ db: engine.db, logger: silentLogger }),
      leftovers: async () => (await sql<{ n: number }>`select count(distinct key)::int as n from civicase_document_blobs`.execute(engine.db)).rows[0]!.n,
      async dispose() {
        await engine.close()
        await handle.dispose()
      },
    }
  }
}
