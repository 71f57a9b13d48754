import { compileSchema } from "@civicase/core"
import { CLOSE } from "./close-codes.js"

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

const shortString = { type: "string", minLength: 1, maxLength: 200 } as const

/**
 * The JSON Schema every client message must satisfy (checked with Ajv).
 *
 * @example
 * checkClientMessage({ op: "subscribe", caseId: "c1", sinceRev: 3 }) // []
 */
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

/**
 * Checks one client message; lists every failing path.
 *
 * @example
 * checkClientMessage({ op: "watch" }) // [{ path: "/op", message: "…" }]
 */
export const checkClientMessage = compileSchema(clientMessageSchema)

/** A frame the socket cannot survive: closed with `closeCode`, `detail` told to the client first. */
export interface MessageRejection {
  readonly closeCode: number
  readonly detail: string
}

/**
 * Reads one websocket frame as a client message, or says why the socket
 * must close (binary 1003, not JSON 1007, off the schema 1008).
 *
 * @example
 * const read = readClientMessage(Buffer.from('{"op":"ping"}'), false)
 * if ("closeCode" in read) socket.close(read.closeCode, read.detail)
 */
export function readClientMessage(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): ClientMessage | MessageRejection {
  if (isBinary) return { closeCode: CLOSE.unsupported, detail: "binary messages are not accepted" }
  const text = Array.isArray(data) ? Buffer.concat(data).toString("utf8") : Buffer.from(data as ArrayBuffer).toString("utf8")
  let message: unknown
  try {
    message = JSON.parse(text)
  } catch {
    return { closeCode: CLOSE.invalidData, detail: "messages must be JSON" }
  }
  const issues = checkClientMessage(message)
  if (issues.length) return { closeCode: CLOSE.policy, detail: `invalid message: ${issues.map((i) => `${i.path} ${i.message}`).join("; ")}` }
  return message as ClientMessage
}

/**
 * Why a well-formed subscription still cannot run (the socket stays open),
 * or undefined. The schema cannot say these: they tie fields together.
 *
 * @example
 * misuseOf({ op: "subscribe", sinceRev: 2 }) // "sinceRev resumes one case: give caseId with it"
 */
export function misuseOf(m: ClientMessage): string | undefined {
  if (m.caseId !== undefined && (m.workflow !== undefined || m.agency !== undefined)) {
    return "subscribe to a caseId or to a filter (workflow, agency), not both"
  }
  if (m.sinceRev !== undefined && m.caseId === undefined) return "sinceRev resumes one case: give caseId with it"
  return undefined
}
