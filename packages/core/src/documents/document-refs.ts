import { sql } from "kysely"
import type { ValidationIssue } from "../errors/errors.js"
import type { Executor } from "../storage/case-store.js"
import type { DocumentReference } from "../workflow/types.js"
import { ownValue } from "../input/own-value.js"

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The value at a JSON Pointer (RFC 6901) in `value`, or undefined. */
function at(value: unknown, pointer: string): unknown {
  let v = value
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~")
    if (v === null || typeof v !== "object") return undefined
    v = ownValue(v as Record<string, unknown>, key)
  }
  return v
}

/**
 * Problems with the document ids an event's payload names (the workflow's
 * `documents` option for this event): each must be the id of a document
 * attached to this case, with decision metadata where the reference says
 * `decision: true`. One query for all the ids; none when the event names no
 * documents. An absent field is left to the payload schema.
 *
 * @example
 * const issues = await documentRefIssues(db, caseId, { "/decisionDocument": { decision: true } }, payload)
 * // [{ path: "/decisionDocument", message: "must be a document of this case with decision metadata (số, ký hiệu, loại văn bản, người ký)" }]
 */
export async function documentRefIssues(
  db: Executor,
  caseId: string,
  refs: Readonly<Record<string, DocumentReference>>,
  payload: unknown,
): Promise<ValidationIssue[]> {
  const issues: ValidationIssue[] = []
  const wanted: Array<{ path: string; id: string; decision: boolean }> = []
  for (const [pointer, ref] of Object.entries(refs)) {
    const v = at(payload, pointer)
    if (v === undefined) continue
    const list = typeof v === "string" ? [[pointer, v] as const] : Array.isArray(v) ? v.map((x, i) => [`${pointer}/${i}`, x] as const) : undefined
    if (!list) {
      issues.push({ path: pointer, message: "must be a document id or a list of document ids" })
      continue
    }
    for (const [path, id] of list) {
      if (typeof id !== "string" || !UUID.test(id)) issues.push({ path, message: "must be the id of a document attached to this case" })
      else wanted.push({ path, id: id.toLowerCase(), decision: ref.decision === true })
    }
  }
  if (wanted.length === 0) return issues
  const found = await sql<{ id: string; decided: boolean }>`select id, decision is not null as decided from civicase_documents
    where case_id = ${caseId} and id in (${sql.join(wanted.map((w) => sql`${w.id}::uuid`))})`.execute(db)
  const decided = new Map(found.rows.map((r) => [r.id, r.decided]))
  for (const w of wanted) {
    if (!decided.has(w.id)) issues.push({ path: w.path, message: "must be the id of a document attached to this case" })
    else if (w.decision && !decided.get(w.id)) {
      issues.push({ path: w.path, message: "must be a document of this case with decision metadata (số, ký hiệu, loại văn bản, người ký)" })
    }
  }
  return issues
}
