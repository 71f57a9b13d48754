import { InvalidConfigError, type ValidationIssue } from "../errors/errors.js"
import type { Permission } from "../workflow/types.js"
import type { DocumentStoreFactory } from "./document-store.js"

/**
 * Documents settings of an engine (engine option `documents`).
 *
 * @example
 * createEngine({ store, workflows, documents: { store: folderDocuments({ dir: "/var/lib/civicase/files" }), maxBytes: 50 * 1024 * 1024 } })
 */
export interface DocumentOptions {
  /** Where bytes live; default `databaseDocuments()`. */
  readonly store?: DocumentStoreFactory
  /** The largest document accepted, in bytes; default 25 MiB. */
  readonly maxBytes?: number
  /** Media types accepted (type/subtype, lower case); default PDF, Word, Excel, OpenDocument text and sheet, PNG, JPEG, plain text. */
  readonly mediaTypes?: ReadonlyArray<string>
  /** Who may attach: default every role of a party agency (and province-wide roles) but `observer`. */
  readonly attach?: Permission
}

/** The settings in force. */
export interface DocumentRules {
  readonly maxBytes: number
  readonly mediaTypes: ReadonlyArray<string>
  readonly attach: Permission
}

/** The media types accepted by default. */
export const defaultMediaTypes: ReadonlyArray<string> = [
  "application/pdf",
  "application/msword",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.ms-excel",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.oasis.opendocument.text",
  "application/vnd.oasis.opendocument.spreadsheet",
  "image/png",
  "image/jpeg",
  "text/plain",
]

/** Every role of DOMAIN.md that does work on cases: all but `observer` (read only). */
export const defaultAttachPermission: Permission = {
  roles: [
    "agency_officer",
    "agency_head",
    "coordinator",
    "coordinator_head",
    "province_leader",
    "spokesperson",
    "inspector",
    "legal_reviewer",
    "council_member",
    "council_secretary",
    "integration",
  ],
  agency: "party",
}

/** A media type's essence: `type/subtype` in lower case, parameters dropped, or undefined when malformed. */
export function mediaTypeEssence(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length > 255) return undefined
  const essence = value.split(";")[0]!.trim().toLowerCase()
  return /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(essence) ? essence : undefined
}

/**
 * The rules of `options` with defaults; a bad value is `InvalidConfigError` naming its path.
 *
 * @example
 * documentRules({ maxBytes: 1024 }).mediaTypes // the default list
 */
export function documentRules(options: DocumentOptions = {}): DocumentRules {
  const issues: ValidationIssue[] = []
  const maxBytes = options.maxBytes ?? 25 * 1024 * 1024
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) issues.push({ path: "/documents/maxBytes", message: "must be a positive integer (bytes)" })
  const mediaTypes = options.mediaTypes ?? defaultMediaTypes
  if (!Array.isArray(mediaTypes) || mediaTypes.length === 0) issues.push({ path: "/documents/mediaTypes", message: "must list at least one media type" })
  else mediaTypes.forEach((m, i) => mediaTypeEssence(m) !== m && issues.push({ path: `/documents/mediaTypes/${i}`, message: "must be a media type type/subtype in lower case" }))
  if (options.store !== undefined && typeof options.store !== "function") issues.push({ path: "/documents/store", message: "must be a document store factory such as databaseDocuments()" })
  if (issues.length) throw new InvalidConfigError("engine options", issues)
  return { maxBytes, mediaTypes, attach: options.attach ?? defaultAttachPermission }
}
