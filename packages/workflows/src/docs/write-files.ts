/**
 * Writes the generated files of the package: `schema/province.schema.json`
 * and `docs/workflows/*.md`. Run with `npm run docs:workflows -w @civicase/workflows`;
 * a test fails when a committed file differs from what this would write.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"
import { generatedFiles } from "./generated-files.js"

for (const file of generatedFiles()) {
  mkdirSync(dirname(file.path), { recursive: true })
  writeFileSync(file.path, file.content)
  console.log(`wrote ${file.path}`)
}
