import { InvalidConfigError, type ValidationIssue, compileSchema } from "@civicase/core"
import type { EdxmlDocumentType, EdxmlSteeringType } from "../edxml/model.js"

/**
 * Who receives an outgoing package: the agencies of a role (as the province
 * binds it), the case's owner, lead or cooperating agencies, an agency named
 * in the case's context (a JSON pointer to an agency id), or a fixed national
 * code (a central body outside the province).
 *
 * @example
 * { role: "coordinator" } // the coordinator (Sở TT&TT)
 * { party: "lead" }       // the lead agency of a coordination task
 * { contextAgency: "/report/subject/agency" } // the agency a sanction concerns
 * { code: "000.00.00.G12" } // Ban Thi đua – Khen thưởng Trung ương
 */
export type ExchangeRecipient =
  | { readonly role: string }
  | { readonly party: "owner" | "lead" | "cooperating" }
  | { readonly contextAgency: string }
  | { readonly code: string }

/**
 * A case event that leaves as an edXML package (gửi văn bản đi): which
 * workflow and event (`case.created` for a new case), to whom, as which
 * document type, and the notation (ký hiệu) its code carries.
 *
 * @example
 * { workflow: "plan", event: "APPROVE", to: [{ role: "coordinator" }], documentType: { type: 9, typeName: "Kế hoạch" },
 *   notation: "KH", subject: "Kế hoạch thông tin đối ngoại đã được phê duyệt" }
 */
export interface ExchangeSendRule {
  readonly workflow: string
  readonly event: string
  readonly to: ReadonlyArray<ExchangeRecipient>
  readonly documentType: EdxmlDocumentType
  /** `CodeNotation` of the package (ký hiệu), e.g. `KH-STTTT`. */
  readonly notation: string
  /** The package's `Subject` (trích yếu); the case title follows it. */
  readonly subject: string
  readonly steeringType?: EdxmlSteeringType
}

/**
 * A field of a case input or event payload built from an incoming package:
 * a JSON pointer into the package view (`/subject`, `/from/organName`,
 * `/code/codeNumber`, `/fromAgency`), a constant `{ value }`, or an object of
 * such fields.
 *
 * @example
 * { source: { value: "complaint" }, summary: "/subject", subject: { name: "/from/organName" }, reference: "/documentId" }
 */
export type ExchangeFieldMap = { readonly [field: string]: string | { readonly value: unknown } | ExchangeFieldMap }

/**
 * What an incoming package does (nhận văn bản đến): the first rule whose
 * `match` fits decides. `create` starts a case; `event` sends an event to the
 * case whose package this one answers (`ResponseFor`).
 *
 * @example
 * { match: { typeName: "Quyết định", responseFor: true }, event: { type: "RECORD_CENTRAL_DECISION", payload: { granted: { value: true }, decisionNumber: "/code/codeNumber", decisionDocument: "/documents/0" } } }
 * { match: { typeName: "Đơn khiếu nại" }, create: { workflow: "violation", input: { source: { value: "complaint" }, summary: "/subject", subject: { name: "/from/organName" } } } }
 */
export interface ExchangeReceiveRule {
  readonly match: {
    readonly type?: number
    readonly typeName?: string
    /** Sender codes; any sender when absent. */
    readonly from?: ReadonlyArray<string>
    /** True: only packages answering one this province sent; false: only others. */
    readonly responseFor?: boolean
  }
  readonly create?: { readonly workflow: string; readonly input: ExchangeFieldMap }
  readonly event?: { readonly type: string; readonly payload?: ExchangeFieldMap }
}

/**
 * The exchange section of the integration file (`"exchange": { … }`): the
 * agency of the exchange actor, the place written on packages, which
 * inboxes to poll, and the send and receive rules.
 *
 * @example
 * { agency: "so-tttt", place: "Vĩnh Phúc", pollSeconds: 30,
 *   send: [{ workflow: "plan", event: "APPROVE", to: [{ role: "coordinator" }], documentType: { type: 9, typeName: "Kế hoạch" }, notation: "KH", subject: "Kế hoạch đã phê duyệt" }],
 *   receive: [{ match: { typeName: "Đơn khiếu nại" }, create: { workflow: "violation", input: { source: { value: "complaint" }, summary: "/subject", subject: { name: "/from/organName" } } } }] }
 */
export interface ExchangeRules {
  /** The agency of the exchange actor (`exchange:platform`, role `integration`): one the province binds to that role. */
  readonly agency: string
  /** `PromulgationInfo/Place` of outgoing packages (the province's name). */
  readonly place: string
  /** Agency ids whose platform inboxes are read; default every agency with a code. */
  readonly inboxes?: ReadonlyArray<string>
  /** Seconds between polls; default 30. */
  readonly pollSeconds?: number
  /** Messages read per inbox per poll; default 20. */
  readonly pollLimit?: number
  /** The role of the exchange actor; default `integration`. */
  readonly integrationRole?: string
  /** Report the progress of cases started by a package back to its sender; default true. */
  readonly statusFeedback?: boolean
  readonly send?: ReadonlyArray<ExchangeSendRule>
  readonly receive?: ReadonlyArray<ExchangeReceiveRule>
}

