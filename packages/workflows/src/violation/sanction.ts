import type { JsonSchema } from "@civicase/core"
import type { ViolationConfig } from "./config.js"

/** A sanction as decided (quyết định xử phạt): legal basis, a penalty of the catalogue and, for a fine, its amount. */
export interface SanctionTerms {
  readonly legalBasis: ReadonlyArray<string>
  readonly penalty: string
  readonly amount?: number
  readonly measures?: ReadonlyArray<string>
}

/**
 * Why `terms` do not fit the catalogue, or undefined when they do. The guard
 * of the machine and the payload schema apply the same rule, so a wrong amount
 * is refused before anything is written.
 *
 * @example
 * sanctionProblem(config, { legalBasis: ["NĐ 119/2020 Đ.5"], penalty: "fine_minor", amount: 50_000_000 })
 * // "amount 50000000 is outside the bounds of penalty fine_minor: 1000000 to 5000000"
 */
export function sanctionProblem(config: ViolationConfig, terms: SanctionTerms): string | undefined {
  const penalty = config.penalties.find((p) => p.id === terms.penalty)
  if (!penalty) return `penalty ${terms.penalty} is not in the catalogue (${config.penalties.map((p) => p.id).join(", ")})`
  if (!penalty.fine) return terms.amount === undefined ? undefined : `penalty ${penalty.id} carries no fine; leave amount out`
  if (terms.amount === undefined) return `penalty ${penalty.id} is a fine: amount is required (${penalty.fine.min} to ${penalty.fine.max})`
  if (terms.amount < penalty.fine.min || terms.amount > penalty.fine.max) {
    return `amount ${terms.amount} is outside the bounds of penalty ${penalty.id}: ${penalty.fine.min} to ${penalty.fine.max}`
  }
  return undefined
}

/** The payload schema of sanction terms, with one bound per catalogue penalty. */
export function sanctionTermsSchema(config: ViolationConfig, extra: Record<string, JsonSchema> = {}, required: string[] = []): JsonSchema {
  return {
    type: "object",
    required: ["legalBasis", "penalty", ...required],
    properties: {
      legalBasis: {
        type: "array",
        minItems: 1,
        maxItems: 20,
        items: { type: "string", minLength: 1, maxLength: 500 },
        description: "The legal provisions the decision rests on (căn cứ pháp lý).",
      },
      penalty: { enum: config.penalties.map((p) => p.id), description: "A penalty of the province catalogue." },
      amount: { type: "integer", minimum: 0, description: "The fine in VND, within the bounds of the penalty; only for fines." },
      measures: {
        type: "array",
        maxItems: 20,
        items: { type: "string", minLength: 1, maxLength: 1000 },
        description: "Remedial measures (biện pháp khắc phục hậu quả), such as taking content down.",
      },
      ...extra,
    },
    additionalProperties: false,
    allOf: config.penalties.map((p) => ({
      if: { properties: { penalty: { const: p.id } }, required: ["penalty"] },
      then: p.fine
        ? { required: ["amount"], properties: { amount: { minimum: p.fine.min, maximum: p.fine.max } } }
        : { not: { required: ["amount"] } },
    })),
  }
}
