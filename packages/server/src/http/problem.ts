import { type ErrorCode, type ValidationIssue, errorCodes, hasOwnKey, isCivicaseError } from "@civicase/core"

/**
 * An RFC 9457 problem document (`application/problem+json`), the body of
 * every error answer.
 *
 * @example
 * { type: "https://civicase.dev/errors/CIVICASE_E_FORBIDDEN", title: "The actor may not do this",
 *   status: 403, detail: "not allowed to send APPROVE: requires one of the roles coordinator",
 *   code: "CIVICASE_E_FORBIDDEN", instance: "/v1/cases/…/events" }
 */
export interface Problem {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail: string
  readonly code: ErrorCode
  readonly instance?: string
  /** Every failing path, for validation errors. */
  readonly errors?: ReadonlyArray<ValidationIssue>
  /** The current state, for an event not accepted. */
  readonly state?: string
  /** The events the current state accepts, for an event not accepted. */
  readonly accepted?: ReadonlyArray<string>
  /** The case's current rev, for a stale `expectedRev`. */
  readonly currentRev?: number
  readonly requestId?: string
}

/** The base of problem `type` URIs; the code is appended. */
export const PROBLEM_TYPE_BASE = "https://civicase.dev/errors/"

/** The media type of every error answer. */
export const PROBLEM_CONTENT_TYPE = "application/problem+json; charset=utf-8"

/** Seconds a client is asked to wait (`Retry-After`) before trying again while the database is unavailable. */
export const STORAGE_RETRY_AFTER_SECONDS = 2

/**
 * What a client reads when the database failed (lost connection, server
 * down): a fixed text, since the driver's message may name hosts and ports.
 * The cause is logged with the request id.
 */
export const STORAGE_UNAVAILABLE_DETAIL =
  "Cơ sở dữ liệu tạm thời không truy cập được; hãy thử lại sau với cùng idempotencyKey. / The database is unavailable for now; retry later with the same idempotencyKey."

/**
 * An error the server raises itself (bad credentials, rate limit, malformed
 * request), carrying a registered code so that it maps like the engine's.
 *
 * @example
 * throw new HttpProblem("CIVICASE_E_UNAUTHENTICATED", "the token has expired")
 */
export class HttpProblem extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extra: { errors?: ReadonlyArray<ValidationIssue>; headers?: Record<string, string> } = {},
  ) {
    super(detail)
    this.name = "HttpProblem"
  }
}

interface FastifyLikeError {
  readonly code?: string
  readonly statusCode?: number
  readonly message?: string
  readonly validation?: ReadonlyArray<{ instancePath?: string; message?: string; params?: Record<string, unknown> }>
  readonly validationContext?: string
}

/** Fastify's own error codes, mapped onto civicase's. */
const fastifyCodes: ReadonlyMap<string, ErrorCode> = new Map(Object.entries({
  FST_ERR_CTP_BODY_TOO_LARGE: "CIVICASE_E_PAYLOAD_TOO_LARGE",
  FST_ERR_CTP_INVALID_JSON_BODY: "CIVICASE_E_BAD_REQUEST",
  FST_ERR_CTP_EMPTY_JSON_BODY: "CIVICASE_E_BAD_REQUEST",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "CIVICASE_E_BAD_REQUEST",
  FST_ERR_CTP_INVALID_TYPE: "CIVICASE_E_BAD_REQUEST",
} satisfies Record<string, ErrorCode>))

function validationIssues(error: FastifyLikeError): ValidationIssue[] {
  const where = error.validationContext ?? "body"
  return (error.validation ?? []).map((v) => {
    const missing = typeof v.params?.missingProperty === "string" ? `/${v.params.missingProperty}` : ""
    const extra = typeof v.params?.additionalProperty === "string" ? `/${v.params.additionalProperty}` : ""
    return { path: `${where}${v.instancePath ?? ""}${missing}${extra}`, message: v.message ?? "is invalid" }
  })
}

/**
 * Maps any thrown value to a problem document, in one place: civicase errors
 * through core's `errorCodes` registry, Fastify's errors by their codes, and
 * anything else to a 500 that reveals nothing of the cause.
 *
 * @example
 * const problem = toProblem(new CaseNotFoundError(id), "/v1/cases/" + id)
 * problem.status // 404
 */