const text = { type: "string", minLength: 1, maxLength: 500 } as const
const pointer = { type: "string", pattern: "^(/([^~/]|~[01])*)+$", maxLength: 500 } as const
const fieldMap: Record<string, unknown> = {
  type: "object",
  maxProperties: 50,
  additionalProperties: { anyOf: [pointer, { type: "object", required: ["value"], properties: { value: {} }, additionalProperties: false }, { $ref: "#/$defs/fieldMap" }] },
}

/** The JSON Schema of {@link ExchangeRules}, as the integration file's `exchange` section. */
export const exchangeRulesSchema = {
  $defs: { fieldMap },
  type: "object",
  required: ["agency", "place"],
  properties: {
    agency: text,
    place: text,
    inboxes: { type: "array", maxItems: 200, items: text },
    pollSeconds: { type: "integer", minimum: 1, maximum: 86400 },
    pollLimit: { type: "integer", minimum: 1, maximum: 100 },
    integrationRole: text,
    statusFeedback: { type: "boolean" },
    send: {
      type: "array",
      maxItems: 200,
      items: {
        type: "object",
        required: ["workflow", "event", "to", "documentType", "notation", "subject"],
        properties: {
          workflow: text,
          event: text,
          to: {
            type: "array",
            minItems: 1,
            maxItems: 50,
            items: {
              anyOf: [
                { type: "object", required: ["role"], properties: { role: text }, additionalProperties: false },
                { type: "object", required: ["party"], properties: { party: { enum: ["owner", "lead", "cooperating"] } }, additionalProperties: false },
                { type: "object", required: ["contextAgency"], properties: { contextAgency: pointer }, additionalProperties: false },
                { type: "object", required: ["code"], properties: { code: { type: "string", pattern: "^[A-Za-z0-9._-]{1,64}$" } }, additionalProperties: false },
              ],
            },
          },
          documentType: {
            type: "object",
            required: ["type", "typeName"],
            properties: { type: { type: "integer", minimum: 0, maximum: 9999 }, typeDetail: { type: "integer", minimum: 0, maximum: 9999 }, typeName: text },
            additionalProperties: false,
          },
          notation: { type: "string", pattern: "^[^/,\\s]{1,40}$" },
          subject: text,
          steeringType: { enum: [0, 1, 2] },
        },
        additionalProperties: false,
      },
    },
    receive: {
      type: "array",
      maxItems: 200,
      items: {
        type: "object",
        required: ["match"],
        properties: {
          match: {
            type: "object",
            properties: {
              type: { type: "integer", minimum: 0, maximum: 9999 },
              typeName: text,
              from: { type: "array", maxItems: 200, items: text },
              responseFor: { type: "boolean" },
            },
            additionalProperties: false,
          },
          create: { type: "object", required: ["workflow", "input"], properties: { workflow: text, input: { $ref: "#/$defs/fieldMap" } }, additionalProperties: false },
          event: { type: "object", required: ["type"], properties: { type: text, payload: { $ref: "#/$defs/fieldMap" } }, additionalProperties: false },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
} as const

const check = compileSchema(exchangeRulesSchema)

/**
 * Checks exchange rules, listing every problem by path under `prefix`
 * (`/exchange/send/0/to/0`): the schema, then each receive rule has exactly
 * one of `create` and `event`, and an `event` rule answers a package
 * (`match.responseFor: true`).
 *
 * @example
 * const problems = exchangeRulesIssues(file.exchange, "/exchange")
 */
export function exchangeRulesIssues(rules: unknown, prefix = ""): ValidationIssue[] {
  const issues = check(rules).map((i) => ({ path: `${prefix}${i.path === "/" ? "" : i.path}` || "/", message: i.message }))
  if (issues.length) return issues
  for (const [i, r] of ((rules as ExchangeRules).receive ?? []).entries()) {
    if (!r.create === !r.event) issues.push({ path: `${prefix}/receive/${i}`, message: "must have exactly one of create and event" })
    else if (r.event && r.match.responseFor !== true) issues.push({ path: `${prefix}/receive/${i}/match/responseFor`, message: "must be true for an event rule: the event goes to the case whose package this one answers" })
  }
  return issues
}

/** Throws `InvalidConfigError` listing every problem of `rules`. */
export function checkExchangeRules(rules: unknown, prefix = ""): ExchangeRules {
  const issues = exchangeRulesIssues(rules, prefix)
  if (issues.length) throw new InvalidConfigError("exchange rules", issues)
  return rules as ExchangeRules
}
