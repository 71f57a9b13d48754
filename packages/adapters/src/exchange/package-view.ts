import { valueAt } from "@civicase/core"
import type { EdxmlPackage } from "../edxml/model.js"
import type { ExchangeFieldMap } from "./exchange-rules.js"

/**
 * What receive rules read from an incoming package: its header fields under
 * the model's names, plus `fromAgency` (the province's own id of the sender
 * when its code is in the province file).
 *
 * @example
 * { documentId: "000.00.01.G12,2025/03/10,112/QĐ-KT", subject: "Quyết định tặng Bằng khen…", code: { codeNumber: "112", codeNotation: "QĐ-KT" },
 *   from: { organId: "000.00.01.G12", organName: "Ban Thi đua – Khen thưởng Trung ương" }, fromAgency: null, … }
 */
export function packageView(pkg: EdxmlPackage, fromAgency: string | undefined): Record<string, unknown> {
  return {
    documentId: pkg.documentId,
    subject: pkg.subject,
    ...(pkg.content === undefined ? {} : { content: pkg.content }),
    code: pkg.code,
    codeText: `${pkg.code.codeNumber}/${pkg.code.codeNotation}`,
    from: pkg.from,
    fromAgency: fromAgency ?? null,
    promulgationInfo: pkg.promulgationInfo,
    documentType: pkg.documentType,
    signerInfo: pkg.signerInfo,
    ...(pkg.dueDate === undefined ? {} : { dueDate: pkg.dueDate }),
    ...(pkg.toPlaces === undefined ? {} : { toPlaces: pkg.toPlaces }),
    ...(pkg.steeringType === undefined ? {} : { steeringType: pkg.steeringType }),
    ...(pkg.responseFor?.[0] ? { responseFor: pkg.responseFor[0] } : {}),
  }
}


/**
 * Builds a case input or event payload from a field map: pointers read the
 * view (a pointer that finds nothing, or null, leaves the field out),
 * `{ value }` is a constant, an object nests. The workflow's schema judges
 * the result.
 *
 * @example
 * mapFields({ summary: "/subject", subject: { name: "/from/organName" }, source: { value: "complaint" } }, view)
 */
export function mapFields(map: ExchangeFieldMap, view: unknown): Record<string, unknown> {
  const out = new Map<string, unknown>()
  for (const [field, source] of Object.entries(map)) {
    let value: unknown
    if (typeof source === "string") value = valueAt(view, source)
    else if (Object.hasOwn(source, "value")) value = (source as { value: unknown }).value
    else value = mapFields(source as ExchangeFieldMap, view)
    if (value !== undefined && value !== null) out.set(field, value)
  }
  return Object.fromEntries(out)
}
