import { randomUUID } from "node:crypto"
import { sql } from "kysely"
import type { Actor } from "../actor.js"
import { type ActivityOptions, recordActivity, replayOf } from "../activity/record-activity.js"
import type { EngineContext } from "../engine/engine-context.js"
import { loadVisible } from "../engine/load-case.js"
import type { Logger } from "../engine/logger.js"
import { unstorableText } from "../input/unstorable-text.js"
import { storageError } from "../engine/storage-error.js"
import { CaseClosedError, ForbiddenError, UnsupportedMediaTypeError, ValidationError, type ValidationIssue } from "../errors/errors.js"
import type { LoadedCase } from "../storage/case-store.js"
import { type Decision, checkDecision } from "./decision.js"
import { type DocumentRules, mediaTypeEssence } from "./document-options.js"
import type { DocumentStore, StoredBytes } from "./document-store.js"
import { type DocumentAttachedPayload, type DocumentInfo, type DocumentRow, documentInfo } from "./document-info.js"
import { byteChunks } from "./meter-bytes.js"

/**
 * A document to attach to a case. `bytes` may be a stream of chunks (an
 * upload) or one buffer.
 *
 * @example
 * await engine.attachDocument(caseId, { name: "bao-cao.pdf", mediaType: "application/pdf", bytes: createReadStream("bao-cao.pdf") }, officer)
 */
export interface AttachDocumentInput {
  /** The file name shown to people: 1 to 255 characters, no path (no `/` or `\`), no control characters. */
  readonly name: string
  /** Must be on the engine's allow-list (`documents.mediaTypes`); parameters such as `; charset=` are dropped. */
  readonly mediaType: string
  readonly bytes: AsyncIterable<Uint8Array> | Uint8Array
  /** Present when the document is an official decision (số, ký hiệu, loại, người ký). */
  readonly decision?: Decision
  /** Why it is attached; at most 2000 characters, recorded in the history. */
  readonly note?: string
}

/** What attaching needs besides the engine's context. */
export interface DocumentsContext {
  readonly context: EngineContext
  readonly store: DocumentStore
  readonly rules: DocumentRules
  readonly logger: Logger
}

/** A control character (C0 or DEL): never part of a file name people read. */
const hasControl = (name: string) => [...name].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)

function checkAttach(input: AttachDocumentInput, rules: DocumentRules): { name: string; mediaType: string; decision?: Decision; note?: string } {
  if (typeof input !== "object" || input === null) throw new ValidationError([{ path: "", message: "must be an object" }], "document")
  const issues: ValidationIssue[] = []
  const name = input.name
  if (typeof name !== "string" || name.trim().length === 0 || name.length > 255) issues.push({ path: "/name", message: "must be a file name of 1 to 255 characters" })
  else if (/[/\\]/.test(name) || hasControl(name) || name === "." || name === "..") issues.push({ path: "/name", message: "must be a plain file name: no path separators (/ or \\), no control characters" })
  else if (unstorableText(name)) issues.push({ path: "/name", message: unstorableText(name)! })
  const mediaType = mediaTypeEssence(input.mediaType)
  if (!mediaType) issues.push({ path: "/mediaType", message: "must be a media type such as application/pdf" })
  if (input.decision !== undefined) issues.push(...checkDecision(input.decision))
  if (input.note !== undefined && (typeof input.note !== "string" || input.note.length > 2000 || unstorableText(input.note))) {
    issues.push({ path: "/note", message: "must be a string of at most 2000 characters" })
  }
  if (!(input.bytes instanceof Uint8Array) && typeof (input.bytes as AsyncIterable<Uint8Array> | undefined)?.[Symbol.asyncIterator] !== "function") {
    issues.push({ path: "/bytes", message: "must be a Uint8Array or an async iterable of Uint8Array chunks" })
  }
  if (issues.length) throw new ValidationError(issues, "document")
  if (!rules.mediaTypes.includes(mediaType!)) throw new UnsupportedMediaTypeError(mediaType!, rules.mediaTypes)
  return { name: name.normalize("NFC"), mediaType: mediaType!, ...(input.decision ? { decision: input.decision } : {}), ...(input.note ? { note: input.note } : {}) }
}

