import { type Kysely, sql } from "kysely"
import { ValidationError } from "../errors/errors.js"
import { decodeCursor, encodeCursor } from "../storage/cursor.js"
import type { CivicaseDatabase } from "../storage/schema.js"

/** Delivery status of an outbox row. */
/**
 * Delivery status of an outbox row: `unrouted` when no notifier or channel
 * took it (nobody was told; `retry` sends it again once one is configured).
 */
export type OutboxStatus = "pending" | "delivered" | "failed" | "unrouted"

/** One outbox row as operators see it. */
export interface OutboxEntry {
  /** The stable delivery id receivers deduplicate on. */
  readonly id: string
  readonly caseId: string
  readonly rev: number
  readonly topic: string
  readonly payload: unknown
  readonly status: OutboxStatus
  readonly attempts: number
  /** The next try (pending rows) or the time of the last failure's planned retry. */
  readonly nextAttemptAt: string
  readonly lastError: string | null
  readonly createdAt: string
  readonly deliveredAt: string | null
}

/** Filters of `engine.outbox.list`. */
export interface OutboxFilter {
  readonly status?: OutboxStatus
  readonly caseId?: string
  readonly topic?: string
  /** 1 to 500; default 50. */
  readonly limit?: number
  /** From the previous page's `nextCursor`. */
  readonly cursor?: string
}

/** One page of outbox rows, oldest first. */
export interface OutboxPage {
  readonly items: ReadonlyArray<OutboxEntry>
  readonly nextCursor?: string
}

/**
 * What operators see and do with the outbox (hàng đợi thông báo): list rows
 * by status with their attempts and last error, count them, and send a failed
 * row back for delivery. Operator functions take no actor: expose them only
 * to administrators.
 *
 * @example
 * const { items } = await engine.outbox.list({ status: "failed" })
 * for (const row of items) console.log(row.topic, row.attempts, row.lastError)
 * await engine.outbox.retry(items[0].id)
 */
export interface OutboxView {
  list(filter?: OutboxFilter): Promise<OutboxPage>
  /** Row counts by status. */
  stats(): Promise<Record<OutboxStatus, number>>
  /** Makes a failed, unrouted (or pending) row due now with a fresh attempt count; false when no such row or already delivered. */
  retry(id: string): Promise<boolean>
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const STATUSES: ReadonlyArray<OutboxStatus> = ["pending", "delivered", "failed", "unrouted"]

interface Row {
  id: string
  case_id: string
  rev: number
  topic: string
  payload: unknown
  status: OutboxStatus
  attempts: number
  next_attempt_at: Date | string
  last_error: string | null
  created_at: Date | string
  delivered_at: Date | string | null
}

const iso = (d: Date | string) => new Date(d).toISOString()

const isOutboxCursor = (c: unknown): c is [string, string] =>
  Array.isArray(c) && typeof c[0] === "string" && !Number.isNaN(Date.parse(c[0])) && typeof c[1] === "string" && UUID.test(c[1])

/** The operator view over `db`; `now` gives the time a retried row becomes due. */
export function outboxView(db: Kysely<CivicaseDatabase>, now: () => Date): OutboxView {
  return {
    async list(filter = {}) {
      const issues = []
      if (filter.status !== undefined && !STATUSES.includes(filter.status)) issues.push({ path: "/status", message: `must be one of ${STATUSES.join(", ")}` })
      if (filter.caseId !== undefined && !UUID.test(filter.caseId)) issues.push({ path: "/caseId", message: "must be a case id (uuid)" })
      const limit = filter.limit ?? 50
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) issues.push({ path: "/limit", message: "must be an integer from 1 to 500" })
      if (issues.length) throw new ValidationError(issues, "outbox filter")
      const [afterAt, afterId] = filter.cursor === undefined ? [] : decodeCursor(filter.cursor, isOutboxCursor, "outbox filter")
      const after = afterAt === undefined ? undefined : { at: afterAt, id: afterId }
      const rows = (
        await sql<Row>`select id, case_id, rev, topic, payload, status, attempts, next_attempt_at, last_error, created_at, delivered_at
          from civicase_outbox where true
          ${filter.status ? sql`and status = ${filter.status}` : sql``}
          ${filter.caseId ? sql`and case_id = ${filter.caseId}` : sql``}
          ${filter.topic ? sql`and topic = ${filter.topic}` : sql``}
          ${after ? sql`and (created_at, id) > (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
          order by created_at, id limit ${limit + 1}`.execute(db)
      ).rows
      const items = rows.slice(0, limit).map(
        (r): OutboxEntry => ({
          id: r.id,
          caseId: r.case_id,
          rev: r.rev,
          topic: r.topic,
          payload: r.payload,
          status: r.status,
          attempts: r.attempts,
          nextAttemptAt: iso(r.next_attempt_at),
          lastError: r.last_error,
          createdAt: iso(r.created_at),
          deliveredAt: r.delivered_at === null ? null : iso(r.delivered_at),
        }),
      )
      const last = items[items.length - 1]
      const nextCursor = rows.length > limit && last ? encodeCursor([last.createdAt, last.id]) : undefined
      return nextCursor ? { items, nextCursor } : { items }
    },
    async stats() {
      const rows = (await sql<{ status: OutboxStatus; n: string | number }>`select status, count(*) as n from civicase_outbox group by status`.execute(db)).rows
      const out: Record<OutboxStatus, number> = { pending: 0, delivered: 0, failed: 0, unrouted: 0 }
      for (const r of rows) if (STATUSES.includes(r.status)) out[r.status] = Number(r.n)
      return out
    },
    async retry(id) {
      if (typeof id !== "string" || !UUID.test(id)) throw new ValidationError([{ path: "/id", message: "must be an outbox row id (uuid)" }], "outbox retry")
      const r = await sql`update civicase_outbox set status = 'pending', attempts = 0, next_attempt_at = ${now().toISOString()}::timestamptz
        where id = ${id} and status <> 'delivered'`.execute(db)
      return Number(r.numAffectedRows ?? 0) > 0
    },
  }
}
