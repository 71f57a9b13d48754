#!/usr/bin/env node
// The `civicase` command as npm links it (node_modules/.bin/civicase). It is
// committed outside dist/ so that npm creates the link at install time, before
// the first build (npm skips a bin whose file is missing); it runs the built CLI.
import { existsSync } from "node:fs"
import process from "node:process"
import { URL } from "node:url"

const cli = new URL("../dist/cli.js", import.meta.url)
if (!existsSync(cli)) {
  process.stderr.write("civicase: the command is not built yet (no dist/cli.js in @civicase/server); run `npm run build` first\n")
  process.exit(1)
}
await import(cli.href)
