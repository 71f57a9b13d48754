import type { JsonSchema } from "@civicase/core"

/**
 * The payload schema of one document id: a document attached to the case
 * (`engine.attachDocument`). The schema checks the form; the workflow's
 * `documents` option makes `send` check that the id names a document of this
 * case, and one with decision metadata (văn bản quyết định) where required.
 *
 * @example
 * const DECIDE = { type: "object", required: ["decisionDocument"], properties: { decisionDocument: documentId("The signed decision (quyết định).") } }
 */
export const documentId = (description: string): JsonSchema => ({ type: "string", format: "uuid", description })

/**
 * The payload schema of a list of document ids (tài liệu đính kèm), each once.
 *
 * @example
 * const evidence = documentIds("Evidence (chứng cứ): documents attached to the case.", 100)
 */
export const documentIds = (description: string, maxItems: number, minItems = 0): JsonSchema => ({
  type: "array",
  ...(minItems > 0 ? { minItems } : {}),
  maxItems,
  uniqueItems: true,
  items: documentId("A document attached to the case."),
  description,
})
