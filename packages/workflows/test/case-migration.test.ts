import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pglite } from "@civicase/adapters"
import { caseMigrationSuite } from "./case-migration-suite.js"

caseMigrationSuite("PGlite", () => {
  const dir = mkdtempSync(join(tmpdir(), "civicase-migration-"))
  return { driver: () => pglite({ dataDir: dir }), dispose: async () => rmSync(dir, { recursive: true, force: true }) }
})
