#!/usr/bin/env node
// Packs the five packages, installs the tarballs into an empty project as a
// user would (npm resolves the peers), and runs every complete example of the
// READMEs and docs/embedding.md there: compiled as TypeScript with
// skipLibCheck false, then run as the JavaScript tsc emits.
//
// An example is complete when its fence says so: ```ts example
// Fails on an EBADENGINE warning, a tarball without LICENSE, a type error or
// an example that throws. Run after `npm run build`.
import { execFileSync, spawnSync } from "node:child_process"
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"

const root = resolve(import.meta.dirname, "..")
const packages = ["core", "adapters", "workflows", "server", "client"]
const documents = [...packages.map((p) => `packages/${p}/README.md`), "docs/embedding.md"]
const work = mkdtempSync(join(tmpdir(), "civicase-pack-"))
const say = (line) => console.log(`pack-check: ${line}`)
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })

function fail(message) {
  console.error(`pack-check: FAILED: ${message}`)
  process.exit(1)
}

// 1. Pack: each tarball carries its LICENSE.
const tarballs = packages.map((p) => {
  const out = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work, "--workspace", `packages/${p}`], root))
  const info = out[0]
  if (!info.files.some((f) => f.path === "LICENSE")) fail(`${info.name} packs no LICENSE`)
  say(`${info.filename}: ${info.entryCount} files, ${(info.unpackedSize / 1024).toFixed(0)} KiB unpacked`)
  return join(work, info.filename)
})

// 2. Install into an empty project with only what the READMEs name.
const app = join(work, "app")
mkdirSync(app)
const typescript = JSON.parse(readFileSync(join(root, "node_modules/typescript/package.json"), "utf8")).version
const nodeTypes = JSON.parse(readFileSync(join(root, "node_modules/@types/node/package.json"), "utf8")).version
writeFileSync(
  join(app, "package.json"),
  JSON.stringify({ name: "pack-check-app", private: true, type: "module", dependencies: Object.fromEntries(packages.map((p, i) => [`@civicase/${p}`, `file:${tarballs[i]}`])), devDependencies: { typescript, "@types/node": nodeTypes } }, null, 2),
)
const install = spawnSync("npm", ["install", "--no-audit", "--no-fund"], { cwd: app, encoding: "utf8" })
if (install.status !== 0) fail(`npm install failed:\n${install.stderr}`)
const engineWarnings = `${install.stdout}\n${install.stderr}`.split("\n").filter((l) => l.includes("EBADENGINE"))
if (engineWarnings.length > 0) fail(`npm warned about engines:\n${engineWarnings.join("\n")}`)
say(`installed into ${app} with no engine warning on Node ${process.versions.node}`)

// 3. Every complete example, as TypeScript and as the JavaScript it compiles to.
const examples = []
for (const doc of documents) {
  const text = readFileSync(join(root, doc), "utf8")
  for (const m of text.matchAll(/^```ts example\n([\s\S]*?)^```/gm)) examples.push({ doc, code: m[1] })
}
if (examples.length === 0) fail("no ```ts example block found")
mkdirSync(join(app, "src"))
examples.forEach((e, i) => writeFileSync(join(app, "src", `example-${i + 1}.ts`), `// ${e.doc}\n${e.code}`))
writeFileSync(
  join(app, "tsconfig.json"),
  JSON.stringify({ compilerOptions: { target: "es2022", module: "nodenext", moduleResolution: "nodenext", strict: true, skipLibCheck: false, outDir: "out" }, include: ["src"] }, null, 2),
)
try {
  run(join(app, "node_modules/.bin/tsc"), ["-p", "."], app)
} catch (e) {
  fail(`the examples do not type-check with skipLibCheck false:\n${e.stdout}${e.stderr}`)
}
for (const [i, e] of examples.entries()) {
  try {
    const out = run(process.execPath, [join(app, "out", `example-${i + 1}.js`)], app)
    say(`${e.doc} example ${i + 1} ran: ${out.trim().split("\n").at(-1) ?? ""}`)
  } catch (err) {
    fail(`${e.doc} example ${i + 1} threw:\n${err.stderr ?? err}`)
  }
}
say(`${examples.length} examples type-checked and ran from the packed tarballs`)
