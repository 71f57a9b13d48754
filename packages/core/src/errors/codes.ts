/**
 * The registry of every error code civicase raises. Each code has one HTTP
 * status (used by the server, mapped in one place) and a one-line meaning.
 * `docs/errors.md` lists the same codes; a test keeps the two in step.
 *
 * @example
 * import { errorCodes } from "@civicase/core"
 * errorCodes.CIVICASE_E_CASE_NOT_FOUND.status // 404
 */
export const errorCodes = {
  CIVICASE_E_VALIDATION: { status: 400, title: "Payload fails its schema" },
  CIVICASE_E_BAD_REQUEST: { status: 400, title: "Malformed request" },
  CIVICASE_E_UNAUTHENTICATED: { status: 401, title: "No or bad credentials" },
  CIVICASE_E_UNKNOWN_ACTOR: { status: 401, title: "Not an actor of a province this engine serves" },
  CIVICASE_E_FORBIDDEN: { status: 403, title: "The actor may not do this" },
  CIVICASE_E_ROLE_NOT_HELD: { status: 403, title: "The actor's agency may not hold this role" },
  CIVICASE_E_CASE_NOT_FOUND: { status: 404, title: "No such case" },
  CIVICASE_E_WORKFLOW_NOT_FOUND: { status: 404, title: "No such workflow" },
  CIVICASE_E_NOT_FOUND: { status: 404, title: "Not found" },
  CIVICASE_E_PERSON_NOT_FOUND: { status: 404, title: "No such person" },
  CIVICASE_E_DOCUMENT_NOT_FOUND: { status: 404, title: "No such document" },
  CIVICASE_E_METHOD_NOT_ALLOWED: { status: 405, title: "Method not allowed" },
  CIVICASE_E_REQUEST_TIMEOUT: { status: 408, title: "The request took too long to arrive" },
  CIVICASE_E_REVISION_CONFLICT: { status: 409, title: "The case has moved on" },
  CIVICASE_E_EVENT_NOT_ACCEPTED: { status: 409, title: "Event not accepted in the current state" },
  CIVICASE_E_CASE_CLOSED: { status: 409, title: "The case is done" },
  CIVICASE_E_PAYLOAD_TOO_LARGE: { status: 413, title: "Body too large" },
  CIVICASE_E_URI_TOO_LONG: { status: 414, title: "A path segment is too long" },
  CIVICASE_E_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: "Unsupported media type" },
  CIVICASE_E_UPGRADE_REQUIRED: { status: 426, title: "A websocket upgrade is required" },
  CIVICASE_E_RATE_LIMITED: { status: 429, title: "Too many requests" },
  CIVICASE_E_HEADERS_TOO_LARGE: { status: 431, title: "Request headers too large" },
  CIVICASE_E_REFUSED_BY_PLUGIN: { status: 422, title: "A plugin refused the event" },
  CIVICASE_E_INVALID_DEFINITION: { status: 500, title: "Invalid workflow definition" },
  CIVICASE_E_INVALID_CONFIG: { status: 500, title: "Invalid configuration" },
  CIVICASE_E_STORAGE: { status: 503, title: "Storage unavailable" },
  CIVICASE_E_ENGINE_CLOSED: { status: 503, title: "The engine is closed" },
  CIVICASE_E_INTERNAL: { status: 500, title: "Internal error" },
  CIVICASE_E_EDXML_MALFORMED: { status: 400, title: "The edXML package is not well-formed" },
  CIVICASE_E_EDXML_TOO_LARGE: { status: 413, title: "The edXML package is over a limit" },
  CIVICASE_E_EDXML_MISSING_ELEMENT: { status: 400, title: "The edXML package lacks a required element" },
  CIVICASE_E_EDXML_INVALID_VALUE: { status: 400, title: "An edXML element has an invalid value" },
  CIVICASE_E_EDXML_SIGNATURE: { status: 422, title: "The edXML package is unsigned or its signature is invalid" },
  CIVICASE_E_TARGET_REFUSED: { status: 422, title: "The URL's target is not allowed" },
  CIVICASE_E_SUBSCRIPTION_NOT_FOUND: { status: 404, title: "No such subscription" },
  CIVICASE_E_LINK_UNKNOWN_PEER: { status: 403, title: "Not a configured peer" },
  CIVICASE_E_LINK_SIGNATURE: { status: 401, title: "The link request's signature is missing or invalid" },
  CIVICASE_E_LINK_STALE: { status: 401, title: "The link request's timestamp is outside the tolerance" },
  CIVICASE_E_LINK_REPLAYED: { status: 409, title: "The link request was already received" },
  CIVICASE_E_LINK_NOT_FOUND: { status: 404, title: "No such link" },
  CIVICASE_E_LINK_NOT_MAPPED: { status: 422, title: "No inbound mapping for this peer and kind" },
} as const satisfies Record<string, { status: number; title: string }>

/** A registered error code, such as `"CIVICASE_E_FORBIDDEN"`. */
export type ErrorCode = keyof typeof errorCodes
