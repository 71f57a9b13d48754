/** Where the engine reports what it cannot throw (a failing after-commit hook, a timer that errs). */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

/** Logs to the console as one JSON line each; never logs payloads, only ids. */
export const consoleLogger: Logger = {
  info: (message, fields) => console.info(JSON.stringify({ level: "info", message, ...fields })),
  warn: (message, fields) => console.warn(JSON.stringify({ level: "warn", message, ...fields })),
  error: (message, fields) => console.error(JSON.stringify({ level: "error", message, ...fields })),
}

/** Logs nothing. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} }
