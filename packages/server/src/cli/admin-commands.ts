import { type Engine, InvalidConfigError, createEngine } from "@civicase/core"
import { provinceWarnings, workflows } from "@civicase/workflows"
import { type StoreFlags, openEngine, openProvince, openStore } from "./open-engine.js"

/** Where a command writes: results to `out`, progress and problems to `err`. */
export interface Output {
  out(line: string): void
  err(line: string): void
}

/**
 * `civicase check-config FILE [--as-of DATE]`: 0 when valid, with warnings
 * (a coming year without its yearly calendar decision, numbers with no cited
 * source) on stderr, each marked "warning"; 1 with every problem listed by path.
 */
export function checkConfig(file: string, io: Output, options: { asOf?: Date } = {}): number {
  try {
    const province = openProvince(file)
    const defs = workflows(province)
    io.out(`${file}: ok (${province.id}, version ${province.version}, ${province.agencies.length} agencies, ${defs.length} workflow versions)`)
    const warnings = provinceWarnings(province, options.asOf ? { now: options.asOf } : {})
    if (warnings.length) io.err(`${file}: ${warnings.length} warning${warnings.length === 1 ? "" : "s"} (the file is valid)`)
    for (const w of warnings) io.err(`  warning ${w.path}: ${w.message}`)
    return 0
  } catch (e) {
    if (e instanceof InvalidConfigError || (e as { code?: string }).code === "CIVICASE_E_INVALID_CONFIG") {
      const issues = (e as InvalidConfigError).issues
      io.err(`${file}: ${issues.length} problem${issues.length === 1 ? "" : "s"}`)
      for (const issue of issues) io.err(`  ${issue.path || "/"}: ${issue.message}`)
      return 1
    }
    if ((e as { code?: string }).code === "CIVICASE_E_INVALID_DEFINITION") {
      io.err(`${file}: the workflows refuse this configuration:\n${(e as Error).message}`)
      return 1
    }
    throw e
  }
}

/** `civicase migrate`: applies pending migrations. */
export async function migrateCommand(flags: StoreFlags, io: Output): Promise<number> {
  const { store, where } = openStore(flags)
  const engine = createEngine({ store, migrate: false, scheduler: false })
  try {
    const applied = await engine.migrate()
    io.out(applied.length ? `${where}: applied migrations ${applied.join(", ")}` : `${where}: up to date`)
    return 0
  } finally {
    await engine.close()
  }
}

/** True when the database has civicase's tables (`civicase migrate` has run); SQLSTATE 42P01 is "undefined table". */
async function hasTables(engine: Engine): Promise<boolean> {
  try {
    await engine.db.selectFrom("civicase_migrations").select("version").limit(1).execute()
    return true
  } catch (e) {
    if ((e as { code?: string }).code === "42P01") return false
    throw e
  }
}

/**
 * `civicase verify`: every case's hash chain, with progress; 1 when any is
 * broken. It reads only: a database being checked is not migrated (nor
 * created), and one without civicase's tables is reported as such.
 */
export async function verifyCommand(flags: StoreFlags, provinceFile: string | undefined, io: Output): Promise<number> {
  const { engine, where } = openEngine(openProvince(provinceFile), flags, { scheduler: false, migrate: false })
  try {
    // Before start(): starting runs plugins' start hooks, which read the tables.
    if (!(await hasTables(engine))) {
      io.err(`${where}: no civicase tables here; nothing to verify (wrong --database-url or --data-dir, or run "civicase migrate" first)`)
      return 1
    }
    await engine.start()
    io.err(`verifying ${where}`)
    const result = await engine.verifyAll({
      onProgress: (p) => io.err(`  ${p.cases} cases, ${p.checked}/${p.totalEvents} events${p.totalEvents ? ` (${Math.min(100, Math.round((100 * p.checked) / p.totalEvents))}%)` : ""}`),
    })
    if (result.ok) {
      io.out(`ok: ${result.cases} cases, ${result.checked} events, every chain intact`)
      return 0
    }
    io.out(`BROKEN: ${result.brokenCount} of ${result.cases} cases`)
    for (const b of result.broken) io.out(`  case ${b.caseId}: first bad rev ${b.firstBadRev}`)
    return 1
  } finally {
    await engine.close()
  }
}
