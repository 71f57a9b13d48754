import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pglite } from "@civicase/adapters"
import { configVersionsSuite } from "./config-versions-suite.js"

configVersionsSuite("PGlite", () => {
  const dir = mkdtempSync(join(tmpdir(), "civicase-config-"))
  return { driver: () => pglite({ dataDir: dir }), shared: false, dispose: async () => rmSync(dir, { recursive: true, force: true }) }
})
