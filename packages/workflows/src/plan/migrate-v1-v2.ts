import type { CaseMigrationPlan, MigrationCaseInfo } from "@civicase/core"
import type { Province } from "../province/types.js"
import { type ApprovalStep, defaultApproval, type PlanConfig } from "./config.js"
import type { PlanContext, PeriodProgress } from "./machine.js"
import type { ApprovalDecision, PeriodReport, PlanV2Context } from "./v2/machine.js"

/**
 * Every state a running plan case of version 1 may be in, and its version 2
 * equivalent. Version 1's coordinator review (`submitted`, `under_review`),
 * appraisal and leader approval are steps of version 2's one `approval`
 * state, whose `step` the context function sets; `approved` is `issued`.
 */
export const planV1toV2States: Readonly<Record<string, string>> = {
  draft: "draft",
  submitted: "approval",
  under_review: "approval",
  revision_requested: "revision_requested",
  appraisal: "approval",
  leader_approval: "approval",
  approved: "issued",
  "in_implementation.awaiting_report": "in_implementation.awaiting_report",
  "in_implementation.overdue": "in_implementation.overdue",
  "in_implementation.report_review": "in_implementation.report_review",
  summarizing: "summarizing",
}

const strip = (steps: ReadonlyArray<ApprovalStep>) => steps.map(({ role, agency, act }) => ({ role, agency, act }))

/** A figure of a version 1 report ("120", "95%") as a number, or undefined when it is not one. */
function figure(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const n = Number(text.replace(/[%\s]/g, "").replace(",", "."))
  return Number.isFinite(n) && n >= 0 ? n : undefined
}

/** Figures by indicator id: a version 1 indicator named by a catalogue id or label (vi or en) whose figure is a number. */
function numbers(ids: ReadonlyMap<string, string>, pairs: ReadonlyArray<readonly [string, string | undefined]>): Record<string, number> {
  const out = new Map<string, number>()
  for (const [name, v] of pairs) {
    const id = ids.get(name.trim())
    const n = figure(v)
    if (id !== undefined && n !== undefined) out.set(id, n)
  }
  return Object.fromEntries(out)
}

/**
 * The migration plan of `plan` cases from version 1 to version 2 for
 * `province`: states as {@link planV1toV2States}; the context keeps the
 * case's data, turns version 1's approvals into version 2's decisions, its
 * indicator targets and reported figures into numbers by catalogue indicator
 * (matched by id or label; a name not in the catalogue or a figure that is not
 * a number is left out), and places a case in approval at the
 * step of the province's chain that matches its version 1 step (review:
 * the first; appraisal: the chain's appraisal; leader approval: the last).
 * Pending deadlines are recomputed from the day of the move under the
 * version 2 deadlines.
 *
 * @example
 * const report = await engine.migrateCases(planV1toV2(province), { actor: engine.access.systemActor(province.id), dryRun: true })
 */
export function planV1toV2(province: Province): CaseMigrationPlan {
  const config = province.workflows.plan as PlanConfig
  const approval = config.approval ?? defaultApproval(config.deadlines)
  const ids = new Map<string, string>()
  for (const i of config.indicators ?? []) for (const name of [i.id, i.labels.vi, i.labels.en]) ids.set(name, i.id)
  return {
    workflow: "plan",
    from: 1,
    to: 2,
    states: planV1toV2States,
    deadlines: "recompute",
    reason: "Chuyển hồ sơ kế hoạch sang phiên bản 2 (Kế hoạch 155/KH-UBND) · moved to plan version 2",
    context: (value: unknown, info: MigrationCaseInfo): PlanV2Context => {
      const c = value as PlanContext
      if (!c || typeof c !== "object" || !Array.isArray(c.periods)) throw new Error("the case has no plan context of version 1")
      const provincial = c.isProject || info.from === "appraisal" || info.from === "leader_approval"
      const route = provincial ? "provincial" : "agency"
      const chain = strip(approval[route])
      let step = 0
      if (info.from === "appraisal") {
        step = chain.findIndex((s) => s.act === "appraise")
        if (step < 0) throw new Error(`the province's ${route} approval chain has no appraisal step`)
      } else if (info.from === "leader_approval") step = chain.length - 1
      const roleOf = { review: "coordinator", appraisal: "coordinator_head", leader: "province_leader" } as const
      const decisions: ApprovalDecision[] = c.approvals.map((a) => ({
        step: a.step === "review" ? 0 : a.step === "appraisal" ? Math.max(0, chain.findIndex((s) => s.act === "appraise")) : chain.length - 1,
        role: roleOf[a.step],
        act: a.step === "appraisal" ? "appraise" : "approve",
        by: a.by,
        agency: "",
        ...(a.step === "appraisal" ? { favourable: true } : {}),
        note: a.note,
      }))
      const issuedStates = new Set(["approved", "in_implementation.awaiting_report", "in_implementation.overdue", "in_implementation.report_review", "summarizing"])
      const last = c.approvals.at(-1)
      const periods: PeriodReport[] = c.periods.map((p: PeriodProgress) => ({
        ...p,
        report: p.report ? { summary: p.report.summary, values: numbers(ids, p.report.indicators.map((i) => [i.name, i.achieved] as const)), by: p.report.by } : null,
      }))
      return {
        caseId: c.caseId,
        title: c.title,
        year: c.year,
        owner: c.owner,
        isProject: c.isProject,
        route,
        chain,
        step,
        decisions,
        revisions: c.revisions,
        comments: c.comments.map((k) => ({ by: k.by, agency: "", kind: "guidance" as const, text: `[${k.step}] ${k.text}` })),
        issued: issuedStates.has(info.from) ? { by: last?.by ?? "", agency: "", role: last ? roleOf[last.step] : "", decision: last?.step === "leader" ? last.note : null } : null,
        targets: numbers(ids, c.indicators.map((i) => [i.name, i.target] as const)),
        escalations: c.escalations,
        periods,
        current: c.current,
        summary: c.summary
          ? {
              periodsAccepted: c.summary.periodsAccepted,
              periodsLate: c.summary.periodsLate,
              indicators: c.summary.indicators.map((i) => ({ id: ids.get(i.name.trim()) ?? i.name, target: figure(i.target) ?? null, reached: figure(i.achieved ?? undefined) ?? null })),
            }
          : null,
        closure: c.closure,
        ...(c.successions ? { successions: c.successions } : {}),
      }
    },
  }
}
