import { errorCodeList } from "./generated/error-codes.js"

/** A registered civicase error code, such as `"CIVICASE_E_EVENT_NOT_ACCEPTED"` (from `@civicase/core`'s registry). */
export type ErrorCode = (typeof errorCodeList)[number]

const known: ReadonlySet<string> = new Set(errorCodeList)

/**
 * True when `code` is one this client knows. A newer server may answer a code
 * added after this client was generated: it still arrives in
 * {@link CivicaseProblemError.code}, and this says so.
 *
 * @example
 * isErrorCode("CIVICASE_E_FORBIDDEN") // true
 */
export function isErrorCode(code: string): code is ErrorCode {
  return known.has(code)
}

/** One failing path of a validation problem: `body/workflow`, `querystring/limit`, or a JSON pointer into a payload (`/severity`). */
export interface ProblemIssue {
  readonly path: string
  readonly message: string
}

/** The RFC 9457 problem document a civicase server answers with (`application/problem+json`). */
export interface ProblemDocument {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail: string
  readonly code: ErrorCode
  readonly instance?: string
  readonly requestId?: string
  readonly errors?: ReadonlyArray<ProblemIssue>
  readonly state?: string
  readonly accepted?: ReadonlyArray<string>
  readonly currentRev?: number
  readonly [member: string]: unknown
}

/**
 * A problem answer of the server, thrown by every call of the client
 * (lỗi nghiệp vụ do máy chủ trả về). Branch on `code`, never on the message.
 *
 * @example
 * try {
 *   await client.sendEvent(id, { type: "APPROVE" })
 * } catch (e) {
 *   if (e instanceof CivicaseProblemError && e.code === "CIVICASE_E_EVENT_NOT_ACCEPTED") console.log(e.problem.accepted)
 *   else throw e
 * }
 */
export class CivicaseProblemError extends Error {
  override readonly name = "CivicaseProblemError"
  readonly status: number
  readonly code: ErrorCode
  readonly title: string
  readonly detail: string
  /** Each failing path with its messages (validation problems); empty otherwise. */
  readonly errorsByPath: ReadonlyMap<string, ReadonlyArray<string>>
  /** The whole problem document, extra members (`state`, `accepted`, `currentRev`, `requestId`) included. */
  readonly problem: ProblemDocument

  constructor(problem: ProblemDocument) {
    super(`${problem.code}: ${problem.detail}`)
    this.problem = problem
    this.status = problem.status
    this.code = problem.code
    this.title = problem.title
    this.detail = problem.detail
    const byPath = new Map<string, string[]>()
    for (const issue of problem.errors ?? []) byPath.set(issue.path, [...(byPath.get(issue.path) ?? []), issue.message])
    this.errorsByPath = byPath
  }
}

/**
 * True for a {@link CivicaseProblemError}, also one thrown by another copy of
 * this package (two versions in one app), where `instanceof` says false.
 *
 * @example
 * if (isCivicaseProblem(e) && e.code === "CIVICASE_E_REVISION_CONFLICT") reload()
 */
export function isCivicaseProblem(error: unknown): error is CivicaseProblemError {
  if (error instanceof CivicaseProblemError) return true
  const e = error as { name?: unknown; code?: unknown; status?: unknown; problem?: unknown } | null
  return typeof e === "object" && e !== null && e.name === "CivicaseProblemError" && typeof e.code === "string" && typeof e.status === "number" && typeof e.problem === "object"
}

/**
 * An error answer that is not a problem document (a proxy's 502 page, say):
 * the status and the start of the body, so the caller can log it.
 *
 * @example
 * if (e instanceof CivicaseResponseError && e.status === 502) retryLater()
 */
export class CivicaseResponseError extends Error {
  override readonly name = "CivicaseResponseError"
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status} without a problem document: ${body.slice(0, 200)}`)
  }
}

function isProblem(value: unknown): value is ProblemDocument {
  const v = value as Record<string, unknown> | null
  return typeof v === "object" && v !== null && typeof v.code === "string" && typeof v.status === "number" && typeof v.title === "string"
}

/** Reads a failed answer into the error to throw. */
export async function errorOf(response: Response): Promise<CivicaseProblemError | CivicaseResponseError> {
  const text = await response.text()
  if ((response.headers.get("content-type") ?? "").includes("json")) {
    try {
      const body: unknown = JSON.parse(text)
      if (isProblem(body)) return new CivicaseProblemError({ ...body, detail: typeof body.detail === "string" ? body.detail : body.title })
    } catch {
      // Not JSON after all: reported below with its text.
    }
  }
  return new CivicaseResponseError(response.status, text)
}
