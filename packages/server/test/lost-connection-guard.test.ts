import { spawnSync } from "node:child_process"
import { createRequire } from "node:module"
import { fileURLToPath, pathToFileURL } from "node:url"
import { describe, expect, it } from "vitest"

const guard = pathToFileURL(fileURLToPath(new URL("../src/cli/lost-connection-guard.ts", import.meta.url))).href
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href

/** Runs a process that installs the guard, then emits `error` on an emitter nobody listens to, as a pg client would. */
function emitUnheard(error: string) {
  const script = `
    import { EventEmitter } from "node:events"
    import { guardLostConnections } from ${JSON.stringify(guard)}
    guardLostConnections((line) => console.log(line))
    const client = new EventEmitter()
    setTimeout(() => client.emit("error", ${error}), 10)
    setTimeout(() => console.log("still serving"), 200)
  `
  return spawnSync(process.execPath, ["--conditions=source", "--import", tsx, "--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 })
}

describe("civicase serve's guard against lost database connections", () => {
  it("keeps serving when a connection the server terminated errs on a client nobody listens to", () => {
    const run = emitUnheard(`Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" })`)
    expect(run.status, run.stderr).toBe(0)
    expect(run.stdout).toContain("a database connection was lost outside any request (57P01); serving on")
    expect(run.stdout).toContain("still serving")
  })

  it("still ends the process on any other uncaught error", () => {
    const run = emitUnheard(`new TypeError("a bug")`)
    expect(run.status).toBe(1)
    expect(run.stdout).toContain("uncaught exception: TypeError: a bug")
    expect(run.stdout).not.toContain("still serving")
  })
})
