import { spawn, spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { provinceFiles } from "@civicase/workflows"
import { afterAll, describe, expect, it } from "vitest"
import { citizenDesk, codes, incoming, platformAgencies, rules, startFakeExchangePlatform } from "./exchange-fixtures.js"

const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url))
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href
const nodeArgs = ["--conditions=source", "--import", tsx, cli]

describe("civicase serve --integration with an exchange section", { timeout: 240_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "civicase-exchange-serve-"))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("refuses a bad exchange section by path, and a token variable that is not set", () => {
    const bad = join(dir, "bad.json")
    writeFileSync(bad, JSON.stringify({ exchange: { platform: { url: "ftp://x", extra: 1 }, agency: "so-tttt", send: [{ workflow: "plan" }], receive: [{ match: {} }] } }))
    const res = spawnSync(process.execPath, [...nodeArgs, "serve", "--dev", "--port", "0", "--integration", bad], { cwd: dir, encoding: "utf8", timeout: 60_000 })
    expect(res.status).toBe(2)
    for (const path of ["/exchange/platform/url", "/exchange/platform/extra", "/exchange/place", "/exchange/send/0/event"]) expect(res.stderr).toContain(`${path}: `)
    const unset = join(dir, "unset.json")
    writeFileSync(unset, JSON.stringify({ exchange: { ...rules, platform: { url: "http://127.0.0.1:9", tokenEnv: "CIVICASE_TEST_UNSET_TOKEN" } } }))
    const res2 = spawnSync(process.execPath, [...nodeArgs, "serve", "--dev", "--port", "0", "--integration", unset], { cwd: dir, encoding: "utf8", timeout: 60_000 })
    expect(res2.status).toBe(2)
    expect(res2.stderr).toContain("CIVICASE_TEST_UNSET_TOKEN, which is not set")
  })

  it("polls the platform once serving: a complaint in the inbox becomes a case and is acknowledged", async () => {
    const platform = await startFakeExchangePlatform({ agencies: platformAgencies(), token: "serve-token" })
    const province = JSON.parse(readFileSync(provinceFiles.vinhPhuc, "utf8"))
    province.agencies = province.agencies.map((a: { id: string }) => (Object.hasOwn(codes, a.id) ? { ...a, code: new Map(Object.entries(codes)).get(a.id) } : a))
    const provinceFile = join(dir, "vinh-phuc.json")
    writeFileSync(provinceFile, JSON.stringify(province))
    const integration = join(dir, "integration.json")
    writeFileSync(integration, JSON.stringify({ exchange: { ...rules, pollSeconds: 1, platform: { url: platform.url, tokenEnv: "CIVICASE_TEST_EXCHANGE_TOKEN" } } }))
    const complaint = incoming(citizenDesk, { number: "50", notation: "VPCP-V.I", documentType: { type: 11, typeName: "Đơn khiếu nại" }, subject: "Phản ánh thông tin sai lệch" })
    const id = platform.deliver({ from: citizenDesk.organId, to: [codes["so-tttt"]], key: complaint.documentId, xml: complaint.xml })
    const child = spawn(process.execPath, [...nodeArgs, "serve", "--dev", "--port", "0", "--province", provinceFile, "--data-dir", join(dir, "data"), "--integration", integration], {
      cwd: dir,
      env: { ...process.env, CIVICASE_TEST_EXCHANGE_TOKEN: "serve-token" },
    })
    let out = ""
    child.stdout.on("data", (c) => (out += c))
    child.stderr.on("data", (c) => (out += c))
    try {
      // Waits for the outcome, not for a time: the loop ends when the message is acknowledged (or the test's own timeout).
      while (!platform.messages().find((m) => m.id === id)?.acknowledgedBy.length) {
        if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}:\n${out}`)
        await new Promise((r) => setTimeout(r, 200))
      }
      expect(out).toContain("document exchange: polling the platform as exchange:platform (so-tttt)")
      // The acceptance status is written with the case and delivered by serve's outbox.
      while (!platform.messages().some((m) => m.to.includes(citizenDesk.organId))) {
        if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}:\n${out}`)
        await new Promise((r) => setTimeout(r, 200))
      }
      expect(platform.messages().find((m) => m.to.includes(citizenDesk.organId))!.xml).toContain(complaint.documentId)
    } finally {
      child.kill("SIGTERM")
      await new Promise((r) => child.once("exit", r))
      await platform.close()
    }
  })
})
