import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { afterAll, describe, expect, it } from "vitest"

const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url))
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href
const nodeArgs = ["--conditions=source", "--import", tsx, cli]
const env = (extra: Record<string, string>) => {
  const e = { ...process.env }
  delete e.CIVICASE_SMTP_URL
  return { ...e, ...extra }
}

// `civicase serve --notifications`: refusals by path, secrets from the environment only, never printed.
describe("civicase serve --notifications", { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "civicase-serve-notify-"))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("refuses a bad file naming each path, and an email channel whose SMTP variable is not set", () => {
    const bad = join(dir, "bad.json")
    writeFileSync(bad, JSON.stringify({ rules: [{ on: "reminder", to: ["assignee"] }, { on: "mention", to: ["somebody"] }], channels: { email: {}, sms: true } }))
    const res = spawnSync(process.execPath, [...nodeArgs, "serve", "--dev", "--port", "0", "--notifications", bad], { cwd: dir, encoding: "utf8", timeout: 60_000, env: env({}) })
    expect(res.status).toBe(2)
    expect(res.stderr).toContain("/channels/email")
    expect(res.stderr).toContain("/channels/sms")
    expect(res.stderr).toContain("/rules/1/to/0")
    const unset = join(dir, "unset.json")
    writeFileSync(unset, JSON.stringify({ rules: [{ on: "mention", to: ["recipient"] }], channels: { email: { from: "civicase@vinhphuc.example" } } }))
    const res2 = spawnSync(process.execPath, [...nodeArgs, "serve", "--dev", "--port", "0", "--notifications", unset], { cwd: dir, encoding: "utf8", timeout: 60_000, env: env({}) })
    expect(res2.status).toBe(2)
    expect(res2.stderr).toContain("CIVICASE_SMTP_URL, which is not set")
  })

  it("starts with email and the live feed from the file, printing the SMTP host but never its password", async () => {
    const file = join(dir, "notifications.json")
    writeFileSync(file, JSON.stringify({ baseUrl: "https://civicase.example", rules: [{ on: "mention", to: ["recipient"] }], channels: { email: { from: "civicase@vinhphuc.example" } } }))
    const args = ["serve", "--dev", "--port", "0", "--log-level", "warn", "--data-dir", "db", "--notifications", file]
    const child: ChildProcess = spawn(process.execPath, [...nodeArgs, ...args], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
      env: env({ CIVICASE_SMTP_URL: "smtp://civicase:s3cret-Pa55@mail.vinhphuc.example:2525" }),
    })
    let out = ""
    child.stderr!.on("data", (d) => (out += d))
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)))
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no notifications line; output: ${out}`)), 90_000)
      child.stdout!.on("data", (d) => {
        out += d
        if (/notifications: .*\n/.test(out)) {
          clearTimeout(timer)
          resolve()
        }
      })
      child.on("exit", () => reject(new Error(`exited early: ${out}`)))
    })
    child.kill("SIGTERM")
    expect(await exited).toBe(0)
    expect(out).toContain("notifications: 1 rule(s); email via mail.vinhphuc.example, live feed")
    expect(out).not.toContain("s3cret-Pa55")
  })
})
