import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify"
import fp from "fastify-plugin"
import { HttpProblem, PROBLEM_CONTENT_TYPE, type Problem, problemHeaders, toProblem } from "./problem.js"

/** Sends `problem` as `application/problem+json`. */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send({ ...problem, requestId: String(reply.request.id) })
}

function pathOf(request: FastifyRequest): string {
  // The query string may hold a token (websocket clients); never echo it.
  return request.url.split("?")[0] ?? "/"
}

/**
 * Every error answer of the server goes through here: one mapping from thrown
 * values to problem documents, one place that decides what is logged. Server
 * faults are logged with their stack; client faults at `info`, without it.
 */
export const errorsPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error, request, reply) => {
      const problem = toProblem(error, pathOf(request))
      if (problem.status >= 500) request.log.error({ err: error }, "request failed")
      else request.log.info({ code: problem.code, status: problem.status }, problem.detail)
      reply.headers(problemHeaders(problem))
      if (error instanceof HttpProblem && error.extra.headers) reply.headers(error.extra.headers)
      return sendProblem(reply, problem)
    })
    app.setNotFoundHandler((request, reply) => {
      return sendProblem(reply, toProblem(new HttpProblem("CIVICASE_E_NOT_FOUND", `no route ${request.method} ${pathOf(request)}`), pathOf(request)))
    })
  },
  { name: "civicase-errors" },
)
