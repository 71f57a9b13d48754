import { existsSync, mkdtempSync, rmSync } from "node:fs"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createEngine, silentLogger, testClock } from "@civicase/core"
import { pglite } from "@civicase/adapters"
import { buildServer, devTokens } from "@civicase/server"
import { loadProvince, provinceFiles, workflows } from "@civicase/workflows"
import { type BrowserContext, type Page, chromium } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const CHROMIUM = "/usr/bin/chromium"

// The coordinator dashboard in Debian's Chromium, as a coordinator uses it:
// mint a dev token, see the case list, watch a transition arrive live. Any
// script error, CSP violation or failed request fails the test, so a broken
// dashboard script cannot pass unnoticed.
describe.runIf(existsSync(CHROMIUM))("coordinator dashboard in a browser", () => {
  const province = loadProvince(provinceFiles.vinhPhuc)
  // The browser judges "overdue" by its own clock, so the engine's test clock starts at the real now.
  const engine = createEngine({ store: pglite(), workflows: workflows(province), clock: testClock(new Date()), scheduler: false, logger: silentLogger })
  const dev = devTokens()
  const profile = mkdtempSync(join(tmpdir(), "civicase-chromium-"))
  let app: Awaited<ReturnType<typeof buildServer>>
  let base: string
  let browser: BrowserContext
  let page: Page
  const problems: string[] = []

  beforeAll(async () => {
    await engine.start()
    app = await buildServer({ engine, auth: dev.auth, province: province.id, devTokens: dev })
    await app.listen({ port: 0, host: "127.0.0.1" })
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    // A throwaway profile (--user-data-dir), which playwright takes as the first argument.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      viewport: { width: 1280, height: 900 },
      locale: "vi-VN",
      timezoneId: "Asia/Ho_Chi_Minh",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-quic",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
      ],
    })
    page = browser.pages()[0] ?? (await browser.newPage())
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`))
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`)
    })
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ""}`))
    page.on("response", (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`)
    })
    // Injected by the browser itself (not the page), so the page's CSP does not block it; it records what the CSP blocks.
    // (A string, since this file is type-checked without the DOM library.)
    await page.addInitScript(`
      window.cspViolations = []
      document.addEventListener("securitypolicyviolation", (e) => window.cspViolations.push(e.violatedDirective + " " + e.blockedURI))
    `)
  })
  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await engine.close()
    rmSync(profile, { recursive: true, force: true })
  })

  const token = async (agency: string, roles: string[]) => {
    const res = await fetch(`${base}/v1/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ agency, roles }) })
    return ((await res.json()) as { token: string }).token
  }
  const call = async (tok: string, path: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, { method: "POST", headers: { authorization: `Bearer ${tok}`, "content-type": "application/json" }, body: JSON.stringify(body) })
    const json = (await res.json()) as any
    expect(res.status, JSON.stringify(json)).toBeLessThan(300)
    return json
  }
  const report = (reporter: string, summary: string) =>
    call(reporter, "/v1/cases", { workflow: "press-response", input: { kind: "false_information", summary, source: "https://example.com/bai-viet", suspectedSeverity: "medium" } })

  it("mints a token, lists cases and shows a transition as it commits", async () => {
    const reporter = await token("so-khdt", ["agency_officer"])
    const existing = await report(reporter, "Tin sai về dự án khu công nghiệp")

    await page.goto(`${base}/`)
    await page.locator("#mint").waitFor({ state: "visible" })
    await page.fill("#mint input[name=agency]", "so-tttt")
    await page.fill("#mint input[name=roles]", "coordinator")
    await page.click("#mint button[type=submit]")

    await expect.poll(() => page.textContent("#who")).toContain("so-tttt")
    await expect.poll(() => page.textContent("#status")).toMatch(/connected|đã kết nối/)
    const existingRow = page.locator(`#rows tr[data-id="${existing.id}"]`)
    await existingRow.waitFor()
    // Labels from GET /v1/workflows, Vietnamese with English beside it, not raw state ids.
    expect(await existingRow.textContent()).toContain("Đã tiếp nhận")
    expect(await existingRow.textContent()).toContain("Tin sai về dự án khu công nghiệp")

    const coordinator = await token("so-tttt", ["coordinator"])
    const fresh = await report(reporter, "Bài viết sai lệch về giải phóng mặt bằng")
    await call(coordinator, `/v1/cases/${fresh.id}/events`, {
      type: "TRIAGE",
      payload: { severity: "medium", category: "false_information", responsibleAgency: "so-khdt", rationale: "Lan truyền nhanh" },
      expectedRev: 1,
    })

    const feed = page.locator(`#feed li[data-case-id="${fresh.id}"][data-rev="2"]`)
    await feed.waitFor()
    await expect.poll(() => feed.textContent()).toContain("Phân loại")
    expect(await feed.textContent()).toContain("Đã tiếp nhận → Đang xác minh")
    const freshRow = page.locator(`#rows tr[data-id="${fresh.id}"]`)
    await expect.poll(() => freshRow.textContent()).toContain("Đang xác minh")

    await page.screenshot({ path: join(tmpdir(), "civicase-dashboard.png"), fullPage: true })
    expect(await page.evaluate("window.cspViolations")).toEqual([])
    expect(problems).toEqual([])
  })
})
