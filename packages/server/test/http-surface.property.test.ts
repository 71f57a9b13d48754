import type { Actor } from "@civicase/core"
import { demoActors } from "@civicase/core/testing"
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Harness, harness } from "./harness.js"
import { answerProblems, fuzzRuns, storedState, timeoutFor } from "./property-checks.js"
import { ResponseLog, undeclared } from "./response-log.js"

const prototypeNames = Object.getOwnPropertyNames(Object.prototype)
const RUNS = fuzzRuns(1500)

/** Actors a request may come as: the demo's, and ones no province knows (odd agency, odd role, another province, prototype names). */
const actors: Actor[] = [
  ...Object.values(demoActors),
  { id: "x-1", province: "demo", agency: "no-such-agency", roles: ["agency_officer"] },
  { id: "x-2", province: "demo", agency: "agency-a", roles: ["no_such_role"] },
  { id: "x-3", province: "demo", agency: "constructor", roles: ["toString", "__proto__"] },
  { id: "x-4", province: "demo", agency: "agency-a", roles: ["system"] },
  { id: "x-5", province: "demo", agency: "agency-a", roles: [] },
]

/** Strings a hostile client would try where a name or an id goes. */
const oddText = fc.oneof(
  fc.constantFrom(...prototypeNames, "", " ", "demo", "NOTE", "SUBMIT", "..", "%00", "%E0%A4%A", "\u0000", "\ud800", "a/b", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "Hà Nội"),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 10 }),
  fc.integer({ min: 90, max: 400 }).map((n) => "x".repeat(n)),
)

/** Percent-encodes `text`; a lone surrogate, which has no UTF-8, becomes the bytes a careless client would send for it. */
const encode = (text: string) => {
  try {
    return encodeURIComponent(text)
  } catch {
    return "%ED%A0%80"
  }
}

/** JSON text of a hostile shape: deep, wide, long, prototype keys, lone surrogates. */
const hostileJson = fc.oneof(
  fc.integer({ min: 20, max: 6000 }).map((n) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`),
  fc.integer({ min: 20, max: 60_000 }).map((n) => `${"[".repeat(n)}${"]".repeat(n)}`),
  fc.integer({ min: 200, max: 600 }).map((n) => JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i])))),
  fc.constantFrom('{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"admin":true}}}', '{"text":"\\ud800"}', '{"text":"a\\u0000b"}', '{"a":1,"a":2}', "", "null", "[]", "{", '"x"'),
)

/** A body: a plausible envelope with wrong or odd parts, any JSON value, or hostile JSON text. */
const body = (caseId: string) =>
  fc.oneof(
    fc.record(
      {
        workflow: fc.oneof(fc.constant("demo"), oddText, fc.jsonValue({ maxDepth: 1 })),
        input: fc.oneof(fc.record({ title: fc.oneof(oddText, fc.jsonValue({ maxDepth: 1 })) }), fc.jsonValue({ maxDepth: 3 })),
        idempotencyKey: fc.oneof(oddText, fc.jsonValue({ maxDepth: 1 })),
      },
      { requiredKeys: [] },
    ).map((v) => JSON.stringify(v)),
    fc.record(
      {
        type: fc.oneof(fc.constantFrom("NOTE", "SUBMIT", "APPROVE", "RETURN", "CLOSE"), oddText, fc.jsonValue({ maxDepth: 1 })),
        payload: fc.oneof(fc.record({ text: oddText }), fc.record({ comment: oddText }), fc.record({ result: oddText, reason: oddText }), fc.jsonValue({ maxDepth: 3 })),
        expectedRev: fc.oneof(fc.integer({ min: -1, max: 4 }), fc.constantFrom("1", "4", 1.5, null, true)),
        idempotencyKey: oddText,
      },
      { requiredKeys: [] },
    ).map((v) => JSON.stringify(v)),
    fc.record({ agency: oddText, roles: fc.array(oddText, { maxLength: 3 }), ttlSeconds: fc.jsonValue({ maxDepth: 0 }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    hostileJson,
    fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.concat([Buffer.from('{"workflow":"demo","input":{"title":"'), Buffer.from(bytes), Buffer.from('"}}')])),
    fc.constant(caseId).map((id) => JSON.stringify({ type: "NOTE", payload: { text: id } })),
  )

/** A path: each route's with good, odd and other ids, or made-up segments. */
const path = (caseId: string) => {
  const id = fc.oneof(fc.constant(caseId), fc.constant("00000000-0000-4000-8000-000000000000"), oddText.map(encode), fc.uuid())
  return fc.oneof(
    id.map((i) => `/v1/cases/${i}/events`),
    id.map((i) => `/v1/cases/${i}`),
    id.map((i) => `/v1/cases/${i}/history`),
    id.map((i) => `/v1/cases/${i}/verify`),
    id.map((i) => `/v1/workflows/${i}`),
    fc.constantFrom("/v1/cases", "/v1/workflows", "/v1/reports/sla", "/v1/live", "/v1/dev/token", "/healthz", "/metrics", "/openapi.json", "/", "/v1", "/v1/", "/v2/cases"),
    fc.array(oddText.map(encode), { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join("/")}`),
  )
}

