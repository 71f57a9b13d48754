import type { Duration, JsonSchema, Label, ValidationIssue } from "@civicase/core"
import { duplicateIds } from "../province/duplicate-ids.js"
import { durationSchema as duration, labelSchema as label, roleNameSchema } from "../province/schema-parts.js"

/** How grave an incident is (mức độ nghiêm trọng); deadlines shrink and the approval chain grows with it. */
export type Severity = "low" | "medium" | "high" | "critical"

/** The severities, least grave first. */
export const severities: ReadonlyArray<Severity> = ["low", "medium", "high", "critical"]

/** The deadlines of one severity; each counts from entering its step. */
export interface PressResponseDeadlines {
  /** From the report to triage (phân loại). */
  readonly triage: Duration
  /** From triage to the established facts (xác minh). */
  readonly factFinding: Duration
  /** From the facts to a draft statement ready for review. */
  readonly drafting: Duration
  /** For each approver of the chain. */
  readonly review: Duration
  /** From triage to publication (công bố thông tin). */
  readonly publication: Duration
  /** How long to monitor after publication before the after-action report is due. */
  readonly monitoring: Duration
}

/**
 * The `press-response` section of a province configuration (xử lý thông tin
 * báo chí về sự cố nhạy cảm).
 *
 * @example
 * const section: PressResponseConfig = {
 *   categories: [{ id: "false_information", labels: { vi: "Thông tin sai sự thật", en: "False information" } }],
 *   approvalChains: { low: [], medium: ["coordinator_head"], high: ["coordinator_head", "province_leader"], critical: ["coordinator_head", "province_leader"] },
 *   escalationChain: ["coordinator", "coordinator_head", "province_leader"],
 *   deadlines: { critical: { triage: "PT1H", factFinding: "PT6H", drafting: "PT4H", review: "PT2H", publication: "PT24H", monitoring: "P3D" }, ... },
 *   reopenWindow: { workingDays: 10 },
 * }
 */
export interface PressResponseConfig {
  readonly categories: ReadonlyArray<{ readonly id: string; readonly labels: Label }>
  readonly approvalChains: Readonly<Record<Severity, ReadonlyArray<string>>>
  readonly escalationChain: ReadonlyArray<string>
  readonly deadlines: Readonly<Record<Severity, PressResponseDeadlines>>
  readonly reopenWindow: Duration
}

const severityDeadlines: JsonSchema = {
  type: "object",
  description: "The deadlines of one severity.",
  required: ["triage", "factFinding", "drafting", "review", "publication", "monitoring"],
  properties: {
    triage: duration("From the report to triage by the coordinator."),
    factFinding: duration("From triage to the facts recorded by the responsible agency."),
    drafting: duration("From the facts to a draft statement submitted for review."),
    review: duration("For each approver of the chain."),
    publication: duration("From triage to publication of the statement."),
    monitoring: duration("Monitoring period after publication; when it ends the after-action report is due."),
  },
  additionalProperties: false,
}

const bySeverity = (description: string, value: JsonSchema): JsonSchema => ({
  type: "object",
  description,
  required: [...severities],
  properties: Object.fromEntries(severities.map((s) => [s, value])),
  additionalProperties: false,
})

/**
 * JSON Schema of `province.workflows["press-response"]`.
 *
 * @example
 * import { compileSchema } from "@civicase/core"
 * compileSchema(pressResponseConfigSchema)(province.workflows["press-response"]) // [] when valid
 */
export const pressResponseConfigSchema: JsonSchema = {
  type: "object",
  title: "press-response",
  description: "Sensitive-incident press response (xử lý, cung cấp thông tin cho báo chí về sự cố nhạy cảm).",
  required: ["categories", "approvalChains", "escalationChain", "deadlines", "reopenWindow"],
  properties: {
    categories: {
      type: "array",
      description: "Incident categories the coordinator chooses from at triage.",
      minItems: 1,
      items: {
        type: "object",
        required: ["id", "labels"],
        properties: { id: { type: "string", pattern: "^[a-z][a-z0-9_]*$", description: "Stable id." }, labels: label },
        additionalProperties: false,
      },
    },
    approvalChains: bySeverity("Roles that approve the statement, in order, for each severity; an empty chain publishes without review.", {
      type: "array",
      items: roleNameSchema,
      uniqueItems: true,
    }),
    escalationChain: {
      type: "array",
      description: "Who is alerted when a deadline is missed, lowest first; each missed deadline moves one level up.",
      minItems: 1,
      items: roleNameSchema,
      uniqueItems: true,
    },
    deadlines: bySeverity("Deadlines for each severity; they shrink as severity grows.", severityDeadlines),
    reopenWindow: duration("How long a closed case may be re-opened before it is archived."),
  },
  additionalProperties: false,
}

/**
 * What the schema cannot say of a schema-valid `press-response` section:
 * each category id once, and every role of the approval and escalation
 * chains one the province gives to some agency (`roles`, the keys of the
 * province's role map), or no one could approve or be alerted.
 *
 * @example
 * pressResponseSectionProblems(section, new Set(Object.keys(province.roles))) // [] when consistent
 */
export function pressResponseSectionProblems(config: PressResponseConfig, roles: ReadonlySet<string>): ValidationIssue[] {
  const at = "/workflows/press-response"
  const issues = duplicateIds(config.categories, `${at}/categories`, "category")
  const unheld = (role: string) => `names the role "${role}", which no agency holds (add it to /roles)`
  for (const severity of severities) {
    config.approvalChains[severity].forEach((role, i) => {
      if (!roles.has(role)) issues.push({ path: `${at}/approvalChains/${severity}/${i}`, message: unheld(role) })
    })
  }
  config.escalationChain.forEach((role, i) => {
    if (!roles.has(role)) issues.push({ path: `${at}/escalationChain/${i}`, message: unheld(role) })
  })
  return issues
}
