import { ownValue } from "@civicase/core"

/**
 * The province as the connector needs it: its agencies with their national
 * codes (`agencies[].code`, mã định danh) and which agencies hold each role.
 * A `Province` of `@civicase/workflows` is one.
 *
 * @example
 * { agencies: [{ id: "so-tttt", code: "000.00.14.H62", names: { vi: "Sở Thông tin và Truyền thông", en: "…" } }], roles: { coordinator: ["so-tttt"] } }
 */
export interface ExchangeDirectory {
  readonly agencies: ReadonlyArray<{ readonly id: string; readonly code?: string; readonly names?: { readonly vi: string }; readonly retired?: unknown }>
  readonly roles: Readonly<Record<string, ReadonlyArray<string>>>
}

/** Lookups both ways between agency ids and codes, and role holders. */
export interface DirectoryIndex {
  codeOf(agency: string): string | undefined
  agencyOf(code: string): string | undefined
  nameOf(agency: string): string
  holders(role: string): ReadonlyArray<string>
  /** Active agencies that have a code. */
  coded(): ReadonlyArray<string>
}

/** Indexes a directory (retired agencies keep their codes for lookups, not as role holders). */
export function directoryIndex(directory: ExchangeDirectory): DirectoryIndex {
  const byId = new Map(directory.agencies.map((a) => [a.id, a]))
  const byCode = new Map(directory.agencies.filter((a) => a.code).map((a) => [a.code!, a.id]))
  const active = directory.agencies.filter((a) => !a.retired).map((a) => a.id)
  return {
    codeOf: (agency) => byId.get(agency)?.code,
    agencyOf: (code) => byCode.get(code),
    nameOf: (agency) => byId.get(agency)?.names?.vi ?? agency,
    holders(role) {
      const held = ownValue(directory.roles as Record<string, ReadonlyArray<string>>, role) ?? []
      return held.includes("*") ? active : held.filter((a) => active.includes(a))
    },
    coded: () => directory.agencies.filter((a) => a.code && !a.retired).map((a) => a.id),
  }
}
