import { readFileSync, readdirSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Harness, harness } from "./harness.js"

const publicDir = fileURLToPath(new URL("../public/", import.meta.url))

// The workspace's static files: every module the page imports is served with its type and the
// strict CSP, without a token; paths that are not one of those files are not served.
describe("workspace files", () => {
  let h: Harness
  beforeAll(async () => {
    h = await harness()
  })
  afterAll(() => h.close())

  it("serves the page, its style sheet and every module under app/ without a token, under the strict CSP", async () => {
    const page = await h.app.inject({ url: "/" })
    expect(page.statusCode).toBe(200)
    expect(page.headers["content-security-policy"]).toContain("script-src 'self'")
    expect(page.headers["content-security-policy"]).toContain("style-src 'self'")
    // No inline script or style in the page: every script is a file, no style attribute.
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
    expect(page.body).not.toMatch(/\sstyle=/)
    const modules = readdirSync(`${publicDir}app`).filter((f) => f.endsWith(".js"))
    expect(modules).toContain("main.js")
    for (const file of ["/dashboard.js", "/dashboard.css", ...modules.map((m) => `/app/${m}`)]) {
      const res = await h.app.inject({ url: file })
      expect(res.statusCode, file).toBe(200)
      expect(res.headers["content-type"], file).toMatch(file.endsWith(".css") ? /^text\/css/ : /^text\/javascript/)
    }
  })

  it("answers 404 for anything else, a climb out of the folder included", async () => {
    for (const url of ["/app/nope.js", "/app/", "/app/..%2F..%2Fpackage.json", "/app/../package.json", "/index.html"]) {
      const res = await h.app.inject({ url })
      expect(res.statusCode, url).toBe(404)
    }
  })

  it("builds no element from markup: the modules never assign innerHTML or call eval", async () => {
    for (const m of readdirSync(`${publicDir}app`)) {
      const source = readFileSync(`${publicDir}app/${m}`, "utf8")
      expect(source, m).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|\beval\(|new Function/)
    }
  })
})
