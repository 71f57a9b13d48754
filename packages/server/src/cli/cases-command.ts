import { parseArgs } from "node:util"
import type { Output } from "./admin-commands.js"
import { UsageError, openEngine, openProvince, storeHelp, storeOptions } from "./open-engine.js"

/** Usage of `civicase cases`. */
export const casesHelp = `Usage: civicase cases migrate --workflow W --from N --to M [options]

Moves the running cases of workflow W from version N to version M with the
migration plan the workflows register (docs/province-changes.md, "Moving
running cases"): one hash-chained case.migrated history row per case, pending
deadlines recomputed or kept as the plan says. Cases that cannot move (a state
the plan does not map, a context it cannot convert) are listed and stay.
Safe to run again: moved cases are skipped, so an interrupted run resumes.

Options:
  --workflow W           the workflow id (required)
  --from N, --to M       the versions (required)
  --province FILE        province configuration (default: the shipped Vĩnh Phúc file)
${storeHelp}
  --dry-run              report what would move and what cannot; change nothing
  --batch N              cases read per query (default 200)

Exit code 1 when any case cannot move.`

const options = {
  ...storeOptions,
  workflow: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  province: { type: "string" },
  "dry-run": { type: "boolean" },
  batch: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const

const version = (flag: string, v: string | undefined): number => {
  const n = Number(v)
  if (v === undefined || !Number.isInteger(n) || n < 1) throw new UsageError(`--${flag} must be a workflow version (an integer from 1), got "${v ?? ""}"`)
  return n
}

/**
 * `civicase cases migrate --workflow W --from N --to M [--dry-run]`, as the
 * province's system actor, printing a progress line per batch.
 *
 * @example
 * civicase cases migrate --workflow plan --from 1 --to 2 --dry-run --database-url postgres://…/civicase
 */
export async function casesCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true })
  if (values.help) return (io.out(casesHelp), 0)
  if (positionals.length !== 1 || positionals[0] !== "migrate") throw new UsageError(`cases needs the subcommand migrate${positionals[0] ? `, not "${positionals[0]}"` : ""}`)
  if (!values.workflow) throw new UsageError("cases migrate needs --workflow W")
  const from = version("from", values.from)
  const to = version("to", values.to)
  const batch = values.batch === undefined ? 200 : Number(values.batch)
  if (!Number.isInteger(batch) || batch < 1 || batch > 1000) throw new UsageError(`--batch must be an integer from 1 to 1000, got "${values.batch}"`)
  const province = openProvince(values.province)
  const { engine, where } = openEngine(province, values, { scheduler: false })
  try {
    const plan = engine.caseMigrations().find((p) => p.workflow === values.workflow && p.from === from && p.to === to)
    if (!plan) {
      const known = engine.caseMigrations().map((p) => `${p.workflow} ${p.from}→${p.to}`)
      throw new UsageError(`no migration plan moves ${values.workflow} from ${from} to ${to}; registered: ${known.join(", ") || "none"}`)
    }
    await engine.start()
    io.err(`database: ${where}`)
    const dryRun = values["dry-run"] === true
    const r = await engine.migrateCases(plan, {
      actor: engine.access.systemActor(province.id),
      dryRun,
      batch,
      onProgress: (p) => io.err(`  scanned ${p.scanned}, ${dryRun ? "would move" : "moved"} ${p.moved}, cannot ${p.cannot}`),
    })
    const byStates = new Map<string, number>()
    for (const m of r.moved) byStates.set(`${m.from} → ${m.to}`, (byStates.get(`${m.from} → ${m.to}`) ?? 0) + 1)
    io.out(`${r.workflow} ${r.from} → ${r.to}: ${dryRun ? "would move" : "moved"} ${r.moved.length}, cannot ${r.cannot.length}, done cases left on version ${r.from}: ${r.done}`)
    for (const [states, n] of [...byStates].sort()) io.out(`  ${String(n).padStart(6)}  ${states}`)
    for (const c of r.cannot) io.out(`  CANNOT  ${c.caseId} ${c.state}: ${c.reason}`)
    return r.cannot.length ? 1 : 0
  } finally {
    await engine.close()
  }
}
