import { type ErrorCode, errorCodes } from "./codes.js"

/** One failing path of a JSON Schema check, for example `{ path: "/severity", message: "must be equal to one of the allowed values" }`. */
export interface ValidationIssue {
  readonly path: string
  readonly message: string
}

const brand = Symbol.for("@civicase/core/CivicaseError")

/**
 * Base of every error civicase raises. Errors are ordinary `Error`s with a
 * `_tag`, so Promise users test `code` or `instanceof`, and the Effect API
 * (`@civicase/core/effect`) recovers them with `Effect.catchTag`. Each
 * carries a registered `code` and the data a caller needs to react.
 * `isCivicaseError` recognises them even across duplicate copies of the library.
 */
export interface CivicaseErrorShape {
  readonly _tag: string
  readonly code: ErrorCode
  readonly message: string
  readonly status: number
}

abstract class CivicaseErrorBase extends Error implements CivicaseErrorShape {
  abstract readonly _tag: string
  abstract readonly code: ErrorCode
  readonly [brand] = true
  constructor(args: { readonly message: string }) {
    super(args.message)
  }
  get status(): number {
    return errorCodes[this.code].status
  }
  override get name(): string {
    return this._tag
  }
}

/** The event payload (or case input) fails its JSON Schema; `issues` lists every failing path. */
export class ValidationError extends CivicaseErrorBase {
  readonly _tag = "ValidationError" as const
  readonly code = "CIVICASE_E_VALIDATION" as const
  constructor(readonly issues: ReadonlyArray<ValidationIssue>, what = "payload") {
    super({ message: `${what} is invalid: ${issues.map((i) => `${i.path || "/"} ${i.message}`).join("; ")}` })
  }
}

/** The actor's role or agency may not send this event or create this case. */
export class ForbiddenError extends CivicaseErrorBase {
  readonly _tag = "ForbiddenError" as const
  readonly code = "CIVICASE_E_FORBIDDEN" as const
  constructor(readonly action: string, readonly reason: string) {
    super({ message: `not allowed to ${action}: ${reason}` })
  }
}

/**
 * The actor is not one this engine acts for (tác nhân không hợp lệ): its
 * province is not served, its agency is not an active agency of the province,
 * or it claims the engine's reserved `system` identity. Raised before anything
 * is read; the server answers 401, since no actor of this deployment is
 * established (a token of the right province and agency is the fix).
 *
 * @example
 * // engine serving vinh-phuc only
 * await engine.getCase(id, { id: "u1", province: "da-nang", agency: "so-tttt", roles: ["coordinator"] })
 * // UnknownActorError: actor u1 is refused: the engine does not serve the province "da-nang"
 */
export class UnknownActorError extends CivicaseErrorBase {
  readonly _tag = "UnknownActorError" as const
  readonly code = "CIVICASE_E_UNKNOWN_ACTOR" as const
  constructor(
    readonly actorId: string,
    /** Which claim is wrong: `province`, `agency` or `system` (the reserved identity). */
    readonly claim: "province" | "agency" | "system",
    readonly reason: string,
  ) {
    super({ message: `actor ${actorId} is refused: ${reason}` })
  }
}

/**
 * The actor claims a role that the province does not give its agency (vai trò
 * không thuộc cơ quan): the province file binds each role to the agencies whose
 * staff may hold it. Raised before anything is read; the server answers 403,
 * since the actor is known and it is the role it claims that is refused.
 *
 * @example
 * await engine.send(id, { type: "APPROVE" }, { id: "u2", province: "vinh-phuc", agency: "so-khdt", roles: ["coordinator_head"] })
 * // RoleNotHeldError: role coordinator_head is not held by agency so-khdt in vinh-phuc (held by: so-tttt)
 */
export class RoleNotHeldError extends CivicaseErrorBase {
  readonly _tag = "RoleNotHeldError" as const
  readonly code = "CIVICASE_E_ROLE_NOT_HELD" as const
  constructor(
    readonly role: string,
    readonly agency: string,
    readonly province: string,
    /** The agencies that may hold the role; empty when no agency does. */
    readonly holders: ReadonlyArray<string>,
  ) {
    super({
      message: `role ${role} is not held by agency ${agency} in ${province} (${holders.length ? `held by: ${holders.join(", ")}` : "no agency of the province holds it"})`,
    })
  }
}

/** No such case, or one the actor may not see (the two are indistinguishable on purpose). */
export class CaseNotFoundError extends CivicaseErrorBase {
  readonly _tag = "CaseNotFoundError" as const
  readonly code = "CIVICASE_E_CASE_NOT_FOUND" as const
  constructor(readonly caseId: string) {
    super({ message: `case ${caseId} not found` })
  }
}

/** No person with this id in the actor's province (người dùng không tồn tại). */
export class PersonNotFoundError extends CivicaseErrorBase {
  readonly _tag = "PersonNotFoundError" as const
  readonly code = "CIVICASE_E_PERSON_NOT_FOUND" as const
  constructor(readonly personId: string) {
    super({ message: `person ${personId} not found` })
  }
}

