/** Fields of one log line: ids, counts and error messages, never payloads or secrets. */
export type LogFields = Readonly<Record<string, unknown>>

/**
 * Where the engine reports what it cannot throw (a failing after-commit hook,
 * a timer that errs) and, at `debug`, what it did. The calling convention is
 * pino's (fields first, then the message), so a pino logger, Fastify's
 * `app.log`, or any logger with these four methods can be passed as is: one
 * process, one log format.
 *
 * @example
 * import pino from "pino"
 * const engine = createEngine({ store, workflows, logger: pino({ level: "debug" }) })
 * // or, in a Fastify app: createEngine({ store, workflows, logger: app.log })
 */
export interface Logger {
  debug(fields: LogFields, message: string): void
  info(fields: LogFields, message: string): void
  warn(fields: LogFields, message: string): void
  error(fields: LogFields, message: string): void
}

/** `debug` lines are written only when `CIVICASE_DEBUG` is set (to anything but "" or "0"). */
const debugOn = () => {
  const v = process.env.CIVICASE_DEBUG
  return v !== undefined && v !== "" && v !== "0"
}

/**
 * Logs to the console as one JSON line each, in pino's shape (`level`, `time`,
 * `msg`, then the fields); never logs payloads, only ids.
 *
 * @example
 * consoleLogger.warn({ caseId }, "after-commit hook failed")
 * // {"level":"warn","time":1764400000000,"msg":"after-commit hook failed","caseId":"…"}
 */
export const consoleLogger: Logger = {
  debug: (fields, message) => {
    if (debugOn()) console.debug(line("debug", fields, message))
  },
  info: (fields, message) => console.info(line("info", fields, message)),
  warn: (fields, message) => console.warn(line("warn", fields, message)),
  error: (fields, message) => console.error(line("error", fields, message)),
}

const line = (level: string, fields: LogFields, message: string) => JSON.stringify({ level, time: Date.now(), msg: message, ...fields })

/** Logs nothing. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} }
