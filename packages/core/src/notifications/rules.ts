import { InvalidConfigError, type ValidationIssue } from "../errors/errors.js"
import { durationProblem } from "../timers/duration.js"
import { compileSchema } from "../workflow/json-schema.js"

/**
 * Who a rule tells (người nhận): `assignee` is the case's assignee at the time
 * of sending; `recipient` is the person a message names (the new assignee of
 * `assigned`, the person mentioned in `mention`); a role, optionally only in
 * the case's agencies (`"agency": "case"`) or in one agency; or one person.
 *
 * @example
 * ["assignee", { "role": "agency_head", "agency": "case" }, { "person": "u-17" }]
 */
export type RecipientSpec =
  | "assignee"
  | "recipient"
  | { readonly role: string; readonly agency?: string }
  | { readonly agency: string; readonly role?: undefined }
  | { readonly person: string }

/** The kinds of notification a rule can ask for. */
export type NotificationKind = "reminder" | "missed" | "escalation" | "assigned" | "mention"

/**
 * One notification rule (quy tắc thông báo).
 *
 * @example
 * { "on": "reminder", "before": { "workingDays": 1 }, "workflows": ["press-response"], "to": ["assignee"] }
 * { "on": "escalation", "topics": ["press-response.escalated"], "to": [{ "role": "coordinator" }] }
 */
export interface NotificationRule {
  /** A name shown in logs; default `<on>#<index>`. Reminders are keyed by it: renaming one re-sends reminders already sent. */
  readonly id?: string
  readonly on: NotificationKind
  /** Only for `reminder`: how long before the deadline, `{ "workingDays": n }` on the province calendar or an ISO 8601 duration (elapsed time). */
  readonly before?: string | { readonly workingDays: number }
  /** Only these deadline names (`reminder`, `missed`); all when absent. */
  readonly deadlines?: ReadonlyArray<string>
  /** Only cases of these workflows; all when absent. */
  readonly workflows?: ReadonlyArray<string>
  /** Only for `escalation`: the emitted event types that are escalations. */
  readonly topics?: ReadonlyArray<string>
  readonly to: ReadonlyArray<RecipientSpec>
  /** Channel names to use (`email`, `live`); all configured ones when absent. */
  readonly channels?: ReadonlyArray<string>
}

/**
 * The notification file (tệp thông báo) kept next to the province file: the
 * rules, and the public base URL that links in messages start with.
 *
 * @example
 * { "baseUrl": "https://civicase.vinhphuc.gov.vn", "rules": [{ "on": "mention", "to": ["recipient"] }] }
 */
export interface NotificationRules {
  /** Public address of the deployment; a case link is `<baseUrl>/cases/<id>`. */
  readonly baseUrl?: string
  readonly rules: ReadonlyArray<NotificationRule>
}

const name = { type: "string", minLength: 1, maxLength: 100, pattern: "^[A-Za-z0-9_.:@-]+$" } as const
const names = { type: "array", minItems: 1, maxItems: 100, items: name } as const
const recipient = {
  anyOf: [
    { enum: ["assignee", "recipient"] },
    { type: "object", required: ["role"], properties: { role: name, agency: name }, additionalProperties: false },
    { type: "object", required: ["agency"], properties: { agency: name }, additionalProperties: false },
    { type: "object", required: ["person"], properties: { person: name }, additionalProperties: false },
  ],
} as const

/** The JSON Schema of the notification file. */
export const notificationRulesSchema = {
  type: "object",
  required: ["rules"],
  properties: {
    baseUrl: { type: "string", pattern: "^https?://[^\\s]+$", maxLength: 500 },
    rules: {
      type: "array",
      maxItems: 200,
      items: {
        type: "object",
        required: ["on", "to"],
        properties: {
          id: name,
          on: { enum: ["reminder", "missed", "escalation", "assigned", "mention"] },
          before: { anyOf: [{ type: "string", maxLength: 50 }, { type: "object", required: ["workingDays"], properties: { workingDays: { type: "integer", minimum: 1, maximum: 60 } }, additionalProperties: false }] },
          deadlines: names,
          workflows: names,
          topics: names,
          to: { type: "array", minItems: 1, maxItems: 50, items: recipient },
          channels: { type: "array", minItems: 1, maxItems: 10, items: name },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
} as const

const check = compileSchema(notificationRulesSchema)

/** Every problem of a notification file, by path (empty when it is valid). */
export function notificationRulesProblems(value: unknown): ValidationIssue[] {
  const issues = check(value)
  if (issues.length) return issues
  const rules = (value as NotificationRules).rules
  const ids = new Set<string>()
  for (const [i, rule] of rules.entries()) {
    const at = `/rules/${i}`
    if (rule.on === "reminder") {
      if (rule.before === undefined) issues.push({ path: at, message: "a reminder needs \"before\": { \"workingDays\": n } or an ISO 8601 duration such as \"PT4H\"" })
      else if (typeof rule.before === "string") {
        const problem = durationProblem(rule.before)
        if (problem) issues.push({ path: `${at}/before`, message: problem })
      }
    } else if (rule.before !== undefined) issues.push({ path: `${at}/before`, message: "only a reminder has \"before\"" })
    if (rule.on === "escalation" && !rule.topics) issues.push({ path: at, message: "an escalation needs \"topics\": the emitted event types that are escalations" })
    if (rule.on !== "escalation" && rule.topics) issues.push({ path: `${at}/topics`, message: "only an escalation has \"topics\"" })
    if (rule.deadlines && rule.on !== "reminder" && rule.on !== "missed") issues.push({ path: `${at}/deadlines`, message: "only a reminder or a missed deadline has \"deadlines\"" })
    for (const [j, to] of rule.to.entries()) {
      if (to === "recipient" && rule.on !== "assigned" && rule.on !== "mention") {
        issues.push({ path: `${at}/to/${j}`, message: "\"recipient\" is the person an assignment or a mention names; use it with \"on\": \"assigned\" or \"mention\"" })
      }
    }
    const id = ruleId(rule, i)
    if (ids.has(id)) issues.push({ path: `${at}/id`, message: `rule id ${id} is used twice` })
    ids.add(id)
  }
  return issues
}

/**
 * Checks a notification file and returns it typed; `InvalidConfigError`
 * listing every problem by path otherwise.
 *
 * @example
 * const rules = notificationRules(JSON.parse(readFileSync("notifications.json", "utf8")))
 */
export function notificationRules(value: unknown, source = "notification rules"): NotificationRules {
  const problems = notificationRulesProblems(value)
  if (problems.length) throw new InvalidConfigError(source, problems)
  return value as NotificationRules
}

/** The rule's id: its own, or `<on>#<index>`. */
export function ruleId(rule: NotificationRule, index: number): string {
  return rule.id ?? `${rule.on}#${index}`
}
