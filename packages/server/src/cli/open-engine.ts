import { resolve } from "node:path"
import { type Engine, type EngineOptions, type StorageDriver, createEngine } from "@civicase/core"
import { pglite, postgres } from "@civicase/adapters"
import { type Province, loadProvince, provinceEngineOptions, provinceFiles } from "@civicase/workflows"

/** The embedded database folder when neither `--database-url` nor `--data-dir` is given. */
export const DEFAULT_DATA_DIR = ".civicase/data"

/** The command-line flags that say where the database is; every command that opens one takes them. */
export interface StoreFlags {
  readonly "database-url"?: string
  readonly "data-dir"?: string
}

/** The `parseArgs` options of {@link StoreFlags}. */
export const storeOptions = {
  "database-url": { type: "string" },
  "data-dir": { type: "string" },
} as const

/** The help lines of {@link storeOptions}, the same in every command's usage. */
export const storeHelp = `  --database-url URL     PostgreSQL server (default: embedded PGlite, see --data-dir)
  --data-dir DIR         folder of the embedded PGlite database, created if missing (default ./${DEFAULT_DATA_DIR})`

/** The store named on the command line: a PostgreSQL URL, or PGlite in `--data-dir` (default `./.civicase/data`). */
export function openStore(flags: StoreFlags): { store: StorageDriver; where: string } {
  const databaseUrl = flags["database-url"]
  if (databaseUrl !== undefined && flags["data-dir"] !== undefined) {
    throw new UsageError("give either --database-url (a PostgreSQL server) or --data-dir (the embedded database), not both")
  }
  if (databaseUrl) {
    if (!/^postgres(ql)?:\/\//.test(databaseUrl)) throw new UsageError(`--database-url must be a postgres:// URL, got "${databaseUrl.replace(/:[^:@/]*@/, ":***@")}"`)
    return { store: postgres({ connectionString: databaseUrl }), where: databaseUrl.replace(/:[^:@/]*@/, ":***@") }
  }
  if (flags["data-dir"] === "") throw new UsageError("--data-dir must name a folder")
  const dir = resolve(flags["data-dir"] ?? DEFAULT_DATA_DIR)
  return { store: pglite({ dataDir: dir }), where: `${dir} (embedded PGlite)` }
}

/** The province file named by `--province`, or the shipped Vĩnh Phúc one; refused with every problem listed. */
export function openProvince(file: string | undefined): Province {
  return loadProvince(file ? resolve(file) : provinceFiles.vinhPhuc)
}

/** An engine over the province's five workflows and who may act in it, with the province's plugins (SLA figures come from `engine.reports.sla`). */
export function openEngine(
  province: Province,
  flags: StoreFlags,
  extra: Partial<EngineOptions> = {},
): { engine: Engine; where: string } {
  const { store, where } = openStore(flags)
  const engine = createEngine({ store, ...provinceEngineOptions(province), ...extra })
  return { engine, where }
}

/** A mistake on the command line: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError"
}
