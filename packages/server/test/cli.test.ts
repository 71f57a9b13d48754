import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createRequire } from "node:module"
import { fileURLToPath, pathToFileURL } from "node:url"
import { afterAll, describe, expect, it } from "vitest"

const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url))
// Run the command from source, as the built bin would run from dist/.
// The tsx loader by absolute URL: the command runs in a temporary folder outside the workspace.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href
const nodeArgs = ["--conditions=source", "--import", tsx, cli]

function run(args: string[], cwd?: string) {
  return spawnSync(process.execPath, [...nodeArgs, ...args], { cwd, encoding: "utf8", timeout: 60_000 })
}

// Each run starts Node with the TypeScript loader: seconds apiece on a busy machine.
describe("the civicase command", { timeout: 180_000 }, () => {
  const dirs: string[] = []
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), "civicase-cli-"))
    dirs.push(d)
    return d
  }
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })

  it("prints help for itself and each command", () => {
    const main = run(["--help"])
    expect(main.status).toBe(0)
    expect(main.stdout).toContain("check-config")
    expect(main.stdout).toContain("apply-succession")
    const serve = run(["serve", "--help"])
    expect(serve.status).toBe(0)
    expect(serve.stdout).toContain("--database-url")
    expect(serve.stdout).toContain("--data-dir DIR")
    const wrong = run(["serve", "--nope"])
    expect(wrong.status).toBe(2)
    expect(wrong.stderr).toContain("--nope")
  })

  it("check-config on a broken file exits 1 listing every path", () => {
    const dir = tempDir()
    const file = join(dir, "broken.json")
    writeFileSync(file, JSON.stringify({ id: "Bad Id", version: 0, agencies: [{ id: "a" }] }))
    const res = run(["check-config", file])
    expect(res.status).toBe(1)
    for (const path of ["/id", "/version", "/names", "/calendar", "/roles", "/workflows", "/agencies/0/kind", "/agencies/0/names"]) {
      expect(res.stderr).toContain(`  ${path}: `)
    }
    const notJson = join(dir, "not.json")
    writeFileSync(notJson, "{")
    expect(run(["check-config", notJson]).stderr).toContain("not valid JSON")
  })

  it("check-config refuses an approval or escalation chain naming a role no agency holds, at its path", () => {
    const dir = tempDir()
    const file = join(dir, "chain.json")
    const province = JSON.parse(readFileSync(fileURLToPath(new URL("../../workflows/provinces/vinh-phuc.json", import.meta.url)), "utf8"))
    province.workflows["press-response"].approvalChains.critical = ["coordinator_head", "foreign_affairs_head", "province_leader"]
    province.workflows["press-response"].escalationChain = ["coordinator", "duty_officer"]
    writeFileSync(file, JSON.stringify(province))
    const res = run(["check-config", file])
    expect(res.status).toBe(1)
    expect(res.stderr).toContain('  /workflows/press-response/approvalChains/critical/1: names the role "foreign_affairs_head", which no agency holds')
    expect(res.stderr).toContain('  /workflows/press-response/escalationChain/1: names the role "duty_officer", which no agency holds')
  })

  it("check-config accepts the shipped province file, warning ahead of a year without its calendar decision", () => {
    const file = fileURLToPath(new URL("../../workflows/provinces/vinh-phuc.json", import.meta.url))
    const res = run(["check-config", file, "--as-of", "2025-06-01"])
    expect(res.stderr).toBe("")
    expect(res.status).toBe(0)
    expect(res.stdout).toContain("ok (vinh-phuc")
    const ahead = run(["check-config", file, "--as-of", "2026-11-20"])
    expect(ahead.status).toBe(0)
    expect(ahead.stderr).toContain("1 warning (the file is valid)")
    expect(ahead.stderr).toContain("  warning /calendar/years: no yearly decision data for 2027")
    expect(run(["check-config", file, "--as-of", "soon"]).status).toBe(2)
  })

  it("serve refuses to start without a way to verify tokens, unless --dev", () => {
    const res = run(["serve", "--port", "0"], tempDir())
    expect(res.status).toBe(2)
    expect(res.stderr).toContain("--jwks-url")
  })

  it("serve without --dev requires --jwt-issuer", () => {
    const res = run(["serve", "--port", "0", "--jwks-url", "https://id.example.gov.vn/jwks.json"], tempDir())
    expect(res.status).toBe(2)
    expect(res.stderr).toContain("--jwt-issuer is required")
  })

  it("serve --integration refuses a bad file by path, and a peer whose secret variable is not set", () => {
    const dir = tempDir()
    const bad = join(dir, "bad.json")
    writeFileSync(bad, JSON.stringify({ links: { peers: [{ province: "da-nang", url: "http://x" }] }, extra: 1 }))
    const res = run(["serve", "--dev", "--port", "0", "--integration", bad], dir)
    expect(res.status).toBe(2)
    expect(res.stderr).toContain("/links/agency")
    expect(res.stderr).toContain("/links/peers/0/secretEnv")
    expect(res.stderr).toContain("/extra")
    const unset = join(dir, "unset.json")
    writeFileSync(unset, JSON.stringify({ links: { agency: "so-tttt", peers: [{ province: "da-nang", url: "http://x", secretEnv: "CIVICASE_TEST_UNSET_SECRET" }] } }))
    const res2 = run(["serve", "--dev", "--port", "0", "--integration", unset], dir)
    expect(res2.status).toBe(2)
    expect(res2.stderr).toContain("CIVICASE_TEST_UNSET_SECRET, which is not set")
  })

  it("verify does not migrate the database it verifies: a fresh one is reported as having no tables", () => {
    const dir = tempDir()
    const res = run(["verify"], dir)
    expect(res.stderr).toContain("no civicase tables")
    expect(res.status).toBe(1)
    // Still none after the run: a second verify says the same.
    expect(run(["verify"], dir).stderr).toContain("no civicase tables")
    expect(run(["migrate"], dir).status).toBe(0)
    const ok = run(["verify"], dir)
    expect(ok.stdout).toContain("ok: 0 cases")
    expect(ok.status).toBe(0)
  })

  it("migrate and verify keep the embedded database in --data-dir, creating its parents; --database-url with it is a usage error", () => {
    const dir = tempDir()
    expect(run(["migrate", "--data-dir", "new/place/db"], dir).status).toBe(0)
    expect(existsSync(join(dir, "new", "place", "db"))).toBe(true)
    expect(existsSync(join(dir, ".civicase"))).toBe(false)
    const ok = run(["verify", "--data-dir", "new/place/db"], dir)
    expect(ok.stdout).toContain("ok: 0 cases")
    expect(ok.status).toBe(0)
    const both = run(["migrate", "--data-dir", "db", "--database-url", "postgres://localhost/x"], dir)
    expect(both.status).toBe(2)
    expect(both.stderr).toContain("either --database-url")
  })

  it("report prints the periodic report as Markdown with bilingual headings; a bad date is a usage error", () => {
    const dir = tempDir()
    expect(run(["migrate"], dir).status).toBe(0)
    const res = run(["report", "--from", "2025-03-01", "--to", "2025-04-01"], dir)
    expect(res.status).toBe(0)
    expect(res.stdout).toContain("# Báo cáo định kỳ / Periodic report: ")
    expect(res.stdout).toContain("Kỳ báo cáo / Period: 2025-03-01 → 2025-04-01")
    expect(res.stdout).toContain("_Không có số liệu / No figures._")
    expect(res.stdout).toContain("## Kết quả thực hiện chỉ tiêu / Plan indicators")
    const bad = run(["report", "--from", "March"], dir)
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain("--from must be an ISO 8601 date")
    const badYear = run(["report", "--year", "25"], dir)
    expect(badYear.status).toBe(2)
    expect(badYear.stderr).toContain("--year must be a year such as 2025")
  })

  it("serve --dev on a fresh folder keeps its data in --data-dir, serves /healthz, prints a token recipe the province has, and stops cleanly on SIGTERM", async () => {
    const dir = tempDir()
    // Đà Nẵng has no so-tttt: its coordinators are at so-vhttdl.
    const daNang = fileURLToPath(new URL("../../workflows/provinces/da-nang.json", import.meta.url))
    const args = ["serve", "--dev", "--port", "0", "--log-level", "warn", "--province", daNang, "--data-dir", "state/db"]
    const child: ChildProcess = spawn(process.execPath, [...nodeArgs, ...args], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stderr!.on("data", (d) => (stderr += d))
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)))
    const address = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no address printed; stderr: ${stderr}`)), 90_000)
      child.stdout!.on("data", (d) => {
        stdout += d
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)
        // The address and the token recipe may arrive in separate chunks: wait for both.
        if (m && stdout.includes("/v1/dev/token")) {
          clearTimeout(timer)
          resolve(m[1]!)
        }
      })
      child.on("exit", () => reject(new Error(`exited early; stderr: ${stderr}`)))
    })
    try {
      expect(stdout).toContain("/v1/dev/token")
      const health = await fetch(`${address}/healthz`)
      expect(health.status).toBe(200)
      expect(await health.json()).toEqual({ status: "ok" })
      // The recipe as printed, pasted: it must mint a token this province's engine accepts.
      const recipe = /-d '(\{.*\})'/.exec(stdout)?.[1]
      expect(JSON.parse(recipe!)).toEqual({ agency: "so-vhttdl", roles: ["coordinator"] })
      const minted = await fetch(`${address}/v1/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: recipe! })
      expect(minted.status).toBe(200)
      const { token } = (await minted.json()) as { token: string }
      const list = await fetch(`${address}/v1/workflows`, { headers: { authorization: `Bearer ${token}` } })
      const ids = ((await list.json()) as { items: Array<{ id: string }> }).items.map((w) => w.id)
      expect([...new Set(ids)].sort()).toEqual(["commendation", "coordination", "plan", "press-response", "violation"])
      expect((await fetch(`${address}/v1/cases`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)
      expect(stdout).toContain(`database: ${join(dir, "state", "db")} (embedded PGlite)`)
      expect(existsSync(join(dir, "state", "db"))).toBe(true)
      expect(existsSync(join(dir, ".civicase"))).toBe(false)
    } finally {
      child.kill("SIGTERM")
    }
    expect(await exited).toBe(0)
    expect(stdout).toContain("SIGTERM received")
  })
})
