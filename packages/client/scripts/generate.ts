import { mkdir, writeFile } from "node:fs/promises"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { generatedFiles } from "./generated-files.js"

// Rewrites src/generated/ from the server as it is now: run after a route changes.
const root = join(dirname(fileURLToPath(import.meta.url)), "..")
for (const [file, text] of await generatedFiles()) {
  await mkdir(dirname(join(root, file)), { recursive: true })
  await writeFile(join(root, file), text)
  console.log(`wrote ${file}`)
}
