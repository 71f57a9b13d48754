import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { type Server, createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createEngine, silentLogger, testClock } from "@civicase/core"
import { pglite } from "@civicase/adapters"
import { buildServer, devTokens, oidcSignIn } from "@civicase/server"
import { loadProvince, provinceDirectory, provinceFiles, workflows } from "@civicase/workflows"
// @ts-expect-error oidc-provider ships no type declarations
import Provider from "oidc-provider"
import { type BrowserContext, chromium } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const CHROMIUM = "/usr/bin/chromium"

// Sign-in through a real OpenID Connect provider (oidc-provider, started here on loopback) with
// the authorization code and PKCE: the province's claim names ("ma_co_quan", "vai_tro") map to the
// agency and roles, and the workspace ends up signed in with a session token the API accepts.
describe.runIf(existsSync(CHROMIUM))("sign-in with OpenID Connect in a browser", () => {
  const province = loadProvince(provinceFiles.vinhPhuc)
  const engine = createEngine({ store: pglite(), workflows: workflows(province), provinces: { [province.id]: provinceDirectory(province) }, clock: testClock(new Date()), scheduler: false, logger: silentLogger })
  const profile = mkdtempSync(join(tmpdir(), "civicase-chromium-oidc-"))
  const accounts = new Map<string, Record<string, unknown>>([
    ["binh", { name: "Trần Thị Bình", ma_co_quan: "so-tttt", vai_tro: "coordinator" }],
    ["khach", { name: "Khách", ma_co_quan: "khong-co", vai_tro: "coordinator" }],
  ])
  let app: Awaited<ReturnType<typeof buildServer>>
  let idp: Server
  let base: string
  let browser: BrowserContext

  beforeAll(async () => {
    await engine.start()
    idp = createServer()
    await new Promise<void>((resolve) => idp.listen(0, "127.0.0.1", resolve))
    const issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`
    // The server's port is needed for the redirect URI before the provider knows its client: take it first.
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve))
    const port = (probe.address() as AddressInfo).port
    await new Promise<void>((resolve) => probe.close(() => resolve()))
    base = `http://127.0.0.1:${port}`
    const provider = new Provider(issuer, {
      clients: [{ client_id: "civicase", client_secret: "the-test-client-secret-0123456789abcdef", redirect_uris: [`${base}/auth/oidc/callback`], response_types: ["code"], grant_types: ["authorization_code"] }],
      findAccount: (_ctx: unknown, id: string) => (accounts.has(id) ? { accountId: id, claims: () => ({ sub: id, ...accounts.get(id) }) } : undefined),
      claims: { openid: ["sub"], profile: ["name"], civicase: ["ma_co_quan", "vai_tro"] },
      conformIdTokenClaims: false,
      cookies: { keys: ["the-test-cookie-key-0123456789abcdef"] },
      features: { devInteractions: { enabled: true } },
    })
    idp.on("request", provider.callback())
    const oidc = oidcSignIn({
      issuer,
      clientId: "civicase",
      clientSecret: "the-test-client-secret-0123456789abcdef",
      redirectUri: `${base}/auth/oidc/callback`,
      province: province.id,
      claims: { agency: "ma_co_quan", roles: "vai_tro" },
      scope: "openid profile civicase",
      allowInsecureIssuer: true,
    })
    // The production authenticator stays; dev tokens stand in for the province's JWTs here.
    app = await buildServer({ engine, auth: devTokens().auth, province: province.id, oidc, rateLimit: false })
    await app.listen({ port, host: "127.0.0.1" })
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      locale: "vi-VN",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"],
    })
    browser.setDefaultTimeout(20_000)
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await new Promise<void>((resolve) => (idp ? idp.close(() => resolve()) : resolve()))
    await engine.close()
    rmSync(profile, { recursive: true, force: true })
  })

  it("signs in through the provider with PKCE; the claims map to agency and roles; the API accepts the session", async () => {
    const page = browser.pages()[0] ?? (await browser.newPage())
    const errors: string[] = []
    page.on("pageerror", (e) => errors.push(e.message))
    await page.goto(`${base}/`)
    expect(await page.isHidden("#mint")).toBe(true) // no --dev here
    await page.click("#oidc a")
    // The provider's own login and consent pages.
    await page.locator("input[name=login]").fill("binh")
    await page.locator("input[name=password]").fill("bat-ky")
    await page.click("button[type=submit]")
    await page.click("button[type=submit]")
    await page.waitForURL(`${base}/#/work`)
    await expect.poll(() => page.textContent("#who")).toContain("binh · so-tttt · coordinator · vinh-phuc")
    // The token left the URL; the API and the live feed take it.
    expect(page.url()).not.toContain("token=")
    await expect.poll(() => page.textContent('[data-count="actionable"]')).toBe("0")
    await expect.poll(() => page.textContent("#status")).toContain("đã kết nối")
    expect(errors).toEqual([])

    // The authorization request carried a PKCE challenge (S256), and a callback without a started sign-in is refused.
    const login = await fetch(`${base}/auth/oidc/login`, { redirect: "manual" })
    const to = new URL(login.headers.get("location") ?? "")
    expect(to.searchParams.get("code_challenge_method")).toBe("S256")
    expect(to.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const forged = await fetch(`${base}/auth/oidc/callback?state=nope&code=abc`, { redirect: "manual" })
    expect(forged.status).toBe(401)
    expect(((await forged.json()) as { code: string }).code).toBe("CIVICASE_E_UNAUTHENTICATED")
  }, 120_000)

  it("refuses an identity whose agency the province does not have, and signs nobody in", async () => {
    // Forget the provider's session of the first test, so it asks who signs in.
    await browser.clearCookies()
    const page = await browser.newPage()
    await page.goto(`${base}/`)
    await page.click("#oidc a")
    await page.locator("input[name=login]").fill("khach")
    await page.locator("input[name=password]").fill("bat-ky")
    const answer = page.waitForResponse((r) => r.url().startsWith(`${base}/auth/oidc/callback`))
    await page.click("button[type=submit]")
    await page.click("button[type=submit]")
    const res = await answer
    expect(res.status(), `${res.url()} → ${res.headers().location}`).toBe(401)
    expect(((await res.json()) as { code: string }).code).toBe("CIVICASE_E_UNKNOWN_ACTOR")
  }, 120_000)
})
