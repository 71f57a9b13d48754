import { parseArgs } from "node:util"
import { type SuccessionReport, applySuccession, successionsOf } from "@civicase/workflows"
import type { Output } from "./admin-commands.js"
import { UsageError, openEngine, openProvince, storeHelp, storeOptions } from "./open-engine.js"

/** Usage of `civicase apply-succession`. */
export const applySuccessionHelp = `Usage: civicase apply-succession --province FILE [options]

Hands the open cases of every agency the configuration retires over to its
final successor, one recorded AGENCY_SUCCEEDED event per case (see
docs/province-changes.md). Run it once the service runs the new version.
Safe to run again: cases already handed over are not touched.

Options:
  --province FILE        the new province configuration (required)
${storeHelp}
  --reason TEXT          why, recorded on every case (default names the configuration version)
  --dry-run              list what would move, change nothing

Exit code 1 when any case could not be handed over.`

const options = {
  province: { type: "string" },
  ...storeOptions,
  reason: { type: "string" },
  "dry-run": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const

function print(report: SuccessionReport, io: Output) {
  io.out(`moved ${report.moved.length}, unchanged ${report.unchanged.length}, failed ${report.failed.length}`)
  for (const m of report.moved) io.out(`  moved    ${m.caseId} ${m.workflow} ${m.from} → ${m.to} (rev ${m.rev})`)
  for (const u of report.unchanged) io.out(`  unchanged ${u.caseId} ${u.from}: ${u.reason}`)
  for (const f of report.failed) io.out(`  FAILED   ${f.caseId} ${f.from} → ${f.to}: ${f.code ? `${f.code} ` : ""}${f.error}`)
}

/**
 * `civicase apply-succession --province FILE [--database-url URL | --data-dir DIR]`.
 *
 * It acts as the engine's system actor (`engine.access.systemActor(province.id)`), not as
 * an `integration` actor: the hand-over must list the cases of every retired
 * agency, and only a province-wide actor sees them all (`integration` is not
 * province-wide by default); it is an operator's run, not a person's decision,
 * and the history records it as `system` with the reason and configuration
 * version in the payload.
 *
 * @example
 * civicase apply-succession --province ./provinces/vinh-phuc-v2.json --database-url postgres://…/civicase
 */
export async function applySuccessionCommand(args: string[], io: Output): Promise<number> {
  const { values } = parseArgs({ args, options, strict: true })
  if (values.help) return (io.out(applySuccessionHelp), 0)
  if (!values.province) throw new UsageError("apply-succession needs --province FILE (the new configuration)")
  if (values.reason !== undefined && values.reason.trim() === "") throw new UsageError("--reason must not be empty")
  const province = openProvince(values.province)
  const steps = successionsOf(province)
  const reason = values.reason ?? `Cấu hình ${province.id} phiên bản ${province.version}: chuyển giao hồ sơ cho cơ quan kế thừa (hand-over to successor agencies)`
  io.err(`${province.id} version ${province.version}: ${steps.length} retired agenc${steps.length === 1 ? "y" : "ies"}`)
  for (const s of steps) io.err(`  ${s.from} → ${s.to}`)
  if (steps.length === 0) return (io.out("nothing to hand over"), 0)
  const { engine, where } = openEngine(province, values, { scheduler: false })
  const actor = engine.access.systemActor(province.id)
  try {
    await engine.start()
    io.err(`database: ${where}`)
    if (values["dry-run"]) {
      for (const s of steps) {
        let count = 0
        let cursor: string | undefined
        do {
          const page = await engine.listCases({ agency: s.from, status: "active", limit: 500, ...(cursor ? { cursor } : {}) }, actor)
          count += page.items.length
          cursor = page.nextCursor
        } while (cursor)
        io.out(`would move ${count} open case${count === 1 ? "" : "s"} from ${s.from} to ${s.to}`)
      }
      return 0
    }
    let handled = 0
    const report = await applySuccession(engine, province, actor, {
      reason,
      steps,
      onCase: (c) => {
        handled++
        io.err(`  ${c.outcome} ${c.caseId} (${c.from} → ${c.to}), ${handled} handled`)
      },
    })
    print(report, io)
    return report.failed.length ? 1 : 0
  } finally {
    await engine.close()
  }
}
