import { ownValue } from "@civicase/core"
import type { IndicatorRollup, PlanConfig, Province } from "@civicase/workflows"

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ")
const both = (l: { vi: string; en: string } | undefined, fallback: string) => (l ? `${l.vi} / ${l.en}` : fallback)

/**
 * The plan-indicator part of the periodic report as Markdown, with the
 * province's bilingual labels (Vietnamese first): for each plan year, each
 * indicator's target summed over the agencies, the values reported for each
 * period (accepted; what awaits acceptance in brackets) and the share of the
 * target the last period reached; then each agency's figures.
 *
 * @example
 * renderIndicatorReport(await planIndicatorReport(engine, { year: 2025 }, systemActor("vinh-phuc")), province)
 * // "## Kết quả thực hiện chỉ tiêu / Plan indicators: 2025 …"
 */
export function renderIndicatorReport(rows: ReadonlyArray<IndicatorRollup>, province: Province): string {
  const config = province.workflows.plan as PlanConfig
  const catalogue = new Map((config.indicators ?? []).map((i) => [i.id, i]))
  const periodLabel = new Map(config.reportPeriods.map((p) => [p.id, p.labels]))
  const agencyName = (id: string) => province.agencies.find((a) => a.id === id)?.names.vi ?? id
  const lines: string[] = []
  if (rows.length === 0) return "## Kết quả thực hiện chỉ tiêu / Plan indicators\n\n_Không có chỉ tiêu nào trong các kế hoạch đã ban hành / No indicators in issued plans._\n"
  for (const year of [...new Set(rows.map((r) => r.year))]) {
    const ofYear = rows.filter((r) => r.year === year)
    const known = config.reportPeriods.map((p) => p.id)
    const periods = [...new Set([...known.filter((id) => ofYear.some((r) => r.periods.some((p) => p.period === id))), ...ofYear.flatMap((r) => r.periods.map((p) => p.period))])]
    lines.push(`## Kết quả thực hiện chỉ tiêu / Plan indicators: ${year}`, "")
    lines.push("Giá trị báo cáo tính lũy kế từ đầu năm; số trong ngoặc là báo cáo chờ chấp nhận. / Reported values count from the start of the year; figures in brackets await acceptance.", "")
    lines.push(
      `| Chỉ tiêu / Indicator | Đơn vị / Unit | Cơ quan / Agencies | Mục tiêu / Target | ${periods.map((p) => cell(both(periodLabel.get(p), p))).join(" | ")} | Đạt / Reached |`,
      `|---|---|---:|---:|${periods.map(() => "---:|").join("")}---:|`,
    )
    for (const r of ofYear) {
      const item = catalogue.get(r.indicator)
      const figures = periods.map((id) => {
        const p = r.periods.find((x) => x.period === id)
        if (!p) return "—"
        return `${p.reported}${p.pending ? ` (+${p.pending})` : ""}`
      })
      const last = [...r.periods].reverse().find((p) => p.agencies > 0)
      const reached = last && r.target > 0 ? `${((100 * last.reported) / r.target).toFixed(1)}%` : "—"
      lines.push(`| ${cell(both(item?.labels, r.indicator))} | ${cell(both(item?.unit, ""))} | ${r.plans} | ${r.target} | ${figures.join(" | ")} | ${reached} |`)
    }
    lines.push("", `### Theo cơ quan / By agency: ${year}`, "", `| Cơ quan / Agency | Chỉ tiêu / Indicator | Mục tiêu / Target | ${periods.map((p) => cell(periodLabel.get(p)?.vi ?? p)).join(" | ")} |`, `|---|---|---:|${periods.map(() => "---:|").join("")}`)
    for (const r of ofYear) {
      for (const a of r.agencies) {
        lines.push(`| ${cell(agencyName(a.agency))} | ${cell(catalogue.get(r.indicator)?.labels.vi ?? r.indicator)} | ${a.target ?? "—"} | ${periods.map((p) => String(ownValue(a.values, p) ?? "—")).join(" | ")} |`)
      }
    }
    lines.push("")
  }
  return lines.join("\n")
}
