import { Readable } from "node:stream"
import { type Decision, type Engine, ValidationError, decisionSchema, defaultMediaTypes } from "@civicase/core"
import multipart, { type Multipart, type MultipartFile } from "@fastify/multipart"
import type { FastifyInstance } from "fastify"
import { HttpProblem } from "../http/problem.js"
import { authenticatedResponses, problemResponse } from "../http/schemas.js"
import { contentDisposition } from "./content-disposition.js"

const idParams = { type: "object", properties: { id: { type: "string", minLength: 1, maxLength: 100 } }, required: ["id"] } as const
const docParams = {
  type: "object",
  properties: { id: { type: "string", minLength: 1, maxLength: 100 }, docId: { type: "string", minLength: 1, maxLength: 100 } },
  required: ["id", "docId"],
} as const
const caseNotFound = problemResponse("No such case, or one the actor may not see (CIVICASE_E_CASE_NOT_FOUND)")

/** The text fields an upload may carry before its file part. */
const FIELDS = new Set(["name", "note", "decision", "idempotencyKey"])
/** Bounds of the multipart envelope; the file's own size limit is the engine's (`documents.maxBytes`). */
const LIMITS = { fields: FIELDS.size, files: 1, parts: FIELDS.size + 1, fieldNameSize: 100, fieldSize: 8 * 1024, headerPairs: 20, fileSize: Number.MAX_SAFE_INTEGER } as const

export const documentSchema = {
  type: "object",
  properties: {
    id: { type: "string", format: "uuid" },
    caseId: { type: "string", format: "uuid" },
    name: { type: "string" },
    mediaType: { type: "string" },
    size: { type: "integer" },
    sha256: { type: "string", description: "SHA-256 of the bytes, hex; the history row that attached it carries it too" },
    decision: { anyOf: [decisionSchema, { type: "null" }], description: "Decision metadata (số, ký hiệu, loại văn bản, người ký), or null" },
    createdBy: { type: "string" },
    createdAt: { type: "string", format: "date-time" },
    rev: { type: "integer", description: "The rev of its case.document_attached history row" },
  },
  required: ["id", "caseId", "name", "mediaType", "size", "sha256", "decision", "createdBy", "createdAt", "rev"],
} as const

const badPart = (path: string, message: string) => new HttpProblem("CIVICASE_E_VALIDATION", `body${path} ${message}`, { errors: [{ path: `body${path}`, message }] })

const ENVELOPE = `an upload has at most ${LIMITS.fields} text fields of ${LIMITS.fieldSize} bytes, then one file part`

/**
 * The next part of the form; the envelope limits (too many parts, fields or
 * files, a `__proto__` field, a form cut short) are the client's fault:
 * `ValidationError` on `body`, which passes through the engine unchanged.
 */
async function nextPart(parts: AsyncIterator<Multipart>): Promise<IteratorResult<Multipart>> {
  try {
    return await parts.next()
  } catch (e) {
    throw new ValidationError([{ path: "body", message: `${(e as Error).message}: ${ENVELOPE}` }], "upload")
  }
}

/**
 * The file's bytes as the engine reads them; once they end, the form must end
 * too (the file is its last part), or the upload fails before anything is
 * recorded. A broken upload is a `ValidationError`, not a storage failure.
 */
async function* fileThenEnd(file: MultipartFile, rest: AsyncIterator<Multipart>): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of file.file) yield chunk as Uint8Array
  } catch (e) {
    throw new ValidationError([{ path: "body/file", message: `the upload broke off: ${(e as Error).message}` }], "upload")
  }
  const next = await nextPart(rest)
  if (!next.done) throw new ValidationError([{ path: `body/${next.value.fieldname}`, message: "comes after the file; the file must be the last part" }], "upload")
}

function parseDecision(text: string): Decision {
  try {
    return JSON.parse(text) as Decision
  } catch {
    throw badPart("/decision", "must be JSON: { number, notation, documentType, signer: { name, position }, issuedOn }")
  }
}

/**
 * Documents (tài liệu) of a case over HTTP: upload (multipart, streamed into
 * the engine's document store, under its size limit and media-type
 * allow-list), list, and download for actors who may see the case.
 *
 * @example
 * await app.register(documentsRoutes, { engine })
 * // curl -F note="bản gốc" -F file=@"Báo cáo.pdf;type=application/pdf" …/v1/cases/$ID/documents
 */
