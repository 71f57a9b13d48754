import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createRequire } from "node:module"
import { fileURLToPath, pathToFileURL } from "node:url"
import { afterAll, describe, expect, it } from "vitest"
import { createEngine, silentLogger } from "@civicase/core"
import { pglite } from "@civicase/adapters"
import { planWorkflowV1, provinceFiles, loadProvince } from "@civicase/workflows"

const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url))
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href
const run = (args: string[]) => spawnSync(process.execPath, ["--conditions=source", "--import", tsx, cli, ...args], { encoding: "utf8", timeout: 120_000 })

// Each run starts Node with the TypeScript loader and opens an embedded database: seconds apiece on a busy machine.
describe("civicase config and civicase cases migrate", { timeout: 400_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "civicase-config-cli-"))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const data = ["--data-dir", join(dir, "data")]

  it("applies a province file as the next version (dry run first), lists the history, refuses a broken file by path", () => {
    const next = JSON.parse(readFileSync(provinceFiles.vinhPhuc, "utf8"))
    next.workflows.plan.deadlines.review = { workingDays: 12 }
    const file = join(dir, "next.json")
    writeFileSync(file, JSON.stringify(next))
    const dry = run(["config", "apply", file, "--base", provinceFiles.vinhPhuc, "--dry-run", ...data])
    expect(dry.stdout).toContain("vinh-phuc: would store version 1, 1 change")
    expect(dry.stdout).toContain("replace /workflows/plan/deadlines/review/workingDays = 12")
    expect(dry.status).toBe(0)

    const applied = run(["config", "apply", file, "--base", provinceFiles.vinhPhuc, "--by", "nguyen-van-a", ...data])
    expect([applied.status, applied.stdout.split("\n")[0]]).toEqual([0, "vinh-phuc: stored version 1, 1 change"])
    const history = run(["config", "history", "--diff", ...data])
    expect(history.stdout).toMatch(/^version 1 {2}\S+ {2}by nguyen-van-a \(operator\) {2}1 change$/m)
    expect(history.stdout).toContain("/workflows/plan/deadlines/review/workingDays")

    next.roles.coordinator = ["khong-co"]
    writeFileSync(file, JSON.stringify(next))
    const broken = run(["config", "apply", file, ...data])
    expect(broken.status).toBe(1)
    expect(broken.stderr).toContain("/roles/coordinator/0")
    expect(run(["config", "history", ...data]).stdout.trim().split("\n")).toHaveLength(1)
  })

  it("moves plan cases from version 1 to 2, with a dry run and progress lines, and skips them when run again", async () => {
    const engine = createEngine({ store: pglite({ dataDir: join(dir, "data") }), workflows: [planWorkflowV1(loadProvince(provinceFiles.vinhPhuc))], scheduler: false, logger: silentLogger })
    const officer = { id: "vh-1", province: "vinh-phuc", agency: "so-vhttdl", roles: ["agency_officer"] }
    const head = { ...officer, id: "vh-gd", roles: ["agency_head"] }
    await engine.createCase("plan", { title: "Kế hoạch 2026", year: 2026 }, officer)
    const submitted = await engine.createCase("plan", { title: "Kế hoạch 2026 (2)", year: 2026 }, officer)
    await engine.send(submitted.id, { type: "SUBMIT" }, head)
    await engine.close()

    expect(run(["cases", "migrate", "--workflow", "plan", "--from", "1", "--to", "3", ...data]).stderr).toContain("registered: plan 1→2")
    const dry = run(["cases", "migrate", "--workflow", "plan", "--from", "1", "--to", "2", "--dry-run", "--batch", "1", ...data])
    expect(dry.status).toBe(0)
    expect(dry.stderr).toContain("scanned 2, would move 2, cannot 0")
    expect(dry.stdout).toContain("plan 1 → 2: would move 2, cannot 0")
    expect(dry.stdout).toContain("1  submitted → approval")
    const moved = run(["cases", "migrate", "--workflow", "plan", "--from", "1", "--to", "2", ...data])
    expect(moved.stdout).toContain("plan 1 → 2: moved 2, cannot 0")
    expect(run(["cases", "migrate", "--workflow", "plan", "--from", "1", "--to", "2", ...data]).stdout).toContain("moved 0, cannot 0")
  })
})