/** No document with this id on this case, or the case is one the actor may not see. */
export class DocumentNotFoundError extends CivicaseErrorBase {
  readonly _tag = "DocumentNotFoundError" as const
  readonly code = "CIVICASE_E_DOCUMENT_NOT_FOUND" as const
  constructor(readonly caseId: string, readonly documentId: string) {
    super({ message: `document ${documentId} of case ${caseId} not found` })
  }
}

/**
 * A document (or other body) is larger than the configured limit; nothing of
 * it was kept.
 *
 * @example
 * if (e instanceof PayloadTooLargeError) console.log(`at most ${e.limit} bytes`)
 */
export class PayloadTooLargeError extends CivicaseErrorBase {
  readonly _tag = "PayloadTooLargeError" as const
  readonly code = "CIVICASE_E_PAYLOAD_TOO_LARGE" as const
  constructor(readonly limit: number, what = "the document") {
    super({ message: `${what} is larger than the limit of ${limit} bytes` })
  }
}

/** A document's media type is not on the engine's allow-list (`documents.mediaTypes`). */
export class UnsupportedMediaTypeError extends CivicaseErrorBase {
  readonly _tag = "UnsupportedMediaTypeError" as const
  readonly code = "CIVICASE_E_UNSUPPORTED_MEDIA_TYPE" as const
  constructor(readonly mediaType: string, readonly allowed: ReadonlyArray<string>) {
    super({ message: `media type ${JSON.stringify(mediaType)} is not accepted; accepted: ${allowed.join(", ")}` })
  }
}

/** No workflow with this id (and version) is registered. */
export class WorkflowNotFoundError extends CivicaseErrorBase {
  readonly _tag = "WorkflowNotFoundError" as const
  readonly code = "CIVICASE_E_WORKFLOW_NOT_FOUND" as const
  constructor(readonly workflow: string, readonly version?: number) {
    super({ message: `workflow ${workflow}${version === undefined ? "" : `@${version}`} not found` })
  }
}

/** `expectedRev` is stale, or the case kept moving under contention. */
export class RevisionConflictError extends CivicaseErrorBase {
  readonly _tag = "RevisionConflictError" as const
  readonly code = "CIVICASE_E_REVISION_CONFLICT" as const
  constructor(readonly caseId: string, readonly expectedRev: number, readonly actualRev: number | undefined) {
    super({ message: `case ${caseId} is at rev ${actualRev ?? "?"}, not ${expectedRev}` })
  }
}

/** The event has no enabled transition in the current state; `accepted` lists the events that do. */
export class EventNotAcceptedError extends CivicaseErrorBase {
  readonly _tag = "EventNotAcceptedError" as const
  readonly code = "CIVICASE_E_EVENT_NOT_ACCEPTED" as const
  constructor(
    readonly caseId: string,
    readonly eventType: string,
    readonly state: string,
    readonly accepted: ReadonlyArray<string>,
    /** `state`: no transition for this event here; `condition`: there is one, but its guard refuses this payload, actor or context now. */
    readonly reason: "state" | "condition" = "state",
  ) {
    super({
      message:
        reason === "condition"
          ? `event ${eventType} is not accepted in state "${state}" now: its conditions are not met (for example a required earlier step, the approver's turn, or a vote already cast); accepted: ${accepted.join(", ")}`
          : `event ${eventType} is not accepted in state "${state}"; accepted: ${accepted.length ? accepted.join(", ") : "none"}`,
    })
  }
}

/** The case has reached a final state and accepts nothing more. */
export class CaseClosedError extends CivicaseErrorBase {
  readonly _tag = "CaseClosedError" as const
  readonly code = "CIVICASE_E_CASE_CLOSED" as const
  constructor(readonly caseId: string, readonly state: string) {
    super({ message: `case ${caseId} is done (state "${state}")` })
  }
}

/** A plugin's before-event hook refused the event. */
export class RefusedByPluginError extends CivicaseErrorBase {
  readonly _tag = "RefusedByPluginError" as const
  readonly code = "CIVICASE_E_REFUSED_BY_PLUGIN" as const
  constructor(readonly plugin: string, readonly reason: string) {
    super({ message: `refused by plugin ${plugin}: ${reason}` })
  }
}

/** A workflow definition is inconsistent; raised by `defineWorkflow` with every problem listed. */
export class InvalidDefinitionError extends CivicaseErrorBase {
  readonly _tag = "InvalidDefinitionError" as const
  readonly code = "CIVICASE_E_INVALID_DEFINITION" as const
  constructor(readonly workflow: string, readonly problems: ReadonlyArray<string>) {
    super({ message: `workflow ${workflow} is invalid:\n- ${problems.join("\n- ")}` })
  }
}

