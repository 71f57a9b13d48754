import { existsSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import type { FastifyInstance } from "fastify"

const files = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/dashboard.js": { file: "dashboard.js", type: "text/javascript; charset=utf-8" },
  "/dashboard.css": { file: "dashboard.css", type: "text/css; charset=utf-8" },
} as const

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
 * The coordinator dashboard at `/`: static HTML, CSS and one script file (no
 * inline script, so the strict Content-Security-Policy holds). It mints a dev
 * token when the server runs with `--dev`, lists cases and watches the live feed.
 */
export async function dashboardRoutes(app: FastifyInstance) {
  const dir = publicFolder()
  for (const [path, { file, type }] of Object.entries(files)) {
    const body = readFileSync(`${dir}${file}`)
    app.get(path, { config: { public: true, rateLimit: false }, schema: { hide: true } }, async (_request, reply) =>
      reply.type(type).header("cache-control", "no-cache").send(body),
    )
  }
}
