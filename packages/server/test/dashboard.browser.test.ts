import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { createRequire } from "node:module"
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
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8")
// Screenshots of the work list and the case page, desktop and phone, for a human look.
const shots = process.env.CIVICASE_SCREENSHOTS ?? join(tmpdir(), "civicase-screenshots")

// The coordinator's workspace in Debian's Chromium, as two officers use it: a coordinator
// finds a case by search, attaches a document, comments and triages it through the generated
// form (one refusal shown beside its field first); an officer of the lead agency, on the same
// case in another tab, sees the change arrive live. Any script error, CSP violation or
// unexpected failed request fails the test, so a broken script cannot pass unnoticed.
describe.runIf(existsSync(CHROMIUM))("coordinator workspace in a browser", () => {
  const province = loadProvince(provinceFiles.vinhPhuc)
  // The browser judges "overdue" and time left by its own clock, so the engine's test clock starts at the real now.
  const engine = createEngine({ store: pglite(), workflows: workflows(province), clock: testClock(new Date()), scheduler: false, logger: silentLogger })
  const dev = devTokens()
  const profile = mkdtempSync(join(tmpdir(), "civicase-chromium-"))
  let app: Awaited<ReturnType<typeof buildServer>>
  let base: string
  let browser: BrowserContext
  const problems: string[] = []

  const watch = (page: Page, name: string) => {
    page.on("pageerror", (e) => problems.push(`${name} page error: ${e.message}`))
    page.on("console", (m) => {
      // The one refusal the test provokes is logged by Chromium as a failed resource load; anything else is a problem.
      if ((m.type() === "error" || m.type() === "warning") && !/status of 400/.test(m.text())) problems.push(`${name} console ${m.type()}: ${m.text()}`)
    })
    page.on("requestfailed", (r) => problems.push(`${name} request failed: ${r.url()} ${r.failure()?.errorText ?? ""}`))
    page.on("response", (r) => {
      if (r.status() >= 400 && !(r.status() === 400 && r.url().endsWith("/events"))) problems.push(`${name} HTTP ${r.status()}: ${r.url()}`)
    })
  }

  beforeAll(async () => {
    await engine.start()
    app = await buildServer({ engine, auth: dev.auth, province: province.id, devTokens: dev, rateLimit: false })
    await app.listen({ port: 0, host: "127.0.0.1" })
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    mkdirSync(shots, { recursive: true })
    // A throwaway profile (--user-data-dir), which playwright takes as the first argument.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      viewport: { width: 1280, height: 900 },
      locale: "vi-VN",
      timezoneId: "Asia/Ho_Chi_Minh",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"],
    })
    // A stuck step fails at its own line, well inside the test's time.
    browser.setDefaultTimeout(20_000)
    // Injected by the browser itself (not the page), so the page's CSP does not block it; it records what the CSP blocks.
    // (A string, since this file is type-checked without the DOM library.)
    await browser.addInitScript(`
      window.cspViolations = []
      document.addEventListener("securitypolicyviolation", (e) => window.cspViolations.push(e.violatedDirective + " " + e.blockedURI))
    `)
  }, 120_000)
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
  const call = async (tok: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${tok}`, ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined })
    const json = (await res.json()) as any
    expect(res.status, JSON.stringify(json)).toBeLessThan(300)
    return json
  }
  const report = (reporter: string, summary: string) =>
    call(reporter, "POST", "/v1/cases", { workflow: "press-response", input: { kind: "false_information", summary, source: "https://example.com/bai-viet", suspectedSeverity: "medium" } })

  const signIn = async (page: Page, agency: string, roles: string) => {
    await page.goto(`${base}/`)
    await page.locator("#mint").waitFor({ state: "visible" })
    await page.fill("#mint input[name=agency]", agency)
    await page.fill("#mint input[name=roles]", roles)
    await page.click("#mint button[type=submit]")
    await expect.poll(() => page.textContent("#who")).toContain(agency)
    await expect.poll(() => page.textContent("#status")).toContain("đã kết nối")
  }
  const axe = async (page: Page) => {
    await page.evaluate(axeSource)
    return page.evaluate(`axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => v.id + ": " + v.nodes.map((n) => n.target.join(" ")).join(", ")))`)
  }
  const noSideScroll = (page: Page) => page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

  it("finds a case, attaches, comments and triages it through its form, and another tab sees it live", async () => {
    const reporter = await token("so-khdt", ["agency_officer"])
    // More cases than one page (25) holds, so "Load more" must follow the cursor to show them all.
    for (let i = 1; i <= 26; i++) await report(reporter, `Tin đồn số ${i} về giá đất`)
    const target = await report(reporter, "Sạt lở đất ở Tam Đảo")
    await call(await token("so-tttt", ["coordinator"]), "PUT", "/v1/people/u-an", { agency: "so-khdt", name: "Nguyễn Văn An", roles: ["agency_officer"] })

    const coordinator = browser.pages()[0] ?? (await browser.newPage())
    watch(coordinator, "coordinator")
    await signIn(coordinator, "so-tttt", "coordinator")

    // My work: the actionable list with its count, the first page, then the rest through the cursor.
    await expect.poll(() => coordinator.textContent('[data-count="actionable"]')).toBe("27")
    await expect.poll(() => coordinator.locator("#rows tr[data-id]").count()).toBe(25)
    await coordinator.click("#more")
    await expect.poll(() => coordinator.locator("#rows tr[data-id]").count()).toBe(27)
    expect(await coordinator.isHidden("#more")).toBe(true)
    expect(await axe(coordinator)).toEqual([])
    await coordinator.screenshot({ path: join(shots, "work-list-desktop.png"), fullPage: true })

    // Search without diacritics, as people type.
    await coordinator.fill("#filter input[name=q]", "sat lo tam dao")
    await coordinator.press("#filter input[name=q]", "Enter")
    await expect.poll(() => coordinator.locator("#rows tr[data-id]").count()).toBe(1)
    const found = coordinator.locator(`#rows tr[data-id="${target.id}"]`)
    expect(await found.textContent()).toContain("Đã tiếp nhận")
    await found.locator("a").click()
    await coordinator.locator("#case-title").waitFor()
    expect(await coordinator.textContent("#case-title")).toContain("Sạt lở đất ở Tam Đảo")
    // Keyboard: the page moves focus to the case's heading.
    await expect.poll(() => coordinator.evaluate("document.activeElement && document.activeElement.id")).toBe("case-title")

    // The lead agency's officer keeps the same case open in another tab.
    const officer = await browser.newPage()
    watch(officer, "officer")
    await signIn(officer, "so-khdt", "agency_officer")
    await officer.goto(`${base}/#/case/${target.id}`)
    await officer.locator("#case-title").waitFor()
    expect(await officer.locator('#case-actions button[data-event="RECORD_FACTS"]').count()).toBe(0)

    // A document, then a comment.
    await coordinator.setInputFiles("#upload input[name=file]", { name: "Biên bản hiện trường.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n% civicase\n") })
    await coordinator.fill("#upload input[name=note]", "bản chụp")
    await coordinator.click("#upload button[type=submit]")
    await coordinator.locator("#case-documents li", { hasText: "Biên bản hiện trường.pdf" }).waitFor()
    const docs = await call(await token("so-tttt", ["coordinator"]), "GET", `/v1/cases/${target.id}/documents`)
    expect(docs.items.map((d: { name: string }) => d.name)).toEqual(["Biên bản hiện trường.pdf"])
    await coordinator.fill("#comment-text", "Đề nghị Sở KH&ĐT xác minh trong ngày")
    await coordinator.click("#comment button[type=submit]")
    await coordinator.locator("#case-comments li", { hasText: "Đề nghị Sở KH&ĐT xác minh trong ngày" }).waitFor()
    // The officer's tab heard both through the live feed.
    await officer.locator("#case-comments li", { hasText: "Đề nghị Sở KH&ĐT xác minh trong ngày" }).waitFor()

    // The TRIAGE form, opened from the keyboard; closing at triage needs severity "low", so the server refuses "high".
    const before = await call(await token("so-tttt", ["coordinator"]), "GET", `/v1/cases/${target.id}`)
    await coordinator.focus('#case-actions button[data-event="TRIAGE"]')
    await coordinator.keyboard.press("Enter")
    const form = coordinator.locator('form.event-form[data-event="TRIAGE"]')
    await form.waitFor()
    await expect.poll(() => coordinator.evaluate("document.activeElement && document.activeElement.name")).toBe("severity")
    expect(await form.textContent()).toContain("Mức độ")
    await form.locator("select[name=severity]").selectOption("high")
    await form.locator("select[name=category]").selectOption("false_information")
    await form.locator("select[name=responsibleAgency]").selectOption("so-khdt")
    await form.locator("[name=closeRationale]").fill("Không cần xử lý thêm")
    await form.locator("button[type=submit]").click()
    const severityError = form.locator('.field[data-path="/severity"] .field-error')
    await severityError.waitFor()
    expect(await severityError.textContent()).toMatch(/constant|equal/)
    expect(await form.locator("select[name=severity]").getAttribute("aria-invalid")).toBe("true")
    // Refused: nothing written.
    expect((await call(await token("so-tttt", ["coordinator"]), "GET", `/v1/cases/${target.id}`)).rev).toBe(before.rev)

    await form.locator("[name=closeRationale]").fill("")
    await form.locator("[name=rationale]").fill("Lan truyền nhanh trên mạng xã hội")
    await form.locator("button[type=submit]").click()
    await expect.poll(() => coordinator.textContent("#case-state")).toContain("Đang xác minh")
    await expect.poll(() => coordinator.textContent("#announce")).toContain("Phân loại")

    // The other tab sees it without reloading, and now offers the lead agency its next step.
    await expect.poll(() => officer.textContent("#case-state")).toContain("Đang xác minh")
    await officer.locator('#case-actions button[data-event="RECORD_FACTS"]').waitFor()
    const history = officer.locator("#case-history li")
    expect(await history.last().textContent()).toContain("Phân loại")

    // The hash chain holds.
    await coordinator.click("#verify")
    await expect.poll(() => coordinator.textContent("#verify-message")).toContain("toàn vẹn")

    // The coordinator hands the fact finding to a person of the lead agency.
    await coordinator.selectOption("#assign-to", "u-an")
    await coordinator.click("#assign button[type=submit]")
    await expect.poll(() => coordinator.textContent("#case-actions .assignment")).toContain("Nguyễn Văn An")
    expect((await call(await token("so-tttt", ["coordinator"]), "GET", `/v1/cases/${target.id}`)).assignee).toMatchObject({ id: "u-an" })

    expect(await axe(coordinator)).toEqual([])
    await coordinator.screenshot({ path: join(shots, "case-desktop.png"), fullPage: true })

    // A phone: nothing scrolls sideways, on the case page and on the list.
    await coordinator.setViewportSize({ width: 390, height: 844 })
    expect(await noSideScroll(coordinator)).toBe(true)
    await coordinator.screenshot({ path: join(shots, "case-phone.png"), fullPage: true })
    await coordinator.click('a[href="#/work"] >> nth=0')
    // Triaged, the case has left the actionable list; it is still among all the coordinator may see.
    await coordinator.click('#lists button[data-list="all"]')
    await coordinator.locator(`#rows tr[data-id="${target.id}"]`).waitFor()
    expect(await coordinator.locator(`#rows tr[data-id="${target.id}"]`).textContent()).toContain("Đang xác minh")
    expect(await noSideScroll(coordinator)).toBe(true)
    expect(await axe(coordinator)).toEqual([])
    await coordinator.screenshot({ path: join(shots, "work-list-phone.png"), fullPage: true })

    // The SLA report, as charts.
    await coordinator.setViewportSize({ width: 1280, height: 900 })
    await coordinator.goto(`${base}/#/reports`)
    await coordinator.locator(".sla-item svg.bars").first().waitFor()
    expect(await coordinator.locator('.sla-item[data-workflow="press-response"]').count()).toBeGreaterThan(0)

    for (const page of [coordinator, officer]) expect(await page.evaluate("window.cspViolations")).toEqual([])
    expect(problems).toEqual([])
  }, 180_000)
})
