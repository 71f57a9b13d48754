import { compileSchema } from "../workflow/json-schema.js"

/**
 * The metadata of an official decision (văn bản quyết định), as Decree
 * 30/2020/NĐ-CP on administrative documents names it: number (số), symbol
 * (ký hiệu), type (loại văn bản), signer (người ký) and date of issue.
 * Sanction decisions, award decisions and approved plans are documents that
 * carry one.
 *
 * @example
 * const d: Decision = { number: "125", notation: "QĐ-UBND", documentType: "Quyết định", signer: { name: "Trần Văn B", position: "Phó Chủ tịch UBND tỉnh" }, issuedOn: "2025-03-10" }
 */
export interface Decision {
  /** Số: the register number, such as "125" or "125/2025". */
  readonly number: string
  /** Ký hiệu: the symbol after the number, such as "QĐ-UBND". */
  readonly notation: string
  /** Loại văn bản: Quyết định, Kế hoạch, Công văn, … */
  readonly documentType: string
  readonly signer: { readonly name: string; readonly position: string }
  /** Ngày ban hành, `YYYY-MM-DD`. */
  readonly issuedOn: string
}

const line = (max: number, description: string) => ({ type: "string", minLength: 1, maxLength: max, pattern: "\\S", description })

/** The JSON Schema of {@link Decision}. */
export const decisionSchema = {
  type: "object",
  required: ["number", "notation", "documentType", "signer", "issuedOn"],
  properties: {
    number: line(50, "Số"),
    notation: line(100, "Ký hiệu"),
    documentType: line(100, "Loại văn bản"),
    signer: {
      type: "object",
      required: ["name", "position"],
      properties: { name: line(200, "Người ký"), position: line(200, "Chức vụ") },
      additionalProperties: false,
    },
    issuedOn: { type: "string", format: "date", description: "Ngày ban hành" },
  },
  additionalProperties: false,
} as const

/**
 * Checks decision metadata; issues carry paths under `/decision`.
 *
 * @example
 * checkDecision({ number: "125" }) // [{ path: "/decision/notation", message: "must have required property 'notation'" }, …]
 */
export const checkDecision = (() => {
  const check = compileSchema(decisionSchema)
  return (value: unknown) => check(value).map((i) => ({ path: `/decision${i.path === "/" ? "" : i.path}`, message: i.message }))
})()