/** Refuses an actor who may not attach to this case now (done case, permission). */
function mayAttach(d: DocumentsContext, row: LoadedCase, actor: Actor): void {
  if (row.status === "done") throw new CaseClosedError(row.id, row.state)
  const denial = d.context.access.denial(actor, d.rules.attach, { owner: row.owner_agency, lead: row.lead_agency, cooperating: row.cooperating_agencies })
  if (denial) throw new ForbiddenError("attach a document to this case", denial)
}

/**
 * Attaches a document (`engine.attachDocument`): cheap refusals first (the
 * name, the media type against the allow-list, visibility, permission, a done
 * case), then the bytes are streamed into the store (stopping at
 * `documents.maxBytes` with `PayloadTooLargeError`), then one statement
 * writes the `case.document_attached` history row (id, name, media type,
 * size, SHA-256, decision) and the documents row. When that write fails, the
 * stored bytes are deleted (best effort: a failed delete is logged and leaves
 * bytes no document names).
 *
 * @example
 * const doc = await attachDocument(documents, caseId, { name: "qd-125.pdf", mediaType: "application/pdf", bytes, decision }, head, {})
 */
export async function attachDocument(
  d: DocumentsContext,
  caseId: string,
  input: AttachDocumentInput,
  actor: Actor,
  opts: ActivityOptions = {},
): Promise<DocumentInfo> {
  const checked = checkAttach(input, d.rules)
  const { context } = d
  const first = await loadVisible(context.access, context.db, caseId, actor, opts.idempotencyKey)
  if (first.replay_rev !== null) return documentAtRev(d, caseId, replayOf(first, "case.document_attached", actor).rev)
  mayAttach(d, first, actor)
  const id = randomUUID()
  const stored: StoredBytes = await d.store.put(byteChunks(input.bytes), { maxBytes: d.rules.maxBytes }).catch((e) => Promise.reject(storageError(e)))
  try {
    const done = await recordActivity(
      context,
      caseId,
      actor,
      "case.document_attached",
      (row) => {
        mayAttach(d, row, actor)
        const payload: DocumentAttachedPayload = {
          document: { id, name: checked.name, mediaType: checked.mediaType, size: stored.size, sha256: stored.sha256 },
          ...(checked.decision ? { decision: checked.decision } : {}),
          ...(checked.note ? { note: checked.note } : {}),
        }
        return {
          payload,
          document: {
            id,
            name: checked.name,
            mediaType: checked.mediaType,
            size: stored.size,
            sha256: stored.sha256,
            store: d.store.name,
            storeKey: stored.key,
            decision: checked.decision ?? null,
            createdBy: actor.id,
          },
        }
      },
      opts,
    )
    if (done.outcome !== "written") await discard(d, stored.key)
    return documentAtRev(d, caseId, done.rev)
  } catch (e) {
    await discard(d, stored.key)
    throw e
  }
}

async function discard(d: DocumentsContext, key: string): Promise<void> {
  try {
    await d.store.delete(key)
  } catch (e) {
    d.logger.warn({ store: d.store.name, key, error: (e as Error).message }, "could not delete the bytes of a document that was not attached; they stay unreferenced")
  }
}

/** The document attached at `rev` of a case. */
async function documentAtRev(d: DocumentsContext, caseId: string, rev: number): Promise<DocumentInfo> {
  const r = await sql<DocumentRow>`select * from civicase_documents where case_id = ${caseId} and rev = ${rev}`.execute(d.context.db).catch((e) => Promise.reject(storageError(e)))
  return documentInfo(r.rows[0]!)
}
