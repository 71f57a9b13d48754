import { sql } from "kysely"
import type { Actor } from "../actor.js"
import { type ActivityOptions, recordActivity } from "../activity/record-activity.js"
import { iso } from "../engine/case-view.js"
import type { EngineContext } from "../engine/engine-context.js"
import { loadVisible } from "../engine/load-case.js"
import { unstorableText } from "../input/unstorable-text.js"
import { storageError } from "../engine/storage-error.js"
import { ValidationError, type ValidationIssue } from "../errors/errors.js"
import { idProblem } from "../people/person.js"
import { type PersonRow, peopleStore } from "../people/people-store.js"
import { decodeCursor, encodeCursor } from "../storage/cursor.js"

/**
 * A comment to record (ý kiến). `mentions` are person ids of the province;
 * `@id` in the text mentions that person too, when the id is a person's.
 *
 * @example
 * await engine.comment(caseId, { text: "@u-18 nhờ anh kiểm tra số liệu", mentions: ["u-19"] }, head)
 */
export interface CommentInput {
  /** 1 to 10000 characters. */
  readonly text: string
  readonly mentions?: ReadonlyArray<string>
}

/** A comment as read back (from the case's history). */
export interface CommentEntry {
  /** The rev of its `case.commented` history row. */
  readonly rev: number
  readonly text: string
  /** The people it mentions (each notified: `notify.mention`). */
  readonly mentions: ReadonlyArray<string>
  readonly author: { readonly id: string; readonly agency: string; readonly name?: string }
  readonly at: string
}

/** One page of comments, oldest first. */
export interface CommentPage {
  readonly items: ReadonlyArray<CommentEntry>
  readonly nextCursor?: string
}

/** Options of `engine.comments`. */
export interface CommentsOptions {
  readonly cursor?: string
  /** 1 to 500; default 100. */
  readonly limit?: number
}

const MAX_TEXT = 10_000
const MAX_MENTIONS = 50
/** `@id` not preceded by a word character (so an email address is no mention); trailing punctuation is not part of the id. */
const MENTION = /(?<![\w@])@([A-Za-z0-9][A-Za-z0-9._-]{0,199})/g

function checkComment(input: CommentInput): { text: string; mentions: string[] } {
  if (typeof input !== "object" || input === null) throw new ValidationError([{ path: "", message: "must be an object" }], "comment")
  const issues: ValidationIssue[] = []
  if (typeof input.text !== "string" || input.text.trim().length === 0 || input.text.length > MAX_TEXT) {
    issues.push({ path: "/text", message: `must be a non-empty string of at most ${MAX_TEXT} characters` })
  } else if (unstorableText(input.text)) issues.push({ path: "/text", message: unstorableText(input.text)! })
  const mentions = input.mentions ?? []
  if (!Array.isArray(mentions) || mentions.length > MAX_MENTIONS) issues.push({ path: "/mentions", message: `must be an array of at most ${MAX_MENTIONS} person ids` })
  else mentions.forEach((m, i) => idProblem(m) && issues.push({ path: `/mentions/${i}`, message: idProblem(m)! }))
  for (const key of Object.keys(input)) if (key !== "text" && key !== "mentions") issues.push({ path: `/${key}`, message: "is not a field of a comment" })
  if (issues.length) throw new ValidationError(issues, "comment")
  return { text: input.text, mentions: [...new Set(mentions)] }
}

/** The ids `@mentioned` in a text, trailing dots and dashes dropped ("@u-17." mentions u-17). */
export function textMentions(text: string): string[] {
  return [...new Set([...text.matchAll(MENTION)].map((m) => m[1]!.replace(/[._-]+$/, "")))]
}

/**
 * Records a comment (`engine.comment`) as a `case.commented` history row, in
 * any state, done cases included, by anyone who may see the case. Each
 * mentioned person must be an active person of the province who may see the
 * case (else `ValidationError` naming the mention), and gets a
 * `notify.mention` outbox row written with the comment.
 *
 * @example
 * const c = await comment(context, caseId, { text: "Đã xác minh" }, officer, {})
 */
