import { toProblem } from "../http/problem.js"
import type { ClientSocket } from "./client-socket.js"
import type { ServerMessage } from "./live-protocol.js"

/** The `error` message of the live feed. */
export type LiveErrorMessage = Extract<ServerMessage, { type: "error" }>

interface FailureLogger {
  warn(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

/**
 * The `error` message a live client receives when reading for it failed. A
 * refusal (a case it may not see, a bad request) says what is wrong, as over
 * HTTP. A server fault says only what kind of failure it was, in Vietnamese
 * and English, never its cause: a database error names hosts and ports. An
 * error about one case names that case, so the client knows which
 * subscription to resume with `sinceRev`.
 *
 * @example
 * liveErrorMessage(new StorageError("connection", e), id)
 * // { type: "error", code: "CIVICASE_E_STORAGE", caseId: id, detail: "Không đọc được hồ sơ … / Could not read case …" }
 */
export function liveErrorMessage(error: unknown, caseId?: string): LiveErrorMessage {
  return described(error, caseId).message
}

/** The message, and the HTTP status of its code (a server fault from 500 up). */
function described(error: unknown, caseId: string | undefined): { message: LiveErrorMessage; status: number } {
  const problem = toProblem(error)
  const about = caseId === undefined ? {} : { caseId }
  if (problem.status < 500) return { message: { type: "error", code: problem.code, detail: problem.detail, ...about }, status: problem.status }
  const detail =
    problem.code === "CIVICASE_E_STORAGE"
      ? caseId === undefined
        ? "Cơ sở dữ liệu tạm thời không truy cập được; hãy đăng ký lại sau. / The database is unavailable for now; subscribe again later."
        : `Không đọc được hồ sơ ${caseId}: cơ sở dữ liệu tạm thời không truy cập được; hãy đăng ký lại với sinceRev. / Could not read case ${caseId}: the database is unavailable for now; resubscribe with sinceRev.`
      : caseId === undefined
        ? "Máy chủ gặp lỗi; hãy đăng ký lại với sinceRev. / The server failed; resubscribe with sinceRev."
        : `Máy chủ gặp lỗi khi đọc hồ sơ ${caseId}; hãy đăng ký lại với sinceRev. / The server failed to read case ${caseId}; resubscribe with sinceRev.`
  return { message: { type: "error", code: problem.code, detail, ...about }, status: problem.status }
}

/**
 * Tells a live client that reading for it failed ({@link liveErrorMessage}),
 * and logs server faults with their cause for the operator.
 *
 * @example
 * try { out.send({ type: "case", case: await engine.getCase(id, actor) }) } catch (e) { sendFailure(out, log, e, id) }
 */
export function sendFailure(out: ClientSocket, log: FailureLogger, error: unknown, caseId?: string): void {
  const { message, status } = described(error, caseId)
  if (message.code === "CIVICASE_E_STORAGE") log.warn({ err: error, caseId }, "live feed: the database failed while reading for a client")
  else if (status >= 500) log.error({ err: error, caseId }, "live feed: reading for a client failed")
  out.send(message)
}
