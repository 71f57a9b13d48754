import type { components, paths } from "./generated/openapi.js"

/** A case as the actor sees it (hồ sơ): `GET /v1/cases/{id}`. */
export type Case = components["schemas"]["Case"]

/** One entry of a case's history (nhật ký): `GET /v1/cases/{id}/history`. */
export type HistoryEntry = components["schemas"]["HistoryEntry"]

/** The body of `POST /v1/cases`. */
export type CreateCaseBody = NonNullable<paths["/v1/cases"]["post"]["requestBody"]>["content"]["application/json"]

/** The body of `POST /v1/cases/{id}/events`. */
export type SendEventBody = NonNullable<paths["/v1/cases/{id}/events"]["post"]["requestBody"]>["content"]["application/json"]

/** The query of `GET /v1/cases`. */
export type ListCasesQuery = NonNullable<paths["/v1/cases"]["get"]["parameters"]["query"]>

/** One page of `GET /v1/cases`: pass `nextCursor` as `cursor` for the next. */
export type CasePage = paths["/v1/cases"]["get"]["responses"][200]["content"]["application/json"]

/** `"<workflow>.v<version>.<EVENT>"`: every event whose payload schema the server publishes. */
export type EventSchemaName = Extract<keyof components["schemas"], `${string}.v${number}.${string}`>

/**
 * The payload type of one event, from the workflow's own JSON Schema.
 *
 * @example
 * const payload: EventPayload<"plan.v1.SUBMIT"> = { … }
 * await client.sendEvent(id, { type: "SUBMIT", payload })
 */
export type EventPayload<Name extends EventSchemaName> = components["schemas"][Name]

export type { components, paths }
