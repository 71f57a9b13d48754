import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { parseArgs } from "node:util"
import type { ConfigChange, Logger } from "@civicase/core"
import { provinceConfiguration } from "@civicase/workflows"
import type { Output } from "./admin-commands.js"
import { UsageError, openEngine, openProvince, storeHelp, storeOptions } from "./open-engine.js"

/** Usage of `civicase config`. */
export const configHelp = `Usage: civicase config apply FILE [options]
       civicase config history [options]

apply    checks FILE as check-config does (every problem by path; nothing is
         stored), prints what changed against the version in force, stores it
         as the next version and puts it in force: every running server of the
         database picks it up without a restart (see docs/province-changes.md).
         New cases start under it; running cases keep their workflow version.
history  lists the applied versions, newest first: who, when, what changed.

Options:
  --province FILE        history: the province whose versions to list (default the shipped Vĩnh Phúc file)
  --base FILE            apply: the file the servers were started with, the base of the first version's diff
${storeHelp}
  --by NAME              apply: who runs it, recorded with the version (default $USER)
  --dry-run              apply: check and print the diff, store nothing
  --diff                 history: print each version's changes
  --limit N              history: how many versions (default 20)

Exit code 1 when the file has problems.`

const options = {
  ...storeOptions,
  province: { type: "string" },
  base: { type: "string" },
  by: { type: "string" },
  "dry-run": { type: "boolean" },
  diff: { type: "boolean" },
  limit: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const

/** The engine's log lines on stderr, so that stdout holds only the command's answer. */
const stderrLogger = (io: Output): Logger => {
  const line = (level: string) => (fields: Readonly<Record<string, unknown>>, message: string) => io.err(JSON.stringify({ level, message, ...fields }))
  return { debug: line("debug"), info: line("info"), warn: line("warn"), error: line("error") }
}

/** One change as a line: `replace /workflows/plan/deadlines/review/workingDays = 15`, long values cut. */
export function changeLine(c: ConfigChange): string {
  if (c.op === "remove") return `  remove  ${c.path || "/"}`
  const value = JSON.stringify(c.value)
  return `  ${c.op.padEnd(7)} ${c.path || "/"} = ${value.length > 120 ? `${value.slice(0, 117)}...` : value}`
}

/**
 * `civicase config apply FILE [--dry-run]` and `civicase config history`: the
 * province configuration versions in the database, as the operator (the
 * province's system actor, with `--by` recorded).
 *
 * @example
 * civicase config apply ./provinces/vinh-phuc-2027.json --database-url postgres://…/civicase --dry-run
 */
export async function configCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true })
  if (values.help) return (io.out(configHelp), 0)
  const [sub, ...files] = positionals
  if (sub === "apply") {
    if (files.length !== 1) throw new UsageError("config apply takes one FILE")
    const file = resolve(files[0]!)
    const next = openProvince(file) // every problem by path, as check-config
    const base = values.base ? openProvince(values.base) : undefined
    if (base && base.id !== next.id) throw new UsageError(`--base configures ${base.id}, FILE configures ${next.id}`)
    const content = JSON.parse(readFileSync(file, "utf8")) as unknown
    const configuration = { ...provinceConfiguration(next, { pollMs: 0 }), initial: base }
    const { engine, where } = openEngine(next, values, { scheduler: false, configuration, logger: stderrLogger(io) })
    try {
      await engine.start()
      io.err(`database: ${where}`)
      const operator = values.by ?? process.env.USER ?? "operator"
      const r = await engine.config.apply(content, engine.access.systemActor(next.id), { dryRun: values["dry-run"] === true, operator })
      for (const w of r.warnings) io.err(`  warning ${w.path}: ${w.message}`)
      if (r.diff.length === 0) return (io.out(`${next.id}: unchanged, version ${r.version} is in force`), 0)
      io.out(`${next.id}: ${r.dryRun ? "would store" : "stored"} version ${r.version}, ${r.diff.length} change${r.diff.length === 1 ? "" : "s"}`)
      for (const c of r.diff) io.out(changeLine(c))
      return 0
    } finally {
      await engine.close()
    }
  }
  if (sub === "history") {
    if (files.length) throw new UsageError("config history takes no FILE; name the province with --province FILE")
    const limit = values.limit === undefined ? 20 : Number(values.limit)
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError(`--limit must be an integer from 1 to 500, got "${values.limit}"`)
    const province = openProvince(values.province)
    const { engine, where } = openEngine(province, values, { scheduler: false, configuration: provinceConfiguration(province, { pollMs: 0 }), logger: stderrLogger(io) })
    try {
      await engine.start()
      io.err(`database: ${where}`)
      const rows = await engine.config.history(engine.access.systemActor(province.id), { limit })
      if (rows.length === 0) return (io.out(`${province.id}: no version applied; the servers run the file they were started with`), 0)
      for (const r of rows) {
        const by = r.appliedBy as { id?: string; operator?: string } | null
        io.out(`version ${r.version}  ${r.appliedAt}  by ${by?.operator ? `${by.operator} (operator)` : by?.id ?? "?"}  ${r.diff.length} change${r.diff.length === 1 ? "" : "s"}`)
        if (values.diff) for (const c of r.diff) io.out(changeLine(c))
      }
      return 0
    } finally {
      await engine.close()
    }
  }
  throw new UsageError(sub === undefined ? "config needs a subcommand: apply FILE, or history" : `unknown config subcommand "${sub}"`)
}
