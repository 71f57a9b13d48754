import { compileSchema, InvalidConfigError } from "@civicase/core"
import type { Province } from "../province/types.js"
import { type ViolationConfig, violationConfigSchema, violationSectionProblems } from "./config.js"

const check = compileSchema(violationConfigSchema)

/**
 * The `violation` section of `province`, checked (schema, penalty ids, fine bounds);
 * a bad section is refused with every path. Both versions read it.
 *
 * @example
 * violationSectionOf(province).penalties.map((p) => p.id) // ["warning", "fine_minor", …]
 */
export function violationSectionOf(province: Province): ViolationConfig {
  const section = province.workflows.violation
  const issues = check(section).map((i) => ({ path: `/workflows/violation${i.path === "/" ? "" : i.path}`, message: i.message }))
  if (!issues.length) issues.push(...violationSectionProblems(section as ViolationConfig))
  if (issues.length) throw new InvalidConfigError(`province ${province.id}`, issues)
  return section as ViolationConfig
}

/**
 * The agency that inspects: the province's lead department for external information (Sở TT&TT).
 *
 * @example
 * inspectingAgencyOf(vinhPhuc) // "so-tttt"
 */
export function inspectingAgencyOf(province: Province): string {
  const lead = province.agencies.find((a) => a.kind === "lead_department" && !a.retired)
  if (!lead) throw new InvalidConfigError(`province ${province.id}`, [{ path: "/agencies", message: "the violation workflow needs an active agency of kind lead_department" }])
  return lead.id
}
