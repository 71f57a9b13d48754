import type { Actor } from "../actor.js"
import type { CalendarGap } from "../timers/calendar-year.js"
import type { Label } from "../workflow/types.js"

/** `active` until the machine reaches a final state, then `done`. */
export type CaseStatus = "active" | "done"

/** A pending deadline of a case: it sends `event` at `dueAt` unless the case leaves the state first. */
export interface Deadline {
  /** The timer id (XState's delayed-event id). */
  readonly id: string
  /** The deadline's name in the workflow (`triageDeadline`). */
  readonly name: string
  readonly label: Label | undefined
  /** ISO 8601 instant. */
  readonly dueAt: string
  /** The event type it will send. */
  readonly event: string
  /**
   * Present when the due time was counted over years the province calendar
   * does not know for sure (no yearly decision yet, or past its data): the
   * deadline is provisional (tạm tính) and may move by the days the decision changes.
   */
  readonly calendarGaps?: ReadonlyArray<CalendarGap>
}

/** The agencies a case concerns. */
export interface CaseParties {
  readonly owner: string
  readonly lead: string | null
  readonly cooperating: ReadonlyArray<string>
}

/**
 * Who a case (or its current step) is assigned to (người được phân công).
 * `scope: "step"` ends when what the case waits for changes; `"case"` stays
 * until released.
 *
 * @example
 * const a: CaseAssignee = { id: "u-17", name: "Nguyễn Văn A", scope: "step" }
 */
export interface CaseAssignee {
  readonly id: string
  /** The person's name from the people directory, where the read looked it up (getCase, listCases, assignment results). */
  readonly name?: string
  readonly scope: "case" | "step"
}

/**
 * A case as callers see it.
 *
 * @example
 * const c = await engine.getCase(id, actor)
 * c.state        // "review.coordinator_head"
 * c.allowedEvents // ["APPROVE", "SEND_BACK"], for this actor
 */
export interface CaseView<TContext = any> {
  readonly id: string
  readonly province: string
  readonly workflow: string
  readonly version: number
  /** Flat form of the state value: dot-joined path of each active leaf, comma-separated for parallel regions in region-name order. */
  readonly state: string
  /** The XState state value. */
  readonly stateValue: unknown
  readonly status: CaseStatus
  readonly context: TContext
  readonly rev: number
  readonly parties: CaseParties
  readonly deadlines: ReadonlyArray<Deadline>
  /** Events this actor may send now (by state and permission). */
  readonly allowedEvents: ReadonlyArray<string>
  /** The case's title (trích yếu), from the workflow's `title`; null when it declares none. */
  readonly title: string | null
  /** The person it is assigned to, or null. */
  readonly assignee: CaseAssignee | null
  /**
   * Who the case waits for, as work-list tokens `role@agency` (`role@*`: any
   * agency), from the events its state accepts (guards not evaluated).
   */
  readonly waitingFor: ReadonlyArray<string>
  readonly createdAt: string
  readonly updatedAt: string
}

/** One row of a case's history. */
export interface HistoryEntry {
  readonly rev: number
  readonly type: string
  readonly payload: unknown
  readonly actor: Actor
  readonly at: string
  readonly from: string | null
  readonly to: string
  readonly meta: Record<string, unknown> | null
  /** What `hash` covers: 1 (rows written before formats; `meta` not covered) or 2 (RFC 8785, `meta` covered). See `chainHash`. */
  readonly chainFormat: number
  readonly prevHash: string
  readonly hash: string
}

/** A committed transition, as listeners and after-commit hooks receive it. */
export interface CommittedTransition {
  readonly caseId: string
  readonly province: string
  readonly workflow: string
  readonly version: number
  readonly rev: number
  readonly event: string
  readonly payload: unknown
  readonly actor: Actor
  readonly at: string
  readonly from: string | null
  readonly to: string
  readonly status: CaseStatus
  readonly agencies: ReadonlyArray<string>
  /** Side effects the machine emitted (also written to the outbox). */
  readonly emitted: ReadonlyArray<{ readonly type: string; readonly [key: string]: unknown }>
  readonly meta: Record<string, unknown>
  /** The case's pending deadlines after this commit (SLA plugins compare them with the previous ones). */
  readonly deadlines: ReadonlyArray<{ readonly name: string; readonly dueAt: string }>
}

