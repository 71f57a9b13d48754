import type { FastifyInstance, FastifyRequest } from "fastify"
import fp from "fastify-plugin"
import { HttpProblem } from "./problem.js"

const utf8 = new TextDecoder("utf-8", { fatal: true })

/** The `charset` parameter of a media type, lower-cased, if any. */
function charsetOf(contentType: string | undefined): string | undefined {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? "")
  return m?.[1]?.toLowerCase()
}

/**
 * Bodies are JSON, in UTF-8, and nothing else. Fastify's text parser is
 * removed, so `text/plain` is 415 like every other media type; a `charset`
 * other than UTF-8 is 415; bytes that are not UTF-8 are refused (400) instead
 * of being replaced with U+FFFD, which would store text the client never
 * sent. Parsing itself is Fastify's, refusing `__proto__` and
 * `constructor.prototype` keys.
 *
 * @example
 * await app.register(jsonBodyPlugin)
 */
export const jsonBodyPlugin = fp(
  async (app: FastifyInstance) => {
    const parseJson = app.getDefaultJsonParser("error", "error")
    app.removeAllContentTypeParsers()
    app.addContentTypeParser("application/json", { parseAs: "buffer" }, (request: FastifyRequest, body: Buffer | string, done) => {
      const charset = charsetOf(request.headers["content-type"])
      if (charset !== undefined && charset !== "utf-8" && charset !== "utf8") {
        return done(new HttpProblem("CIVICASE_E_UNSUPPORTED_MEDIA_TYPE", `bodies are JSON in UTF-8, not charset=${charset}`), undefined)
      }
      let text: string
      try {
        text = typeof body === "string" ? body : utf8.decode(body)
      } catch {
        return done(new HttpProblem("CIVICASE_E_BAD_REQUEST", "the body is not valid UTF-8"), undefined)
      }
      parseJson(request, text, done)
    })
  },
  { name: "civicase-json-body" },
)
