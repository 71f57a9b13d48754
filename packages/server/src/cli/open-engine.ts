import { mkdirSync } from "node:fs"
import { resolve } from "node:path"
import { type Engine, type EngineOptions, type StorageDriver, createEngine } from "@civicase/core"
import { pglite, postgres } from "@civicase/adapters"
import { type Province, loadProvince, provinceEngineOptions, provinceFiles } from "@civicase/workflows"

/** The embedded database folder when no `--database-url` is given. */
export const DEFAULT_DATA_DIR = ".civicase/data"

/** The store named on the command line: a PostgreSQL URL, or PGlite in `./.civicase/data`. */
export function openStore(databaseUrl: string | undefined): { store: StorageDriver; where: string } {
  if (databaseUrl) {
    if (!/^postgres(ql)?:\/\//.test(databaseUrl)) throw new UsageError(`--database-url must be a postgres:// URL, got "${databaseUrl.replace(/:[^:@/]*@/, ":***@")}"`)
    return { store: postgres({ connectionString: databaseUrl }), where: databaseUrl.replace(/:[^:@/]*@/, ":***@") }
  }
  const dir = resolve(DEFAULT_DATA_DIR)
  mkdirSync(dir, { recursive: true })
  return { store: pglite({ dataDir: dir }), where: `${dir} (embedded PGlite)` }
}

/** The province file named by `--province`, or the shipped Vĩnh Phúc one; refused with every problem listed. */
export function openProvince(file: string | undefined): Province {
  return loadProvince(file ? resolve(file) : provinceFiles.vinhPhuc)
}

/** An engine over the province's five workflows and province-wide roles, with the province's plugins (SLA figures come from `engine.reports.sla`). */
export function openEngine(
  province: Province,
  databaseUrl: string | undefined,
  extra: Partial<EngineOptions> = {},
): { engine: Engine; where: string } {
  const { store, where } = openStore(databaseUrl)
  const engine = createEngine({ store, ...provinceEngineOptions(province), ...extra })
  return { engine, where }
}

/** A mistake on the command line: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError"
}
