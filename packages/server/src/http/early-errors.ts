import { randomUUID } from "node:crypto"
import { STATUS_CODES } from "node:http"
import type { Socket } from "node:net"
import type { FastifyServerOptions } from "fastify"
import { pathOf, sendProblem } from "./errors-plugin.js"
import { HttpProblem, PROBLEM_CONTENT_TYPE, toProblem } from "./problem.js"
import { securityHeaders } from "./security-headers.js"

/** A router refusal as a problem, in words that do not echo a path of up to 16 KiB. */
function routerProblem(error: { code?: string }): unknown {
  if (error.code === "FST_ERR_MAX_PARAM_LENGTH") return new HttpProblem("CIVICASE_E_URI_TOO_LONG", "a path segment is longer than the 100 characters the router reads")
  if (error.code === "FST_ERR_BAD_URL") return new HttpProblem("CIVICASE_E_BAD_REQUEST", "the path is not a valid URL (a malformed % escape?)")
  return error
}

/** Why Node's HTTP parser refused a connection's request, as a problem. */
function parserProblem(error: { code?: string }): HttpProblem {
  if (error.code === "HPE_HEADER_OVERFLOW") return new HttpProblem("CIVICASE_E_HEADERS_TOO_LARGE", "the request line and headers are larger than the server reads")
  if (error.code === "ERR_HTTP_REQUEST_TIMEOUT") return new HttpProblem("CIVICASE_E_REQUEST_TIMEOUT", "the request did not arrive in time")
  return new HttpProblem("CIVICASE_E_BAD_REQUEST", "the request is not valid HTTP/1.1")
}

/**
 * Fastify's handlers for what is refused before any route or hook runs: a
 * path the router cannot read (a malformed `%` escape, a segment over its
 * length limit) and a request Node's HTTP parser refuses (a bad request
 * line, headers over 16 KiB, a timeout). Fastify answers these with its own
 * JSON; here they are problem documents like every other answer, with a
 * request id and the security headers, through the one mapping (`toProblem`).
 *
 * @example
 * const app = Fastify({ ...earlyErrorHandlers(), genReqId: () => randomUUID() })
 */
export function earlyErrorHandlers(): Required<Pick<FastifyServerOptions, "frameworkErrors" | "clientErrorHandler">> {
  const headers = securityHeaders()
  return {
    frameworkErrors(error, request, reply) {
      for (const [name, value] of headers) reply.header(name, value)
      reply.header("x-request-id", request.id)
      const problem = toProblem(routerProblem(error), pathOf(request))
      request.log.info({ code: problem.code, status: problem.status }, problem.detail)
      sendProblem(reply, problem)
    },
    clientErrorHandler(error: Error & { code?: string }, socket: Socket) {
      // A reset connection has no one left to answer.
      if (error.code === "ECONNRESET" || socket.destroyed || !socket.writable) return
      const requestId = randomUUID()
      const problem = toProblem(parserProblem(error))
      const body = JSON.stringify({ ...problem, requestId })
      const lines = [
        `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? "Error"}`,
        `content-type: ${PROBLEM_CONTENT_TYPE}`,
        `content-length: ${Buffer.byteLength(body)}`,
        `x-request-id: ${requestId}`,
        ...[...headers].map(([name, value]) => `${name}: ${value}`),
        "connection: close",
      ]
      socket.end(`${lines.join("\r\n")}\r\n\r\n${body}`)
    },
  }
}