export async function comment(context: EngineContext, caseId: string, input: CommentInput, actor: Actor, opts: ActivityOptions = {}): Promise<CommentEntry> {
  const checked = checkComment(input)
  // Bounded like explicit mentions: a long text full of @words costs one small query.
  const fromText = textMentions(checked.text)
    .filter((id) => !checked.mentions.includes(id))
    .slice(0, MAX_MENTIONS)
  const found = await peopleStore.many(context.db, actor.province, [...checked.mentions, ...fromText]).catch((e) => Promise.reject(storageError(e)))
  const people = new Map(found.filter((p) => p.active).map((p) => [p.id, p]))
  const issues: ValidationIssue[] = []
  checked.mentions.forEach((id, i) => !people.has(id) && issues.push({ path: `/mentions/${i}`, message: `${id} is not an active person of province ${actor.province}` }))
  if (issues.length) throw new ValidationError(issues, "comment")
  // An @word that is nobody's id is just text.
  const mentioned = [...checked.mentions, ...fromText.filter((id) => people.has(id))]
  const done = await recordActivity(
    context,
    caseId,
    actor,
    "case.commented",
    (row) => {
      const blind = mentioned.filter((id) => !seesCase(context, people.get(id)!, row.province, row.agencies))
      if (blind.length) {
        throw new ValidationError(blind.map((id) => ({ path: mentionPath(checked.mentions, id), message: `${id} may not see this case` })), "comment")
      }
      return {
        payload: { text: checked.text, mentions: mentioned },
        outbox: mentioned
          .filter((id) => id !== actor.id)
          .map((id) => ({ topic: "notify.mention", payload: { type: "notify.mention", recipient: id, by: actor.id, excerpt: checked.text.slice(0, 200) } })),
      }
    },
    opts,
  )
  const entries = await readComments(context, caseId, { after: done.rev - 1, limit: 1 })
  return entries[0]!
}

function mentionPath(explicit: ReadonlyArray<string>, id: string): string {
  const i = explicit.indexOf(id)
  return i >= 0 ? `/mentions/${i}` : "/text"
}

function seesCase(context: EngineContext, person: PersonRow, province: string, agencies: ReadonlyArray<string>): boolean {
  return context.access.canSee({ id: person.id, province: person.province, agency: person.agency, roles: person.roles }, province, agencies)
}

const isCursor = (c: unknown): c is { rev: number } => Number.isInteger((c as { rev?: unknown } | null)?.rev)

/**
 * A case's comments, oldest first, if `actor` may see the case (`engine.comments`).
 *
 * @example
 * const page = await comments(context, caseId, officer, { limit: 20 })
 */
export async function comments(context: EngineContext, caseId: string, actor: Actor, options: CommentsOptions = {}): Promise<CommentPage> {
  const limit = options.limit ?? 100
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new ValidationError([{ path: "/limit", message: "must be an integer from 1 to 500" }], "comments")
  if (options.cursor !== undefined && (typeof options.cursor !== "string" || options.cursor.length > 200)) {
    throw new ValidationError([{ path: "/cursor", message: "is not a cursor returned by a previous page" }], "comments")
  }
  const after = options.cursor === undefined ? 0 : decodeCursor(options.cursor, isCursor, "comments").rev
  await loadVisible(context.access, context.db, caseId, actor)
  const items = await readComments(context, caseId, { after, limit: limit + 1 })
  const page = items.slice(0, limit)
  return items.length > limit ? { items: page, nextCursor: encodeCursor({ rev: page[page.length - 1]!.rev }) } : { items: page }
}

/** The comments after rev `after`, with their authors' names (one query for the page). */
async function readComments(context: EngineContext, caseId: string, f: { after: number; limit: number }): Promise<CommentEntry[]> {
  try {
    const rows = (
      await sql<{ rev: number; payload: { text: string; mentions?: string[] }; actor: Actor; at: Date | string }>`
        select rev, payload, actor, at from civicase_history where case_id = ${caseId} and rev > ${f.after} and type = 'case.commented' order by rev limit ${f.limit}`.execute(
        context.db,
      )
    ).rows
    const province = rows[0]?.actor.province
    const names = province ? new Map((await peopleStore.many(context.db, province, [...new Set(rows.map((r) => r.actor.id))])).map((p) => [p.id, p.name])) : new Map()
    return rows.map((r) => ({
      rev: r.rev,
      text: r.payload.text,
      mentions: r.payload.mentions ?? [],
      author: { id: r.actor.id, agency: r.actor.agency, ...(names.has(r.actor.id) ? { name: names.get(r.actor.id) } : {}) },
      at: iso(r.at),
    }))
  } catch (e) {
    throw storageError(e)
  }
}