export async function documentsRoutes(app: FastifyInstance, options: { engine: Engine }) {
  const { engine } = options
  // Registered here, so only these routes read multipart bodies.
  await app.register(multipart, { limits: LIMITS })
  // The upload's body schema documents the form; the handler reads and checks it part by part, as it streams.
  const inherited = app.validatorCompiler
  if (inherited) app.setValidatorCompiler((route) => (route.httpPart === "body" ? () => true : inherited(route)))

  app.post<{ Params: { id: string } }>(
    "/v1/cases/:id/documents",
    {
      schema: {
        tags: ["documents"],
        summary: "Attach a document (multipart/form-data: text fields first, then one part named file)",
        description:
          "Fields before the file: name (overrides the part's file name), note, decision (JSON of the decision metadata), idempotencyKey. " +
          "The file part's Content-Type is the document's media type, checked against the allow-list before any byte is read; " +
          "the bytes are streamed into the document store and refused past the size limit, keeping nothing.",
        body: {
          content: {
            "multipart/form-data": {
              schema: {
                type: "object",
                properties: {
                  name: { type: "string", maxLength: 255, description: "The document's name, when not the file part's" },
                  note: { type: "string", maxLength: 2000, description: "Why it is attached, recorded in the history" },
                  decision: { type: "string", description: "JSON of the decision metadata: { number, notation, documentType, signer: { name, position }, issuedOn }" },
                  idempotencyKey: { type: "string", maxLength: 200 },
                  file: { type: "string", format: "binary", description: "The bytes; its Content-Type is the document's media type. The last part." },
                },
                required: ["file"],
              },
            },
          },
        },
        security: [{ bearer: [] }],
        params: idParams,
        response: {
          201: documentSchema,
          ...authenticatedResponses,
          404: caseNotFound,
          409: problemResponse("The case is done (CIVICASE_E_CASE_CLOSED)"),
          413: problemResponse("The file is larger than the configured limit, which the detail names (CIVICASE_E_PAYLOAD_TOO_LARGE)"),
          415: problemResponse("Not multipart/form-data, or the file's media type is not on the allow-list, which the detail lists (CIVICASE_E_UNSUPPORTED_MEDIA_TYPE)"),
          422: problemResponse("A plugin refused the document (CIVICASE_E_REFUSED_BY_PLUGIN)"),
        },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw new HttpProblem("CIVICASE_E_UNSUPPORTED_MEDIA_TYPE", "an upload is multipart/form-data with one part named file")
      const parts = request.parts({ limits: LIMITS })
      const fields = new Map<string, string>()
      let file: MultipartFile | undefined
      for (let next = await nextPart(parts); !next.done; next = await nextPart(parts)) {
        const part = next.value
        if (part.type === "file") {
          if (part.fieldname !== "file") throw badPart(`/${part.fieldname}`, "is not a part of an upload; the file part is named file")
          file = part
          break
        }
        if (!FIELDS.has(part.fieldname)) throw badPart(`/${part.fieldname}`, `is not a field of an upload (${[...FIELDS].join(", ")}, file)`)
        if (part.valueTruncated || typeof part.value !== "string") throw badPart(`/${part.fieldname}`, `must be text of at most ${LIMITS.fieldSize} bytes`)
        fields.set(part.fieldname, part.value)
      }
      if (!file) throw badPart("/file", "is missing: an upload has one file part named file")
      const decision = fields.get("decision")
      const note = fields.get("note")
      const key = fields.get("idempotencyKey")
      if (key !== undefined && (key.length === 0 || key.length > 200)) throw badPart("/idempotencyKey", "must be 1 to 200 characters")
      const doc = await engine.attachDocument(
        request.params.id,
        {
          name: fields.get("name") ?? file.filename,
          mediaType: file.mimetype,
          bytes: fileThenEnd(file, parts),
          ...(decision === undefined ? {} : { decision: parseDecision(decision) }),
          ...(note === undefined ? {} : { note }),
        },
        request.actor,
        key === undefined ? {} : { idempotencyKey: key },
      )
      reply.header("location", `/v1/cases/${doc.caseId}/documents/${doc.id}`)
      return reply.code(201).send(doc)
    },
  )

  app.get<{ Params: { id: string } }>(
    "/v1/cases/:id/documents",
    {
      schema: {
        tags: ["documents"],
        summary: "The documents of a case, in the order attached",
        security: [{ bearer: [] }],
        params: idParams,
        response: { 200: { type: "object", properties: { items: { type: "array", items: documentSchema } }, required: ["items"] }, ...authenticatedResponses, 404: caseNotFound },
      },
    },
    async (request) => ({ items: await engine.documents(request.params.id, request.actor) }),
  )

  const binary = { schema: { type: "string", format: "binary" } } as const
  app.get<{ Params: { id: string; docId: string } }>(
    "/v1/cases/:id/documents/:docId",
    {
      schema: {
        tags: ["documents"],
        summary: "A document's bytes, with its media type, size, file name (Content-Disposition) and ETag (its SHA-256)",
        security: [{ bearer: [] }],
        params: docParams,
        response: {
          200: { description: "The bytes, as the document's media type", content: Object.fromEntries([...defaultMediaTypes, "application/octet-stream"].map((t) => [t, binary])) },
          304: { description: "If-None-Match names the document's ETag: the client holds these bytes", type: "null" },
          ...authenticatedResponses,
          404: problemResponse("No such case or document, or a case the actor may not see (CIVICASE_E_CASE_NOT_FOUND, CIVICASE_E_DOCUMENT_NOT_FOUND)"),
        },
      },
    },
    async (request, reply) => {
      const { document, bytes } = await engine.readDocument(request.params.id, request.params.docId, request.actor)
      const etag = `"${document.sha256}"`
      reply.header("etag", etag).header("x-content-type-options", "nosniff").header("cache-control", "private, no-cache")
      if (request.headers["if-none-match"]?.split(",").some((t) => t.trim() === etag)) {
        return reply.code(304).send()
      }
      reply.header("content-type", document.mediaType).header("content-length", String(document.size)).header("content-disposition", contentDisposition(document.name))
      return reply.send(Readable.from(bytes))
    },
  )
}