/** A configuration document (engine options, province file) is invalid; `issues` lists every path. */
export class InvalidConfigError extends CivicaseErrorBase {
  readonly _tag = "InvalidConfigError" as const
  readonly code = "CIVICASE_E_INVALID_CONFIG" as const
  constructor(readonly source: string, readonly issues: ReadonlyArray<ValidationIssue>) {
    super({ message: `${source} is invalid:\n${issues.map((i) => `  ${i.path || "/"}: ${i.message}`).join("\n")}` })
  }
}

/** The database failed in a way the caller cannot fix (connection lost, unexpected error). */
export class StorageError extends CivicaseErrorBase {
  readonly _tag = "StorageError" as const
  readonly code = "CIVICASE_E_STORAGE" as const
  constructor(readonly kind: string, override readonly cause: unknown) {
    super({ message: `storage error (${kind}): ${cause instanceof Error ? cause.message : String(cause)}` })
  }
}

/** The engine was closed; no more work is taken. */
export class EngineClosedError extends CivicaseErrorBase {
  readonly _tag = "EngineClosedError" as const
  readonly code = "CIVICASE_E_ENGINE_CLOSED" as const
  constructor() {
    super({ message: "the engine is closed" })
  }
}

/**
 * A bug rather than a refusal or an outage: something that is not a civicase
 * error escaped (a machine action threw, a plugin hook failed). `cause` holds
 * the original error; servers answer 500 and log it.
 *
 * @example
 * Effect.catchTag("InternalError", (e) => Effect.logError(e.cause))
 */
export class InternalError extends CivicaseErrorBase {
  readonly _tag = "InternalError" as const
  readonly code = "CIVICASE_E_INTERNAL" as const
  constructor(override readonly cause: unknown) {
    super({ message: `internal error: ${cause instanceof Error ? cause.message : String(cause)}` })
  }
}

/**
 * An outbound URL whose target is refused (SSRF guard): not http(s), with
 * credentials, a private, loopback, link-local or metadata address that the
 * configuration does not allow, or a name that does not resolve.
 *
 * @example
 * new TargetRefusedError("http://169.254.169.254/", "169.254.169.254 is link-local (cloud metadata)")
 */
export class TargetRefusedError extends CivicaseErrorBase {
  readonly _tag = "TargetRefusedError" as const
  readonly code = "CIVICASE_E_TARGET_REFUSED" as const
  constructor(readonly target: string, readonly reason: string) {
    super({ message: `target ${target} refused: ${reason}` })
  }
}

/** No webhook subscription with this id in the actor's province (another province's look the same). */
export class SubscriptionNotFoundError extends CivicaseErrorBase {
  readonly _tag = "SubscriptionNotFoundError" as const
  readonly code = "CIVICASE_E_SUBSCRIPTION_NOT_FOUND" as const
  constructor(readonly subscriptionId: string) {
    super({ message: `subscription ${subscriptionId} not found` })
  }
}

/** The codes a refused link request carries. */
export type LinkErrorCode =
  | "CIVICASE_E_LINK_UNKNOWN_PEER"
  | "CIVICASE_E_LINK_SIGNATURE"
  | "CIVICASE_E_LINK_STALE"
  | "CIVICASE_E_LINK_REPLAYED"
  | "CIVICASE_E_LINK_NOT_FOUND"
  | "CIVICASE_E_LINK_NOT_MAPPED"

/**
 * A request between two linked deployments (liên kết giữa hai tỉnh) was
 * refused: an unknown peer, a bad signature, a stale timestamp, a replayed
 * nonce, a link this deployment does not know, or no inbound mapping.
 *
 * @example
 * if (e instanceof LinkRefusedError && e.code === "CIVICASE_E_LINK_REPLAYED") // drop it: it was handled before
 */
export class LinkRefusedError extends CivicaseErrorBase {
  readonly _tag = "LinkRefusedError" as const
  constructor(readonly code: LinkErrorCode, readonly reason: string) {
    super({ message: reason })
  }
}

/** Every error the engine raises to callers. */
export type CivicaseError =
  | ValidationError
  | UnknownActorError
  | ForbiddenError
  | RoleNotHeldError
  | CaseNotFoundError
  | PersonNotFoundError
  | DocumentNotFoundError
  | PayloadTooLargeError
  | UnsupportedMediaTypeError
  | WorkflowNotFoundError
  | RevisionConflictError
  | EventNotAcceptedError
  | CaseClosedError
  | RefusedByPluginError
  | InvalidDefinitionError
  | InvalidConfigError
  | StorageError
  | EngineClosedError
  | InternalError
  | TargetRefusedError
  | SubscriptionNotFoundError
  | LinkRefusedError

/**
 * True for any civicase error, even one thrown by another copy of the library.
 *
 * @example
 * try { await engine.send(id, { type: "SUBMIT" }, actor) }
 * catch (e) { if (isCivicaseError(e) && e.code === "CIVICASE_E_FORBIDDEN") ... }
 */
export function isCivicaseError(e: unknown): e is CivicaseErrorShape {
  return typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[brand] === true
}
