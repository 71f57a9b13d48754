import type { FastifyInstance } from "fastify"

/** One answer as the OpenAPI document would describe it. */
export interface Observed {
  readonly method: string
  /** The route's URL pattern (`/v1/cases/:id`), or undefined when no route took the request. */
  readonly route: string | undefined
  readonly status: number
  /** The media type without parameters, or undefined for an answer without a body. */
  readonly mediaType: string | undefined
}

interface OpenApiDocument {
  readonly paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>
  readonly "x-unrouted-responses": Record<string, { content?: Record<string, unknown> }>
}

/**
 * Records (method, route, status, media type) of every answer a test sees,
 * to compare with the server's OpenAPI document. The route comes from an
 * `onResponse` hook, joined on the request id; an answer made before routing
 * (no hook runs) has none.
 *
 * @example
 * const log = new ResponseLog(app)
 * log.record("GET", await app.inject({ url: "/v1/cases" }))
 * expect(undeclared(app.swagger(), log.observed())).toEqual([])
 */
export class ResponseLog {
  private readonly routes = new Map<string, string>()
  private readonly seen = new Map<string, Observed>()

  constructor(app: FastifyInstance) {
    app.addHook("onResponse", async (request) => {
      if (request.routeOptions.url) this.routes.set(String(request.id), request.routeOptions.url)
    })
  }

  record(method: string, res: { statusCode: number; headers: Record<string, unknown> }): void {
    const id = String(res.headers["x-request-id"] ?? "")
    const route = this.routes.get(id)
    this.routes.delete(id)
    const type = res.headers["content-type"]
    const mediaType = typeof type === "string" ? type.split(";")[0]!.trim().toLowerCase() : undefined
    const o = { method: method.toUpperCase(), route, status: res.statusCode, mediaType }
    this.seen.set(JSON.stringify(o), o)
  }

  observed(): Observed[] {
    return [...this.seen.values()]
  }
}

/** Routes the document leaves out on purpose: the dashboard's files, the API viewer, the document itself, CORS preflight. */
const hidden = (route: string) => route === "/" || route === "/dashboard.js" || route === "/dashboard.css" || route.startsWith("/app/") || route === "/openapi.json" || route.startsWith("/docs") || route === "*"

/** Each observed answer the document does not declare, with its status and media type, as a readable line. */
export function undeclared(document: unknown, observed: Iterable<Observed>): string[] {
  const doc = document as OpenApiDocument
  const out: string[] = []
  for (const o of observed) {
    if (o.route !== undefined && hidden(o.route)) continue
    const path = o.route?.replace(/:([A-Za-z0-9_]+)/g, "{$1}")
    // A HEAD answers as its GET does, without the body.
    const method = (o.method === "HEAD" ? "GET" : o.method).toLowerCase()
    const responses = path === undefined ? doc["x-unrouted-responses"] : doc.paths[path]?.[method]?.responses
    const declared = responses?.[String(o.status)]
    const where = `${o.method} ${o.route ?? "(no route)"} → ${o.status} ${o.mediaType ?? "(no body)"}`
    if (!declared) out.push(`${where}: status not declared`)
    else if (o.mediaType !== undefined && !(declared.content && Object.hasOwn(declared.content, o.mediaType))) out.push(`${where}: declared as ${Object.keys(declared.content ?? {}).join(", ") || "no body"}`)
  }
  return out.sort()
}