/** A query string: known filters with good and wrong values, and odd names. */
const query = fc.array(
  fc.tuple(
    fc.oneof(fc.constantFrom("workflow", "state", "agency", "status", "overdue", "orderBy", "cursor", "limit", "version", "from", "to", "token"), oddText),
    fc.oneof(fc.constantFrom("demo", "active", "done", "true", "false", "1", "0", "-1", "500", "501", "abc", "2025-01-01", "created", "deadline"), oddText),
  ),
  { maxLength: 4 },
)

const request = (caseId: string) =>
  fc.record({
    method: fc.constantFrom("GET", "GET", "POST", "POST", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"),
    path: path(caseId),
    query,
    actor: fc.option(fc.constantFrom(...actors), { nil: undefined, freq: 6 }),
    authorization: fc.option(fc.constantFrom("Bearer abc.def.ghi", "Basic dXNlcjpwYXNz", "Bearer", "bearer x.y.z", ""), { nil: undefined, freq: 8 }),
    contentType: fc.option(
      fc.constantFrom("application/json", "application/json; charset=utf-8", "application/json; charset=latin1", "text/plain", "application/xml", "multipart/form-data", "application/x-www-form-urlencoded", "application/problem+json", "*/*", "garbage"),
      { nil: undefined, freq: 5 },
    ),
    extraHeaders: fc.dictionary(fc.constantFrom("accept", "accept-language", "x-forwarded-for", "origin", "x-request-id", "if-none-match", "upgrade", "connection"), fc.stringMatching(/^[ -~]{0,40}$/), { maxKeys: 3 }),
    body: fc.option(body(caseId), { nil: undefined, freq: 4 }),
  })

describe("property: the HTTP surface under random routes, methods, headers and bodies", () => {
  let h: Harness
  let log: ResponseLog
  let caseId: string
  const tokens = new Map<string, string>()
  beforeAll(async () => {
    h = await harness({ rateLimit: false })
    log = new ResponseLog(h.app)
    const res = await h.app.inject({ method: "POST", url: "/v1/cases", headers: await h.auth(demoActors.officer), payload: { workflow: "demo", input: { title: "sentinel" } } })
    caseId = res.json().id
  })
  afterAll(() => h.close())

  const tokenOf = async (actor: Actor) => {
    const key = JSON.stringify(actor)
    if (!tokens.has(key)) tokens.set(key, await h.token(actor))
    return tokens.get(key)!
  }

  it("no 5xx; every error a registered problem; a refused request changes nothing; what commits verifies; every answer declared", async () => {
    const statuses = new Map<number, number>()
    await fc.assert(
      fc.asyncProperty(request(caseId), async (r) => {
        const headers: Record<string, string> = { ...r.extraHeaders }
        if (r.actor) headers.authorization = `Bearer ${await tokenOf(r.actor)}`
        else if (r.authorization !== undefined) headers.authorization = r.authorization
        if (r.contentType) headers["content-type"] = r.contentType
        const search = r.query.length ? `?${r.query.map(([k, v]) => `${encode(k)}=${encode(v)}`).join("&")}` : ""
        const before = await storedState(h.engine)
        const res = await h.app.inject({ method: r.method as "GET", url: `${r.path}${search}`, headers, ...(r.body === undefined ? {} : { payload: r.body }) })
        log.record(r.method, res)
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
        expect(answerProblems(r.method, res)).toEqual([])
        if (res.statusCode >= 400) expect(await storedState(h.engine), `${r.method} ${r.path} → ${res.statusCode} changed stored state`).toBe(before)
        if ((res.statusCode === 200 || res.statusCode === 201) && r.method === "POST" && r.path.startsWith("/v1/cases")) {
          const id = res.json().id as string
          expect(await h.engine.verify(id, demoActors.coordinator)).toMatchObject({ ok: true })
        }
      }),
      { numRuns: RUNS },
    )
    // The runs reached the surface they mean to: successes, refusals of each kind, and the edge's own answers.
    for (const status of [200, 400, 401, 404, 405, 415]) expect([...statuses.keys()], `statuses seen: ${[...statuses].join(" ")}`).toContain(status)
    expect(undeclared(h.app.swagger(), log.observed())).toEqual([])
  }, timeoutFor(RUNS, 100))
})
