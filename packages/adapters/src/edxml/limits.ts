/**
 * What a package may hold before it is refused with `CIVICASE_E_EDXML_TOO_LARGE`.
 * Every limit applies before the content is trusted: bytes before parsing,
 * depth and element count before a DOM is built, attachments before decoding.
 *
 * @example
 * await parseEdxmlPackage(xml, { limits: { maxBytes: 8 * 1024 * 1024, maxAttachments: 10 } })
 */
export interface EdxmlLimits {
  /** UTF-8 bytes of the whole package, attachments included (base64 adds a third). */
  readonly maxBytes: number
  /** Elements nested inside each other, the root counting as 1. */
  readonly maxDepth: number
  /** Elements in the document. */
  readonly maxElements: number
  /** Characters of one text value (a subject, a content, a name); attachments excepted. */
  readonly maxTextLength: number
  /** Attachments in the manifest. */
  readonly maxAttachments: number
  /** Decoded bytes of one attachment. */
  readonly maxAttachmentBytes: number
}

/**
 * The default limits: 32 MiB a package, 20 attachments of at most 16 MiB,
 * 32 levels, 20 000 elements, 100 000 characters a text value.
 *
 * @example
 * defaultEdxmlLimits.maxBytes // 33554432
 */
export const defaultEdxmlLimits: EdxmlLimits = Object.freeze({
  maxBytes: 32 * 1024 * 1024,
  maxDepth: 32,
  maxElements: 20_000,
  maxTextLength: 100_000,
  maxAttachments: 20,
  maxAttachmentBytes: 16 * 1024 * 1024,
})

/** The defaults with the caller's overrides; a limit that is not a positive integer is a programming error. */
export function resolveLimits(overrides: Partial<EdxmlLimits> | undefined): EdxmlLimits {
  const limits = { ...defaultEdxmlLimits, ...overrides }
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new TypeError(`edXML limit ${name} must be a positive integer, got ${String(value)}`)
  }
  return limits
}
