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