/** Options of `send`. */
export interface SendOptions {
  /** Refuse with a revision conflict unless the case is at this rev. */
  readonly expectedRev?: number
  /**
   * Makes a retry safe (khóa chống gửi trùng). The key is unique per case. A
   * repeat by the same actor with the same event type writes nothing and
   * returns the case as it is now (not as the first call left it), marked
   * `replayed: true`; this holds even when the repeat raced its original with
   * `expectedRev`. The same key with another event type, or from another
   * actor, is a `ValidationError` on `/idempotencyKey`.
   *
   * @example
   * await engine.send(id, { type: "APPROVE" }, head, { expectedRev: 3, idempotencyKey: "form-81-approve" })
   */
  readonly idempotencyKey?: string
}

/** Options of `createCase`. */
export interface CreateOptions {
  /**
   * A repeated key (per province and actor) returns the case created the
   * first time, as it is now, marked `replayed: true`. Reusing it for another
   * workflow is a `ValidationError`; a case the actor may no longer see is
   * `CaseNotFoundError`.
   *
   * @example
   * await engine.createCase("leave", { days: 2 }, officer, { idempotencyKey: "form-81" })
   */
  readonly idempotencyKey?: string
}

/**
 * Filters of `listCases`: lists, work lists (danh sách việc) and search (tìm
 * kiếm). Every filter is answered by an index; bad values are a
 * `ValidationError` naming the field.
 *
 * @example
 * await engine.listCases({ actionable: true, orderBy: "deadline" }, officer)   // what waits on me, nearest deadline first
 * await engine.listCases({ q: "sat lo tam dao", createdFrom: "2025-03-01" }, coordinator) // finds "Sạt lở đất ở Tam Đảo"
 */
export interface CaseFilter {
  readonly workflow?: string
  /** A flat state, or a prefix of one (`review` matches `review.coordinator_head`). */
  readonly state?: string
  /** Cases this agency is a party to. */
  readonly agency?: string
  readonly status?: CaseStatus
  /** Only cases with a deadline already past due. */
  readonly overdue?: boolean
  /** Cases assigned to this person id; `null`: unassigned cases. */
  readonly assignee?: string | null
  /**
   * Cases the actor can act on now (việc cần xử lý): open, waiting for one of
   * the actor's roles at its agency (or at any agency), and not assigned to
   * someone else.
   */
  readonly actionable?: boolean
  /**
   * Full-text search over the title and the workflow's searchable fields,
   * folded for Vietnamese: "sat lo" finds "Sạt lở". Every word must match
   * (as a prefix). At most 200 characters.
   */
  readonly q?: string
  /** Created at or after: a date `YYYY-MM-DD` (local midnight in the engine's `timeZone`) or an ISO 8601 instant. */
  readonly createdFrom?: string
  /** Created before an instant, or on or before a date (the whole day). */
  readonly createdTo?: string
  /** Last changed at or after (see `createdFrom`). */
  readonly updatedFrom?: string
  /** Last changed before an instant, or on or before a date. */
  readonly updatedTo?: string
  /** `created` (default), `updated`, or `deadline` (nearest first, cases without one last). */
  readonly orderBy?: "created" | "updated" | "deadline"
  /** `asc` (default) or `desc`. */
  readonly direction?: "asc" | "desc"
  /** Opaque cursor from the previous page (of the same filter and order). */
  readonly cursor?: string
  /** 1 to 500; default 50. */
  readonly limit?: number
}

/** One page of cases. */
export interface CasePage {
  readonly items: ReadonlyArray<CaseView>
  /** Pass as `cursor` for the next page; absent on the last page. */
  readonly nextCursor?: string
}

/** The result of `send` or `createCase`. */
export type SendResult = CaseView & {
  /** True when an idempotency key matched an earlier call and nothing was written. */
  readonly replayed?: boolean
  /**
   * On an event replay, the rev the first call committed (its history row).
   * The case returned is the case now, which may have moved on since.
   */
  readonly replayedRev?: number
}
