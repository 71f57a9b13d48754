import pino, { type Logger as PinoLogger } from "pino"

/**
 * What the logs never show (pino redaction paths): credentials in request
 * headers, and any `token`, `secret`, `password` or `pass` field a log line
 * carries at the top or one level down (SMTP and webhook configuration,
 * subscription secrets).
 */
export const REDACTED_LOG_PATHS: ReadonlyArray<string> = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["sec-websocket-protocol"]',
  'req.headers["webhook-signature"]',
  ...["token", "secret", "password", "pass", "webhookSecret", "authorization"].flatMap((k) => [k, `*.${k}`, `*.auth.${k}`]),
]

/** The request serializer: the websocket may carry its token in the query string, which logs never see. */
export function requestSerializer(request: { method: string; url: string; id: string; ip?: string }) {
  return { method: request.method, url: request.url.replace(/([?&]token=)[^&]*/g, "$1[redacted]"), id: request.id, remoteAddress: request.ip }
}

/** Options of {@link processLogger}. */
export interface ProcessLoggerOptions {
  /** `fatal`, `error`, `warn`, `info` (default), `debug`, `trace` or `silent`. */
  readonly level?: string
  /** Where the JSON lines go (default stdout). */
  readonly stream?: NodeJS.WritableStream
}

/**
 * The one logger of a `civicase serve` process: pino, JSON lines, secrets
 * redacted. The engine and Fastify are both given it, so stdout carries one
 * format (the engine's `debug` lines included at `--log-level debug`).
 *
 * @example
 * const log = processLogger({ level: "debug" })
 * const engine = createEngine({ store, workflows, logger: log })
 * const app = await buildServer({ engine, auth, province, logger: log })
 */
export function processLogger(options: ProcessLoggerOptions = {}): PinoLogger {
  const config = {
    level: options.level ?? "info",
    redact: { paths: [...REDACTED_LOG_PATHS], censor: "[redacted]" },
    serializers: { req: requestSerializer },
  }
  return options.stream ? pino(config, options.stream as pino.DestinationStream) : pino(config)
}
