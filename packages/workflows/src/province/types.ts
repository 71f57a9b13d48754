import type { Calendar, Label } from "@civicase/core"

/**
 * Kinds of agency in a province (DOMAIN.md glossary): the lead department for
 * external information (Sở TT&TT), other departments and boards (sở, ban,
 * ngành), district and city committees (UBND huyện), commune and ward committees
 * (UBND xã, phường: the local level once districts were removed in 2025), press
 * agencies, and so on.
 */
export type AgencyKind =
  | "province"
  | "lead_department"
  | "department"
  | "district"
  | "commune"
  | "steering_committee"
  | "propaganda_board"
  | "press"
  | "commendation_council"
  | "other"

/** One agency of the province. */
export interface Agency {
  /** Stable id used in actors' `agency` claim, kebab-case (`so-tttt`). */
  readonly id: string
  readonly kind: AgencyKind
  readonly names: Label
  /** National agency code where known (mã định danh cơ quan). */
  readonly code?: string
  /** Set when the agency was retired or merged; open cases move to the successor through a recorded event. */
  readonly retired?: { readonly on: string; readonly successor: string }
}

/**
 * A province's working-day calendar: core's `Calendar` with its zone, weekly
 * days off and end of day always given; holidays come from `rules` (with
 * `compensation` and the yearly decisions in `years`) and/or the listed `holidays`.
 */
export type ProvinceCalendar = Calendar & { readonly timeZone: string; readonly weekend: ReadonlyArray<number>; readonly endOfDay: string }

/**
 * Which numbers of a province file rest on a cited source. DOMAIN.md: every
 * duration, severity ladder, approval chain, penalty bound, quorum and report
 * date is an illustrative default unless it cites its source; `sources` maps a
 * JSON Pointer into the file (a value or a whole section) to its citation.
 */
export interface ProvinceBasis {
  /** What the file says of its numbers, for people reading it. */
  readonly note?: Label
  /** JSON Pointer (`/workflows/violation/complaintWindow`) → the source it follows. */
  readonly sources?: Readonly<Record<string, string>>
}

/** Labels a province may set for display: role names, and its own wording of workflow titles. */
export interface ProvinceLabels {
  /** Display names of roles (`coordinator` → "Chuyên viên Sở TT&TT"). */
  readonly roles?: Readonly<Record<string, Label>>
  /** Titles of the workflows as the province calls them, by workflow id. */
  readonly workflows?: Readonly<Record<string, Label>>
}

/**
 * A province configuration: everything a province sets, nothing in code.
 * Each workflow reads its own section under `workflows` (its JSON Schema is
 * exported by the workflow module and composed into the province schema).
 *
 * @example
 * const province = loadProvince(provinceFiles.vinhPhuc)
 * province.agencies.find((a) => a.kind === "lead_department")?.id // "so-tttt"
 */
export interface Province {
  /** The JSON Schema the file declares, for editors; ignored by the loader. */
  readonly $schema?: string
  readonly id: string
  /** Version of this configuration document (a new one when agencies merge, deadlines change, …). */
  readonly version: number
  readonly names: Label
  readonly calendar: ProvinceCalendar
  /** Which numbers cite a source; the others are illustrative defaults. */
  readonly basis?: ProvinceBasis
  readonly agencies: ReadonlyArray<Agency>
  /** Which agencies' staff may hold each role, by role name; `"*"` means any agency. */
  readonly roles: Readonly<Record<string, ReadonlyArray<string>>>
  /**
   * Roles whose holders see every case of the province, not only their
   * agency's (for example a foreign-affairs director who approves statements).
   * Default: the engine's `defaultProvinceWideRoles`.
   */
  readonly provinceWideRoles?: ReadonlyArray<string>
  readonly labels?: ProvinceLabels
  readonly workflows: {
    readonly plan: unknown
    readonly coordination: unknown
    readonly "press-response": unknown
    readonly violation: unknown
    readonly commendation: unknown
  }
}

/** A province whose `workflows` sections have been checked against their schemas. */
export type ProvinceOf<Sections extends Province["workflows"]> = Omit<Province, "workflows"> & { readonly workflows: Sections }
