import { type CaseView, compileSchema } from "@civicase/core"

/**
 * What a client may send on `GET /v1/live`:
 * - `{ "op": "subscribe", "caseId": "…", "sinceRev"?: n }`: one case;
 * - `{ "op": "subscribe", "workflow"?: "…", "agency"?: "…" }`: every case matching;
 * - `{ "op": "unsubscribe", "caseId" }` or the same filter;
 * - `{ "op": "ping" }`: answered with `{ "type": "pong" }` (browsers cannot send websocket pings).
 */
export interface ClientMessage {
  readonly op: "subscribe" | "unsubscribe" | "ping"
  readonly caseId?: string
  readonly workflow?: string
  readonly agency?: string
  readonly sinceRev?: number
}

/** What the server sends. */
export type ServerMessage =
  | { readonly type: "case"; readonly case: CaseView }
  | { readonly type: "transition"; readonly caseId: string; readonly rev: number; readonly from: string | null; readonly to: string; readonly event: string; readonly at: string }
  | { readonly type: "subscribed"; readonly caseId?: string; readonly rev?: number; readonly workflow?: string; readonly agency?: string; readonly cases?: number; readonly truncated?: boolean }
  | { readonly type: "unsubscribed"; readonly caseId?: string; readonly workflow?: string; readonly agency?: string }
  | { readonly type: "error"; readonly code: string; readonly detail: string; readonly caseId?: string }
  | { readonly type: "pong" }

const shortString = { type: "string", minLength: 1, maxLength: 200 } as const

/** The JSON Schema every client message must satisfy (checked with Ajv). */
export const clientMessageSchema = {
  type: "object",
  properties: {
    op: { enum: ["subscribe", "unsubscribe", "ping"] },
    caseId: shortString,
    workflow: shortString,
    agency: shortString,
    sinceRev: { type: "integer", minimum: 0, maximum: 2147483647 },
  },
  required: ["op"],
  additionalProperties: false,
} as const

/** Checks one client message; lists every failing path. */
export const checkClientMessage = compileSchema(clientMessageSchema)
