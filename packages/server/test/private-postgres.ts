import { spawnSync } from "node:child_process"
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"

/** The `bin` folder of the newest PostgreSQL installed under /usr/lib/postgresql, if any. */
export function postgresBin(): string | undefined {
  const root = "/usr/lib/postgresql"
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] === undefined ? undefined : join(root, versions[0], "bin")
}

/** A PostgreSQL cluster of a test's own: its folder, its port, started and stopped at will. */
export interface PrivateCluster {
  readonly port: number
  /** A connection URL to its `postgres` database, as the superuser `postgres` (trust authentication). */
  url(applicationName?: string): string
  /** Starts the server and waits until it accepts connections. */
  start(): void
  /** Stops the server (fast shutdown: sessions are terminated) and waits until it is gone. */
  stop(): void
  /** Stops it at once if running and removes its folder. */
  destroy(): void
}

/** Whether nothing listens on `port` of the loopback address now. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer()
    s.once("error", () => resolve(false))
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)))
  })
}

/**
 * A free port below Linux's ephemeral range (32768-60999). The cluster starts
 * later than the port is chosen (the chaos test starts its server first), and
 * an ephemeral port could meanwhile be handed to any other test's server
 * listening on port 0, which the cluster would then fail to bind, or worse,
 * the server under test would reach instead.
 */
async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000)
    if (await isFree(port)) return port
  }
  throw new Error("no free port between 20000 and 31999 on 127.0.0.1")
}

/** PostgreSQL refuses to run as root: when the test runs as root, its tools run as the `postgres` user. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith("postgres:"))
  if (!line) throw new Error("running as root needs a postgres user to run PostgreSQL as")
  const [, , uid, gid] = line.split(":")
  return { uid: Number(uid), gid: Number(gid) }
}

/**
 * Creates a cluster in a new temporary folder (`initdb`, trust
 * authentication, loopback only, on a free port), not yet started.
 *
 * @example
 * const cluster = await privateCluster(postgresBin()!)
 * cluster.start()
 * const client = new pg.Client({ connectionString: cluster.url() })
 */
export async function privateCluster(bin: string): Promise<PrivateCluster> {
  const user = runAs()
  const dir = mkdtempSync(join(tmpdir(), "civicase-pg-"))
  if (user) chownSync(dir, user.uid, user.gid)
  const data = join(dir, "data")
  const port = await freePort()
  const run = (tool: string, args: string[]) => {
    const r = spawnSync(join(bin, tool), args, { encoding: "utf8", timeout: 60_000, env: { PATH: process.env.PATH ?? "", LANG: "C", LC_ALL: "C" }, ...(user ?? {}) })
    if (r.status !== 0) throw new Error(`${tool} failed (${r.status}): ${r.stderr || r.stdout}`)
  }
  run("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"])
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60`
  return {
    port,
    url: (applicationName) => `postgres://postgres@127.0.0.1:${port}/postgres${applicationName ? `?application_name=${applicationName}` : ""}`,
    start() {
      run("pg_ctl", ["start", "-D", data, "-w", "-t", "60", "-l", join(dir, "server.log"), "-o", options])
    },
    stop() {
      run("pg_ctl", ["stop", "-D", data, "-m", "fast", "-w", "-t", "60"])
    },
    destroy() {
      try {
        // Also after a start that failed half-way.
        run("pg_ctl", ["stop", "-D", data, "-m", "immediate", "-w", "-t", "60"])
      } catch {
        // not running
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
