#!/usr/bin/env node
/**
 * The `civicase` command: `serve`, `migrate`, `check-config`, `verify`.
 *
 * @example
 * npx civicase serve --dev
 * npx civicase check-config ./provinces/my-province.json
 */
import { parseArgs } from "node:util"
import { checkConfig, migrateCommand, verifyCommand } from "./cli/admin-commands.js"
import { help } from "./cli/help.js"
import { UsageError, storeOptions } from "./cli/open-engine.js"
import { serve, serveOptions } from "./cli/serve.js"

const io = { out: (line: string) => process.stdout.write(`${line}\n`), err: (line: string) => process.stderr.write(`${line}\n`) }

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    io.out(help.main)
    return command === undefined ? 2 : 0
  }
  const helpFlag = { help: { type: "boolean", short: "h" } } as const
  switch (command) {
    case "serve": {
      const { values } = parseArgs({ args: rest, options: serveOptions, strict: true })
      if (values.help) return (io.out(help.serve), 0)
      await serve(values as Parameters<typeof serve>[0], { log: io.out })
      return -1
    }
    case "migrate": {
      const { values } = parseArgs({ args: rest, options: { ...storeOptions, ...helpFlag }, strict: true })
      if (values.help) return (io.out(help.migrate), 0)
      return migrateCommand(values, io)
    }
    case "check-config": {
      const { values, positionals } = parseArgs({ args: rest, options: { "as-of": { type: "string" }, ...helpFlag }, allowPositionals: true, strict: true })
      if (values.help) return (io.out(help["check-config"]), 0)
      if (positionals.length !== 1) throw new UsageError("check-config takes one FILE")
      const asOf = values["as-of"]
      if (asOf !== undefined && (!/^\d{4}-\d{2}-\d{2}/.test(asOf) || Number.isNaN(Date.parse(asOf)))) throw new UsageError(`--as-of must be a date such as 2026-11-20, got "${asOf}"`)
      return checkConfig(positionals[0]!, io, asOf ? { asOf: new Date(asOf) } : {})
    }
    case "verify": {
      const { values } = parseArgs({ args: rest, options: { ...storeOptions, province: { type: "string" }, ...helpFlag }, strict: true })
      if (values.help) return (io.out(help.verify), 0)
      return verifyCommand(values, values.province, io)
    }
    case "apply-succession": return (await import("./cli/apply-succession.js")).applySuccessionCommand(rest, io)
    case "report": return (await import("./cli/report.js")).reportCommand(rest, io)
    case "config": return (await import("./cli/config-command.js")).configCommand(rest, io)
    case "cases": return (await import("./cli/cases-command.js")).casesCommand(rest, io)
    default:
      throw new UsageError(`unknown command "${command}"`)
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    // serve keeps running until a signal; every other command exits with its code.
    if (code >= 0) process.exit(code)
  },
  (e: unknown) => {
    const err = e as Error & { code?: string; issues?: ReadonlyArray<{ path: string; message: string }> }
    if (err instanceof UsageError || err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" || err.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" || err.code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
      io.err(`civicase: ${err.message}\nRun "civicase --help" for usage.`)
      process.exit(2)
    }
    if (err.code === "CIVICASE_E_INVALID_CONFIG" && err.issues) {
      io.err(`civicase: ${err.message}`)
      process.exit(1)
    }
    io.err(`civicase: ${err.message}`)
    process.exit(1)
  },
)
