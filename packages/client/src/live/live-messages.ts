import type { Case } from "../types.js"

/** What a subscription follows: one case by id, or every case matching a filter (the actor may see). */
export type LiveTarget = string | { readonly workflow?: string; readonly agency?: string }

/** One committed transition of a case (chuyển trạng thái), as the feed sends it. */
export interface LiveTransition {
  readonly type: "transition"
  readonly caseId: string
  readonly rev: number
  readonly from: string | null
  readonly to: string
  readonly event: string
  readonly at: string
}

/**
 * What a subscription's handler receives:
 * - `case`: the case as it is now, when a subscription starts (for a filter:
 *   each matching active case; after a reconnect, each case that moved on);
 * - `transition`: every transition after it, per case in rev order, each once;
 * - `error`: something the server could not do, left to the handler to log.
 */
export type LiveEvent =
  | { readonly type: "case"; readonly case: Case }
  | LiveTransition
  | { readonly type: "error"; readonly code: string; readonly detail: string; readonly caseId?: string }

/** Where a subscription stands, for logs and status lights. */
export type LiveStatus =
  | { readonly state: "connecting"; readonly attempt: number }
  | { readonly state: "subscribed" }
  | { readonly state: "disconnected"; readonly code: number; readonly reason: string }
  | { readonly state: "stopped"; readonly error?: Error }

/** A message the server sends (see docs/http-api.md). */
export type ServerMessage =
  | { readonly type: "case"; readonly case: Case }
  | LiveTransition
  | { readonly type: "subscribed"; readonly caseId?: string; readonly rev?: number }
  | { readonly type: "unsubscribed" }
  | { readonly type: "error"; readonly code: string; readonly detail: string; readonly caseId?: string }
  | { readonly type: "pong" }
