import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify"
import fp from "fastify-plugin"
import { HttpProblem, PROBLEM_CONTENT_TYPE, type Problem, problemHeaders, toProblem } from "./problem.js"

/** Sends `problem` as `application/problem+json`. */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send({ ...problem, requestId: String(reply.request.id) })
}

/** The request's path without its query string, which may hold a token (websocket clients) and is never echoed. */
export function pathOf(request: FastifyRequest): string {
  return request.url.split("?")[0] ?? "/"
}

/** Methods a route may serve, in the order `Allow` lists them. */
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const

/** The methods some route serves on `path` (OPTIONS, answered on every path for CORS, is left out). */
function allowedMethods(app: FastifyInstance, path: string): string[] {
  return METHODS.filter((method) => app.findRoute({ method, url: path }) !== null)
}

/** The answer to a request no route takes: 405 with `Allow` when the path serves other methods, else 404. */
function unrouted(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = pathOf(request)
  const allow = allowedMethods(app, path)
  if (allow.length > 0) {
    reply.header("allow", allow.join(", "))
    return sendProblem(reply, toProblem(new HttpProblem("CIVICASE_E_METHOD_NOT_ALLOWED", `${path} serves ${allow.join(", ")}, not ${request.method}`), path))
  }
  return sendProblem(reply, toProblem(new HttpProblem("CIVICASE_E_NOT_FOUND", `no route ${request.method} ${path}`), path))
}

/**
 * Every error answer of the server goes through here: one mapping from thrown
 * values to problem documents, one place that decides what is logged. Server
 * faults are logged with their stack; client faults at `info`, without it. A
 * path that exists for other methods is 405 with `Allow`, not 404; a request
 * no route takes is answered so whatever its body (not 415 for a text body).
 */
export const errorsPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error, request, reply) => {
      // A body refused on its way to the not-found handler: the path is what is wrong, not the body.
      if (request.is404) return unrouted(app, request, reply)
      const problem = toProblem(error, pathOf(request))
      if (problem.status >= 500) request.log.error({ err: error }, "request failed")
      else request.log.info({ code: problem.code, status: problem.status }, problem.detail)
      reply.headers(problemHeaders(problem))
      if (error instanceof HttpProblem && error.extra.headers) reply.headers(error.extra.headers)
      return sendProblem(reply, problem)
    })
    app.setNotFoundHandler((request, reply) => unrouted(app, request, reply))
  },
  { name: "civicase-errors" },
)
