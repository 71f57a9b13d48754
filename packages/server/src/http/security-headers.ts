import type { IncomingMessage, ServerResponse } from "node:http"
import helmet, { type HelmetOptions } from "helmet"

/**
 * The security headers of every answer (helmet), with a strict
 * Content-Security-Policy: no inline script, which the dashboard follows.
 * One object, given to `@fastify/helmet` for routed answers and to
 * {@link securityHeaders} for answers made before routing.
 *
 * @example
 * await app.register(fastifyHelmet, helmetOptions)
 */
export const helmetOptions = {
  contentSecurityPolicy: {
    directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], connectSrc: ["'self'"], imgSrc: ["'self'", "data:"], frameAncestors: ["'none'"] },
  },
} satisfies HelmetOptions

/**
 * The headers helmet sets with {@link helmetOptions}, computed once: answers
 * made before Fastify routes a request (a malformed URL, an over-long id, a
 * request the HTTP parser refused) run no hook, so they carry these by hand.
 *
 * @example
 * for (const [name, value] of securityHeaders()) reply.header(name, value)
 */
export function securityHeaders(): ReadonlyMap<string, string> {
  const headers = new Map<string, string>()
  const collector = {
    setHeader: (name: string, value: unknown) => void headers.set(name.toLowerCase(), String(value)),
    removeHeader: (name: string) => void headers.delete(name.toLowerCase()),
  }
  // helmet's middleware only sets headers (no nonces are configured): a collector stands in for the response.
  helmet(helmetOptions)({} as IncomingMessage, collector as unknown as ServerResponse, () => undefined)
  return headers
}
