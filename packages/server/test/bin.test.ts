import { spawnSync } from "node:child_process"
import { copyFileSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, describe, expect, it } from "vitest"

const root = fileURLToPath(new URL("../../../", import.meta.url))
const launcher = fileURLToPath(new URL("../bin/civicase.js", import.meta.url))
const manifest = JSON.parse(readFileSync(fileURLToPath(new URL("../package.json", import.meta.url)), "utf8"))

/**
 * `npx civicase` on a fresh clone: npm links a package's bin at install time
 * only if the file exists then, and dist/ does not exist before the first
 * build. The bin is a committed launcher that runs dist/cli.js. (.ci/run also
 * runs `npx civicase --help` after its build.)
 */
describe("the civicase bin", () => {
  const dirs: string[] = []
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })
  /** A copy of the package's layout: bin/civicase.js, and dist/cli.js when given. */
  const layout = (cli?: string) => {
    const dir = mkdtempSync(join(tmpdir(), "civicase-bin-"))
    dirs.push(dir)
    mkdirSync(join(dir, "bin"))
    copyFileSync(launcher, join(dir, "bin", "civicase.js"))
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }))
    if (cli !== undefined) {
      mkdirSync(join(dir, "dist"))
      writeFileSync(join(dir, "dist", "cli.js"), cli)
    }
    return join(dir, "bin", "civicase.js")
  }

  it("is a committed file that exists before any build, and is what the package declares and ships", () => {
    expect(manifest.bin).toEqual({ civicase: "./bin/civicase.js" })
    expect(manifest.files).toContain("bin")
    expect(statSync(launcher).mode & 0o111).not.toBe(0)
    expect(readFileSync(launcher, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true)
  })

  it("is linked into node_modules/.bin by the workspace install", () => {
    const link = join(root, "node_modules", ".bin", "civicase")
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(realpathSync(link)).toBe(realpathSync(launcher))
  })

  it("says to build first when dist/cli.js is missing, and exits 1", () => {
    const res = spawnSync(process.execPath, [layout(), "--help"], { encoding: "utf8" })
    expect(res.status).toBe(1)
    expect(res.stderr).toContain("run `npm run build` first")
  })

  it("runs dist/cli.js with the command line, keeping its output and exit code", () => {
    const cli = 'process.stdout.write(JSON.stringify(process.argv.slice(2))); process.exitCode = 3\n'
    const res = spawnSync(process.execPath, [layout(cli), "check-config", "my province.json"], { encoding: "utf8" })
    expect(res.stdout).toBe(JSON.stringify(["check-config", "my province.json"]))
    expect(res.status).toBe(3)
  })
})
