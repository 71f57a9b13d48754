import type { ExchangeDirectory } from "./directory.js"
import type { ExchangeSendRule } from "./exchange-rules.js"
import type { ExchangePlatform } from "./platform.js"

/**
 * The province's agencies matched to the platform's directory by code
 * (đồng bộ danh bạ): which match (with the platform's name), which have a
 * code the platform does not list, which have no code, and fixed recipient
 * codes of the send rules the platform does not list.
 *
 * @example
 * { matched: [{ agency: "so-tttt", code: "000.00.14.H62", name: "Sở TT&TT tỉnh Vĩnh Phúc" }],
 *   missing: [{ agency: "so-khdt", code: "000.00.20.H62" }], withoutCode: ["bao-vinh-phuc"], unknownRecipients: [] }
 */
export interface DirectorySync {
  readonly matched: ReadonlyArray<{ readonly agency: string; readonly code: string; readonly name: string }>
  readonly missing: ReadonlyArray<{ readonly agency: string; readonly code: string }>
  readonly withoutCode: ReadonlyArray<string>
  readonly unknownRecipients: ReadonlyArray<{ readonly path: string; readonly code: string }>
}

/**
 * Reads the platform's agency list and compares it with the province's,
 * keyed by agency code. Retired agencies are left out.
 *
 * @example
 * const report = await syncDirectory(platform, province, rules.send)
 * if (report.missing.length) console.warn("codes the platform does not know:", report.missing)
 */
export async function syncDirectory(platform: ExchangePlatform, directory: ExchangeDirectory, send: ReadonlyArray<ExchangeSendRule> = []): Promise<DirectorySync> {
  const listed = new Map((await platform.agencies()).map((a) => [a.code, a.name]))
  const matched: { agency: string; code: string; name: string }[] = []
  const missing: { agency: string; code: string }[] = []
  const withoutCode: string[] = []
  for (const a of directory.agencies) {
    if (a.retired) continue
    if (!a.code) withoutCode.push(a.id)
    else if (listed.has(a.code)) matched.push({ agency: a.id, code: a.code, name: listed.get(a.code)! })
    else missing.push({ agency: a.id, code: a.code })
  }
  const unknownRecipients: { path: string; code: string }[] = []
  for (const [i, rule] of send.entries()) {
    for (const [j, to] of rule.to.entries()) {
      if ("code" in to && !listed.has(to.code)) unknownRecipients.push({ path: `/send/${i}/to/${j}/code`, code: to.code })
    }
  }
  return { matched, missing, withoutCode, unknownRecipients }
}