export function toProblem(error: unknown, instance?: string): Problem {
  const base = (code: ErrorCode, detail: string, more: Partial<Problem> = {}): Problem => ({
    type: `${PROBLEM_TYPE_BASE}${code}`,
    title: errorCodes[code].title,
    status: errorCodes[code].status,
    detail,
    code,
    ...(instance === undefined ? {} : { instance }),
    ...more,
  })
  if (error instanceof HttpProblem) {
    return base(error.code, error.detail, error.extra.errors ? { errors: error.extra.errors } : {})
  }
  if (isCivicaseError(error)) {
    const e = error as unknown as Record<string, unknown> & { code: ErrorCode; message: string }
    const code = hasOwnKey(errorCodes, e.code) ? e.code : "CIVICASE_E_INTERNAL"
    // The message may carry database details; say only what kind of failure it was.
    if (code === "CIVICASE_E_STORAGE") return base(code, STORAGE_UNAVAILABLE_DETAIL)
    if (code === "CIVICASE_E_INTERNAL" || code === "CIVICASE_E_INVALID_DEFINITION") return base(code, errorCodes[code].title)
    const more: { -readonly [K in keyof Problem]?: Problem[K] } = {}
    if (Array.isArray(e.issues)) more.errors = e.issues as ValidationIssue[]
    if (code === "CIVICASE_E_EVENT_NOT_ACCEPTED") {
      more.state = e.state as string
      more.accepted = e.accepted as string[]
    }
    if (code === "CIVICASE_E_CASE_CLOSED") more.state = e.state as string
    if (code === "CIVICASE_E_REVISION_CONFLICT" && typeof e.actualRev === "number") more.currentRev = e.actualRev
    return base(code, e.message, more)
  }
  const f = (error ?? {}) as FastifyLikeError
  if (f.validation) {
    const errors = validationIssues(f)
    return base("CIVICASE_E_VALIDATION", `request is invalid: ${errors.map((i) => `${i.path} ${i.message}`).join("; ")}`, { errors })
  }
  const mapped = f.code === undefined ? undefined : fastifyCodes.get(f.code)
  if (mapped) return base(mapped, f.message ?? "malformed request")
  if (f.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE" || f.statusCode === 415) return base("CIVICASE_E_UNSUPPORTED_MEDIA_TYPE", f.message ?? "unsupported media type")
  if (f.statusCode === 413) return base("CIVICASE_E_PAYLOAD_TOO_LARGE", "the body is larger than the server accepts")
  if (f.statusCode === 429) return base("CIVICASE_E_RATE_LIMITED", f.message ?? "too many requests")
  if (f.statusCode === 404) return base("CIVICASE_E_NOT_FOUND", f.message ?? "not found")
  if (f.statusCode === 405) return base("CIVICASE_E_METHOD_NOT_ALLOWED", f.message ?? "method not allowed")
  if (f.statusCode === 408) return base("CIVICASE_E_REQUEST_TIMEOUT", f.message ?? "the request did not arrive in time")
  if (f.statusCode === 414) return base("CIVICASE_E_URI_TOO_LONG", f.message ?? "a path segment is too long")
  if (f.statusCode === 426) return base("CIVICASE_E_UPGRADE_REQUIRED", f.message ?? "upgrade required")
  if (f.statusCode === 431) return base("CIVICASE_E_HEADERS_TOO_LARGE", f.message ?? "request headers too large")
  if (typeof f.statusCode === "number" && f.statusCode >= 400 && f.statusCode < 500) {
    // Other client errors Fastify raises (proto poisoning, bad URL, …): their messages name the problem, not secrets.
    // The status is the code's registered one, so a client can rely on the registry alone.
    return base("CIVICASE_E_BAD_REQUEST", f.message ?? "malformed request")
  }
  return base("CIVICASE_E_INTERNAL", "the server failed; the request id in the logs tells an operator where")
}

/**
 * Headers that go with a problem besides its body: `Retry-After` when the
 * database is unavailable, so clients back off instead of hammering it.
 *
 * @example
 * reply.headers(problemHeaders(toProblem(new StorageError("connection", e)))) // { "retry-after": "2" }
 */
export function problemHeaders(problem: Problem): Record<string, string> {
  return problem.code === "CIVICASE_E_STORAGE" ? { "retry-after": String(STORAGE_RETRY_AFTER_SECONDS) } : {}
}
