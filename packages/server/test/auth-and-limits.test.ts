import { createEngine, silentLogger, testClock } from "@civicase/core"
import { pglite } from "@civicase/adapters"
import { demoActors, demoWorkflow } from "@civicase/core/testing"
import { buildServer, devTokens, jwtAuth } from "@civicase/server"
import { type CryptoKey, SignJWT, exportJWK, generateKeyPair } from "jose"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Harness, harness } from "./harness.js"

const { officer, coordinator } = demoActors

describe("authentication", () => {
  const clock = testClock(new Date("2025-03-03T02:00:00Z"))
  const engine = createEngine({ store: pglite(), workflows: [demoWorkflow], clock, scheduler: false, logger: silentLogger })
  let keys: Awaited<ReturnType<typeof generateKeyPair>>
  let other: Awaited<ReturnType<typeof generateKeyPair>>
  let app: Awaited<ReturnType<typeof buildServer>>
  const now = () => Math.floor(clock.now().getTime() / 1000)
  const sign = (claims: Record<string, unknown>, opts: { key?: CryptoKey; alg?: string; iss?: string; aud?: string; exp?: number; kid?: string } = {}) =>
    new SignJWT({ province: "demo", agency: "agency-a", roles: ["agency_officer"], ...claims })
      .setProtectedHeader({ alg: opts.alg ?? "RS256", kid: opts.kid ?? "k1" })
      .setSubject("officer-1")
      .setIssuer(opts.iss ?? "https://id.demo.gov.vn")
      .setAudience(opts.aud ?? "civicase")
      .setIssuedAt(now())
      .setExpirationTime(opts.exp ?? now() + 3600)
      .sign(opts.key ?? keys.privateKey)

  beforeAll(async () => {
    keys = await generateKeyPair("RS256", { extractable: true })
    other = await generateKeyPair("RS256", { extractable: true })
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: "k1", alg: "RS256", use: "sig" }
    app = await buildServer({
      engine,
      province: "demo",
      auth: jwtAuth({ jwks: { keys: [jwk] }, algorithms: ["RS256"], issuer: "https://id.demo.gov.vn", audience: "civicase", now: () => clock.now() }),
    })
  })
  afterAll(async () => {
    await app.close()
    await engine.close()
  })

  const get = (authorization?: string) => app.inject({ url: "/v1/cases", headers: authorization === undefined ? {} : { authorization } })

  it("accepts a token verified by the JWKS and acts as its claims", async () => {
    const res = await get(`Bearer ${await sign({})}`)
    expect(res.statusCode).toBe(200)
    const created = await app.inject({ method: "POST", url: "/v1/cases", headers: { authorization: `Bearer ${await sign({})}` }, payload: { workflow: "demo", input: { title: "x" } } })
    expect(created.statusCode).toBe(201)
    expect(created.json().parties.owner).toBe("agency-a")
  })

  it.each([
    ["no header", undefined, "bearer token is required"],
    ["not a bearer", "Basic dXNlcjpwYXNz", "Bearer <JWT>"],
    ["garbage", "Bearer abc.def.ghi", "malformed"],
  ])("401 with %s", async (_name, header, detail) => {
    const res = await get(header)
    expect(res.statusCode).toBe(401)
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/)
    expect(res.json()).toMatchObject({ code: "CIVICASE_E_UNAUTHENTICATED", detail: expect.stringContaining(detail) })
  })

  it("401 for an expired token, a wrong issuer or audience, another key, or an algorithm not allowed", async () => {
    const cases: Array<[Promise<string>, string]> = [
      [sign({}, { exp: now() - 120 }), "expired"],
      [sign({}, { iss: "https://evil.example" }), '"iss"'],
      [sign({}, { aud: "other-app" }), '"aud"'],
      [sign({}, { key: other.privateKey }), "signature"],
      [sign({}, { alg: "HS256", key: new TextEncoder().encode("x".repeat(32)) as unknown as CryptoKey }), "algorithm"],
    ]
    for (const [token, detail] of cases) {
      const res = await get(`Bearer ${await token}`)
      expect(res.statusCode, detail).toBe(401)
      expect(res.json().detail).toContain(detail)
    }
  })

  it("401 when claims are missing or the token claims the engine's system role", async () => {
    for (const claims of [{ roles: "coordinator" }, { agency: undefined }, { roles: ["system"] }]) {
      const res = await get(`Bearer ${await sign(claims)}`)
      expect(res.statusCode).toBe(401)
    }
  })

  it("401 for a token of another province, saying so", async () => {
    const res = await get(`Bearer ${await sign({ province: "elsewhere", roles: ["coordinator"] })}`)
    expect(res.statusCode).toBe(401)
    expect(res.json().detail).toContain('province "elsewhere"')
  })

  it("never logs or echoes the token", async () => {
    const token = await sign({ province: "elsewhere" })
    const res = await app.inject({ url: `/v1/cases?token=${token}`, headers: { authorization: `Bearer ${token}` } })
    expect(res.body).not.toContain(token)
  })
})

