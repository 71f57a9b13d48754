import { ownValue } from "@civicase/core"
import type { Province } from "../province/types.js"

/** How a value of a province file is grounded: the source it cites, or none (an illustrative default). */
export interface ValueBasis {
  readonly cited: boolean
  /** The citation, or the bilingual words for an illustrative default. */
  readonly text: string
}

/** The words for an uncited value, in both languages. */
export const illustrativeDefault = "giá trị minh họa / illustrative default"

/**
 * The basis of the value at JSON Pointer `path` of `province`: the source
 * `basis.sources` cites for it or for the nearest section holding it, else
 * an illustrative default (DOMAIN.md: every number is one unless it cites a source).
 *
 * @example
 * basisOf(vinhPhuc, "/workflows/violation/complaintWindow") // { cited: true, text: "Luật Khiếu nại 2011, Điều 9: …" }
 * basisOf(vinhPhuc, "/workflows/plan/deadlines/review") // { cited: false, text: "giá trị minh họa / illustrative default" }
 */
export function basisOf(province: Province, path: string | undefined): ValueBasis {
  const sources = province.basis?.sources ?? {}
  for (let at = path; at; at = at.slice(0, at.lastIndexOf("/"))) {
    const cited = ownValue(sources, at)
    if (cited !== undefined) return { cited: true, text: cited }
  }
  return { cited: false, text: illustrativeDefault }
}

/** Keys whose values are words, not numbers or chains: left out of the table. */
const WORDS = new Set(["labels", "unit", "legalBasis", "id", "names"])

function isDuration(v: unknown): v is { workingDays: number } | { calendarDays: number } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && ("workingDays" in v || "calendarDays" in v)
}

/** A value as the documentation shows it: a duration in words, a chain with arrows, a fine as a range. */
export function formatValue(v: unknown): string {
  if (isDuration(v)) {
    const [n, unit] = "workingDays" in v ? [v.workingDays, "working day"] : [v.calendarDays, "day"]
    return `${n} ${unit}${n === 1 ? "" : "s"}`
  }
  if (Array.isArray(v)) return v.length ? v.map(String).join(" → ") : "(none)"
  if (typeof v === "object" && v !== null && "min" in v && "max" in v) {
    const f = v as { min: number; max: number }
    return `${f.min.toLocaleString("en-US")}–${f.max.toLocaleString("en-US")} VND`
  }
  return typeof v === "string" ? `\`${v}\`` : String(v)
}

/**
 * Every configured value of a workflow's section (durations, chains, bounds,
 * quorum, report dates, …) as rows of JSON Pointer, shown value and basis.
 *
 * @example
 * configValues(vinhPhuc, "violation").find((r) => r.path.endsWith("/complaintWindow")) // { value: "90 days", basis: { cited: true, … } }
 */
export function configValues(province: Province, workflow: keyof Province["workflows"]): Array<{ path: string; value: string; basis: ValueBasis }> {
  const rows: Array<{ path: string; value: string; basis: ValueBasis }> = []
  const walk = (v: unknown, path: string) => {
    // An approval step: who acts and how is one fact, cited (or not) through its role; its deadline is another.
    if (typeof v === "object" && v !== null && "role" in v && "act" in v) {
      const step = v as { role: string; agency?: string; act: string; deadline?: unknown }
      rows.push({ path, value: `\`${step.role}\` (${step.agency ?? "any"}) ${step.act}s`, basis: basisOf(province, `${path}/role`) })
      if (step.deadline !== undefined) walk(step.deadline, `${path}/deadline`)
      return
    }
    const leaf = isDuration(v) || (Array.isArray(v) && v.every((x) => typeof x !== "object")) || typeof v !== "object" || v === null || ("min" in v && "max" in v)
    if (leaf) {
      rows.push({ path, value: formatValue(v), basis: basisOf(province, path) })
      return
    }
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v as object)
    for (const [k, child] of entries) if (!WORDS.has(k)) walk(child, `${path}/${k}`)
  }
  walk(province.workflows[workflow], `/workflows/${workflow}`)
  return rows
}
