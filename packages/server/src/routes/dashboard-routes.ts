import { existsSync, readFileSync, readdirSync } from "node:fs"
import { fileURLToPath } from "node:url"
import type { FastifyInstance } from "fastify"

const mediaTypes: ReadonlyMap<string, string> = new Map([
  [".html", "text/html; charset=utf-8"],
  [".js", "text/javascript; charset=utf-8"],
  [".css", "text/css; charset=utf-8"],
  [".svg", "image/svg+xml"],
])

/** The folder of the dashboard's static files, from the source tree or the built package. */
function publicFolder(): string {
  // src/routes/ while developing and testing, dist/ once built: both sit two or one levels under the package.
  for (const rel of ["../../public/", "../public/"]) {
    const dir = fileURLToPath(new URL(rel, import.meta.url))
    if (existsSync(`${dir}index.html`)) return dir
  }
  throw new Error("the dashboard's public/ folder is missing from @civicase/server")
}

/**
 * Every servable file under `dir` as URL path → file path, read once at start:
 * the routes are fixed paths, so no request ever names a file on disk.
 */
function staticFiles(dir: string, prefix = "/"): ReadonlyMap<string, string> {
  const files = new Map<string, string>()
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      for (const [path, file] of staticFiles(`${dir}${entry.name}/`, `${prefix}${entry.name}/`)) files.set(path, file)
    } else if (mediaTypes.has(entry.name.slice(entry.name.lastIndexOf(".")))) {
      files.set(entry.name === "index.html" && prefix === "/" ? "/" : `${prefix}${entry.name}`, `${dir}${entry.name}`)
    }
  }
  return files
}

/**
 * The coordinator's workspace at `/` (bàn làm việc của điều phối viên): static
 * HTML, CSS and ES modules under `public/` (no inline script or style, so the
 * strict Content-Security-Policy holds). It mints a dev token when the server
 * runs with `--dev`, lists the person's work, opens a case to act on it, and
 * watches the live feed.
 *
 * @example
 * if (options.dashboard !== false) await app.register(dashboardRoutes)
 */
export async function dashboardRoutes(app: FastifyInstance) {
  for (const [path, file] of staticFiles(publicFolder())) {
    const type = mediaTypes.get(file.slice(file.lastIndexOf("."))) ?? "application/octet-stream"
    const body = readFileSync(file)
    app.get(path, { config: { public: true, rateLimit: false }, schema: { hide: true } }, async (_request, reply) =>
      reply.type(type).header("cache-control", "no-cache").send(body),
    )
  }
}