describe("server hardening", () => {
  let h: Harness
  const logs: string[] = []
  beforeAll(async () => {
    h = await harness({
      rateLimit: { max: 5, timeWindowMs: 60_000 },
      bodyLimit: 2048,
      logger: { level: "info", stream: { write: (line: string) => logs.push(line) } as unknown as NodeJS.WritableStream },
    })
  })
  afterAll(() => h.close())

  it("413 as problem+json for a body over the limit", async () => {
    const res = await h.app.inject({ method: "POST", url: "/v1/cases", headers: await h.auth(officer), payload: { workflow: "demo", input: { title: "x".repeat(4000) } } })
    expect(res.statusCode).toBe(413)
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/)
    expect(res.json().code).toBe("CIVICASE_E_PAYLOAD_TOO_LARGE")
  })

  it("429 per token once its budget is spent, while another token goes on", async () => {
    const spender = await h.auth(officer)
    const statuses: number[] = []
    for (let i = 0; i < 7; i++) statuses.push((await h.app.inject({ url: "/v1/workflows", headers: spender })).statusCode)
    // The 413 test above spent one request of the officer's budget already.
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2)
    const limited = await h.app.inject({ url: "/v1/workflows", headers: spender })
    expect(limited.statusCode).toBe(429)
    expect(limited.json()).toMatchObject({ code: "CIVICASE_E_RATE_LIMITED", status: 429 })
    expect(limited.headers["retry-after"]).toBeTruthy()
    expect((await h.app.inject({ url: "/v1/workflows", headers: await h.auth(coordinator) })).statusCode).toBe(200)
  })

  it("sends security headers", async () => {
    const res = await h.app.inject({ url: "/healthz" })
    expect(res.headers["content-security-policy"]).toContain("script-src 'self'")
    expect(res.headers["x-content-type-options"]).toBe("nosniff")
    expect(res.headers["access-control-allow-origin"]).toBeUndefined()
  })

  it("keeps the authorization header and query tokens out of the logs", async () => {
    const token = await h.token(coordinator)
    await h.app.inject({ url: `/v1/live?token=${token}`, headers: { authorization: `Bearer ${token}` } })
    const text = logs.join("\n")
    expect(text).toContain("[redacted]")
    expect(text).not.toContain(token)
    expect(logs.every((l) => JSON.parse(l).reqId === undefined || typeof JSON.parse(l).reqId === "string")).toBe(true)
  })

  it("never answers with a stack trace", async () => {
    const res = await h.app.inject({ method: "POST", url: "/v1/cases", headers: await h.auth(coordinator), payload: "[]" })
    expect(res.body).not.toMatch(/at .*\.ts:\d+/)
  })
})

describe("rate limit keys", () => {
  let h: Harness
  beforeAll(async () => {
    h = await harness({ rateLimit: { max: 3, timeWindowMs: 60_000 } })
  })
  afterAll(() => h.close())
  const list = (authorization: string) => h.app.inject({ url: "/v1/workflows", headers: { authorization } })

  it("made-up tokens share their address's bucket instead of getting one each", async () => {
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) statuses.push((await list(`Bearer made${i}.up.token${i}`)).statusCode)
    expect(statuses).toEqual([401, 401, 401, 429, 429])
    // A verified actor from the same address has its own bucket.
    expect((await list((await h.auth(coordinator)).authorization)).statusCode).toBe(200)
  })

  it("an actor's fresh token draws on the same bucket as its old one", async () => {
    const first = (await h.auth(officer)).authorization
    for (let i = 0; i < 3; i++) expect((await list(first)).statusCode).toBe(200)
    h.clock.advance("PT1S")
    const second = (await h.auth(officer)).authorization
    expect(second).not.toBe(first)
    expect((await list(second)).statusCode).toBe(429)
  })
})

describe("dev tokens", () => {
  it("POST /v1/dev/token does not exist without devTokens", async () => {
    const h = await harness()
    try {
      const res = await h.app.inject({ method: "POST", url: "/v1/dev/token", payload: { agency: "so-tttt", roles: ["coordinator"] } })
      expect(res.statusCode).toBe(404)
    } finally {
      await h.close()
    }
  })

  it("mints a token that the server accepts, for its own province only", async () => {
    const dev = devTokens()
    const engine = createEngine({ store: pglite(), workflows: [demoWorkflow], scheduler: false, logger: silentLogger })
    const app = await buildServer({ engine, auth: dev.auth, province: "demo", devTokens: dev })
    try {
      const minted = await app.inject({ method: "POST", url: "/v1/dev/token", payload: { agency: "so-tttt", roles: ["coordinator"] } })
      expect(minted.statusCode).toBe(200)
      expect(minted.json().actor).toEqual({ id: "coordinator@so-tttt", province: "demo", agency: "so-tttt", roles: ["coordinator"] })
      const res = await app.inject({ url: "/v1/cases", headers: { authorization: `Bearer ${minted.json().token}` } })
      expect(res.statusCode).toBe(200)
      const bad = await app.inject({ method: "POST", url: "/v1/dev/token", payload: { agency: "so-tttt", roles: ["system"] } })
      expect(bad.statusCode).toBe(400)
    } finally {
      await app.close()
      await engine.close()
    }
  })
})
