import type { CaseView } from "@civicase/core"

export type { ClientMessage } from "./client-messages.js"

/**
 * What the server sends on `GET /v1/live`.
 *
 * @example
 * const m: ServerMessage = { type: "subscribed", caseId: "c1", rev: 3 }
 */
export type ServerMessage =
  | { readonly type: "case"; readonly case: CaseView }
  | { readonly type: "transition"; readonly caseId: string; readonly rev: number; readonly from: string | null; readonly to: string; readonly event: string; readonly at: string }
  | { readonly type: "subscribed"; readonly caseId?: string; readonly rev?: number; readonly workflow?: string; readonly agency?: string; readonly cases?: number; readonly truncated?: boolean }
  | { readonly type: "unsubscribed"; readonly caseId?: string; readonly workflow?: string; readonly agency?: string }
  | { readonly type: "error"; readonly code: string; readonly detail: string; readonly caseId?: string }
  | { readonly type: "pong" }
  | { readonly type: "notification"; readonly notification: LiveNotification }

/**
 * A notification for the connected person (thông báo), pushed to every live
 * client of theirs: an assignment, a mention, a reminder, a missed deadline,
 * an escalation. `id` is stable (`<outbox row id>:<person id>`): a retried
 * row may push it again, so a client deduplicates on it.
 *
 * @example
 * { id: "0b0e…:u-17", kind: "reminder", caseId: "6f1c…", caseUrl: "https://…/cases/6f1c…",
 *   subject: { vi: "Nhắc hạn: …", en: "Reminder: …" }, body: { vi: "…", en: "…" }, at: "2025-03-04T10:00:00.000Z" }
 */
export interface LiveNotification {
  readonly id: string
  readonly kind: string
  readonly caseId: string
  readonly caseUrl: string
  readonly subject: { readonly vi: string; readonly en: string }
  readonly body: { readonly vi: string; readonly en: string }
  readonly at: string
}
