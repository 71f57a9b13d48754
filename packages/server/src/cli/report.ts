import { parseArgs } from "node:util"
import { type SlaReportRow, instantAt, parseLocalDate } from "@civicase/core"
import { type Province, planIndicatorReport } from "@civicase/workflows"
import type { Output } from "./admin-commands.js"
import { renderIndicatorReport } from "./indicator-report.js"
import { UsageError, openEngine, openProvince, storeHelp, storeOptions } from "./open-engine.js"

/** Usage of `civicase report`. */
export const reportHelp = `Usage: civicase report [options]

Prints the periodic report (báo cáo định kỳ) the coordinator sends to the
province leader, as Markdown: per workflow and owning agency, cases by state,
time in state, deadlines met and missed, escalations; then what the agencies
reported against their plan indicators (targets of the issued plans, values
of each period's reports, by indicator and by agency). Figures come from the
database (engine.reports.sla, planIndicatorReport), so every server gives the
same report.

Options:
  --province FILE        province configuration (default: the shipped Vĩnh Phúc file)
${storeHelp}
  --from DATE            start of the period, inclusive (ISO 8601, e.g. 2025-03-01: a bare date is local midnight in the province's time zone)
  --to DATE              end of the period, exclusive (ISO 8601)
  --workflow ID          only this workflow
  --year YYYY            plan year of the indicators (default: the year of --from, else every year)`

const options = {
  province: { type: "string" },
  ...storeOptions,
  from: { type: "string" },
  to: { type: "string" },
  workflow: { type: "string" },
  year: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const

const hours = (ms: number) => (ms / 3_600_000).toFixed(1)
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ")

/**
 * The periodic report as Markdown, with bilingual headings (Vietnamese first).
 *
 * @example
 * renderSlaReport(rows, province, { from: "2025-03-01", to: "2025-04-01" }) // "# Báo cáo định kỳ / Periodic report …"
 */
export function renderSlaReport(rows: ReadonlyArray<SlaReportRow>, province: Province, period: { from?: string; to?: string }): string {
  const agencyName = (id: string) => province.agencies.find((a) => a.id === id)?.names.vi ?? id
  const lines = [
    `# Báo cáo định kỳ / Periodic report: ${province.names.vi}`,
    "",
    `Kỳ báo cáo / Period: ${period.from ?? "…"} → ${period.to ?? "…"} (hồ sơ hiện tại / current cases: at the time of the report)`,
    "",
  ]
  if (rows.length === 0) lines.push("_Không có số liệu / No figures._")
  for (const r of rows) {
    lines.push(`## ${cell(r.workflow)}: ${cell(agencyName(r.agency))} (${cell(r.agency)})`, "")
    const states = Object.entries(r.casesByState).map(([s, n]) => `${cell(s)} ${n}`).join(", ") || "0"
    lines.push(
      `- Hồ sơ đang xử lý theo bước / Active cases by state: ${states}`,
      `- Hồ sơ đã hoàn thành / Cases done: ${r.casesDone}`,
      `- Lượt chuyển bước trong kỳ / Transitions in the period: ${r.transitions}`,
      `- Chuyển cấp (quá hạn) / Escalations (fired deadlines): ${r.escalations}`,
      "",
    )
    if (r.timeInState.length) {
      lines.push("### Thời gian xử lý / Time in state (giờ / hours)", "", "| Bước / State | Lượt / Stints | TB / Average | Trung vị / Median | P90 |", "|---|---:|---:|---:|---:|")
      for (const t of r.timeInState) lines.push(`| ${cell(t.state)} | ${t.stints} | ${hours(t.averageMs)} | ${hours(t.medianMs)} | ${hours(t.p90Ms)} |`)
      lines.push("")
    }
    if (r.deadlines.length) {
      lines.push("### Thời hạn / Deadlines", "", "| Thời hạn / Deadline | Đúng hạn / Met | Trễ hạn / Missed |", "|---|---:|---:|")
      for (const d of r.deadlines) lines.push(`| ${cell(d.name)} | ${d.met} | ${d.missed} |`)
      lines.push("")
    }
  }
  return lines.join("\n")
}

/**
 * `civicase report [--province FILE] [--database-url URL | --data-dir DIR] [--from DATE --to DATE]`:
 * the periodic report as the province's system actor (it sees every agency).
 *
 * @example
 * civicase report --province ./provinces/vinh-phuc.json --from 2025-03-01 --to 2025-04-01 > bao-cao-thang-3.md
 */
export async function reportCommand(args: string[], io: Output): Promise<number> {
  const { values } = parseArgs({ args, options, strict: true })
  if (values.help) return (io.out(reportHelp), 0)
  for (const flag of ["from", "to"] as const) {
    const v = values[flag]
    if (v !== undefined && (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(Date.parse(v)))) throw new UsageError(`--${flag} must be an ISO 8601 date such as 2025-03-01, got "${v}"`)
  }
  if (values.year !== undefined && !/^\d{4}$/.test(values.year)) throw new UsageError(`--year must be a year such as 2025, got "${values.year}"`)
  const province = openProvince(values.province)
  const { engine, where } = openEngine(province, values, { scheduler: false, migrate: false })
  try {
    io.err(`database: ${where}`)
    // A bare date is the province's local midnight, not UTC's: a month's report starts when the month does there.
    const local = (v: string): string => {
      const day = /^\d{4}-\d{2}-\d{2}$/.test(v) ? parseLocalDate(v) : undefined
      return day ? instantAt(day, "00:00", province.calendar.timeZone).toISOString() : v
    }
    const rows = await engine.reports.sla(
      { ...(values.workflow ? { workflow: values.workflow } : {}), ...(values.from ? { from: local(values.from) } : {}), ...(values.to ? { to: local(values.to) } : {}) },
      engine.access.systemActor(province.id),
    )
    io.out(renderSlaReport(rows, province, { ...(values.from ? { from: values.from } : {}), ...(values.to ? { to: values.to } : {}) }))
    const year = values.year ?? values.from?.slice(0, 4)
    const indicators = await planIndicatorReport(engine, year ? { year: Number(year) } : {}, engine.access.systemActor(province.id))
    io.out(renderIndicatorReport(indicators, province))
    return 0
  } finally {
    await engine.close()
  }
}
