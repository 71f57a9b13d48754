import { connect } from "node:net"
import { defaultInputLimits, errorCodes } from "@civicase/core"
import { demoActors } from "@civicase/core/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Harness, harness } from "./harness.js"

const { officer, head, coordinator } = demoActors
const prototypeNames = Object.getOwnPropertyNames(Object.prototype)

/** What every answer that is an error must look like: a registered problem, the request id, the security headers. */
function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number, code?: string) {
  expect(res.statusCode, res.body).toBe(status)
  expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/)
  const problem = JSON.parse(res.body)
  expect(problem.status).toBe(status)
  expect(Object.keys(errorCodes)).toContain(problem.code)
  if (code) expect(problem.code).toBe(code)
  expect(problem.requestId).toBeTruthy()
  expect(res.headers["x-request-id"]).toBe(problem.requestId)
  expect(res.headers["x-content-type-options"]).toBe("nosniff")
  expect(String(res.headers["content-security-policy"])).toContain("default-src 'self'")
  return problem
}

describe("HTTP conformance", () => {
  let h: Harness
  let caseId: string
  beforeAll(async () => {
    h = await harness()
    const res = await h.app.inject({ method: "POST", url: "/v1/cases", headers: await h.auth(officer), payload: { workflow: "demo", input: { title: "t" } } })
    caseId = res.json().id
  })
  afterAll(() => h.close())

  const json = async (actor = officer) => ({ ...(await h.auth(actor)), "content-type": "application/json" })
  const revOf = async (id: string) => (await h.app.inject({ url: `/v1/cases/${id}`, headers: await h.auth(coordinator) })).json().rev as number
  const countCases = async () => (await h.app.inject({ url: "/v1/cases?limit=500", headers: await h.auth(coordinator) })).json().items.length as number

  describe("names of Object.prototype members are data, never lookups", () => {
    it.each(prototypeNames)("an event type %s is 409 EVENT_NOT_ACCEPTED", async (name) => {
      const res = await h.app.inject({ method: "POST", url: `/v1/cases/${caseId}/events`, headers: await h.auth(head), payload: { type: name } })
      expect(expectProblem(res, 409, "CIVICASE_E_EVENT_NOT_ACCEPTED").state).toBe("draft")
      expect(await revOf(caseId)).toBe(1)
    })

    it.each(prototypeNames)("a workflow %s is 404 in every route that names one", async (name) => {
      expectProblem(await h.app.inject({ method: "POST", url: "/v1/cases", headers: await h.auth(officer), payload: { workflow: name, input: {} } }), 404, "CIVICASE_E_WORKFLOW_NOT_FOUND")
      expectProblem(await h.app.inject({ url: `/v1/workflows/${encodeURIComponent(name)}`, headers: await h.auth(officer) }), 404, "CIVICASE_E_WORKFLOW_NOT_FOUND")
      const q = encodeURIComponent(name)
      const list = await h.app.inject({ url: `/v1/cases?workflow=${q}&state=${q}&agency=${q}`, headers: await h.auth(coordinator) })
      expect(list.statusCode).toBe(200)
      expect(list.json().items).toEqual([])
      const sla = await h.app.inject({ url: `/v1/reports/sla?workflow=${q}&agency=${q}`, headers: await h.auth(coordinator) })
      expect(sla.statusCode).toBe(200)
    })

    it.each(prototypeNames)("a query parameter named %s is 400 naming it", async (name) => {
      const res = await h.app.inject({ url: `/v1/cases?${encodeURIComponent(name)}=1`, headers: await h.auth(coordinator) })
      expect(expectProblem(res, 400, "CIVICASE_E_VALIDATION").errors[0].path).toBe(`querystring/${name}`)
    })
  })

  describe("input depth and shape at the edge", () => {
    const deep = (n: number) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`

    it("a case input nested 5,000 deep is 400 naming the path, and creates nothing", async () => {
      const before = await countCases()
      const res = await h.app.inject({ method: "POST", url: "/v1/cases", headers: await json(), payload: `{"workflow":"demo","input":{"title":"t","deep":${deep(5000)}}}` })
      const problem = expectProblem(res, 400, "CIVICASE_E_VALIDATION")
      expect(problem.errors).toEqual([{ path: `body/input/deep${"/a".repeat(defaultInputLimits.maxDepth - 1)}`, message: `nests deeper than ${defaultInputLimits.maxDepth} levels` }])
      expect(await countCases()).toBe(before)
    })

    it("an event payload nested 5,000 deep is 400 naming the path, and changes no rev", async () => {
      const res = await h.app.inject({ method: "POST", url: `/v1/cases/${caseId}/events`, headers: await json(), payload: `{"type":"NOTE","payload":{"text":"x","deep":${deep(5000)}}}` })
      expect(expectProblem(res, 400, "CIVICASE_E_VALIDATION").errors[0].path).toMatch(/^body\/payload\/deep\/a\/a/)
      expect(await revOf(caseId)).toBe(1)
    })

    it("arrays nested 120,000 deep (what 256 KiB holds) are 400 too, anywhere in the body", async () => {
      const arrays = `${"[".repeat(120_000)}${"]".repeat(120_000)}`
      for (const payload of [`{"workflow":"demo","input":{"title":"t","d":${arrays}}}`, `{"workflow":"demo","x":${arrays}}`, arrays]) {
        expectProblem(await h.app.inject({ method: "POST", url: "/v1/cases", headers: await json(), payload }), 400, "CIVICASE_E_VALIDATION")
      }
    })

    it("a wide or long body part is 400 naming the path", async () => {
      const wide = Object.fromEntries(Array.from({ length: defaultInputLimits.maxKeys + 1 }, (_, i) => [`k${i}`, 0]))
      const res = await h.app.inject({ method: "POST", url: `/v1/cases/${caseId}/events`, headers: await h.auth(officer), payload: { type: "NOTE", payload: { text: "x", wide } } })
      expect(expectProblem(res, 400, "CIVICASE_E_VALIDATION").errors[0]).toEqual({ path: "body/payload/wide", message: "has 257 keys; at most 256" })
    })
  })

  describe("types in bodies are strict; query strings are still parsed", () => {
    it('expectedRev "1" is 400 naming body/expectedRev, and changes nothing', async () => {
      const res = await h.app.inject({ method: "POST", url: `/v1/cases/${caseId}/events`, headers: await h.auth(officer), payload: { type: "NOTE", payload: { text: "x" }, expectedRev: "1" } })
      expect(expectProblem(res, 400, "CIVICASE_E_VALIDATION").errors).toEqual([{ path: "body/expectedRev", message: "must be integer" }])
      expect(await revOf(caseId)).toBe(1)
    })

    it.each([
      [{ workflow: 5 }, "body/workflow"],
      [{ workflow: ["demo"] }, "body/workflow"],
      [{ workflow: "demo", input: { title: "t" }, idempotencyKey: 12 }, "body/idempotencyKey"],
    ])("a body of the wrong types %j is 400 naming %s", async (payload, path) => {
      const res = await h.app.inject({ method: "POST", url: "/v1/cases", headers: await h.auth(officer), payload })
      expect(expectProblem(res, 400, "CIVICASE_E_VALIDATION").errors.map((e: { path: string }) => e.path)).toContain(path)
    })

    it("numbers and booleans in the query string are read as such", async () => {
      const res = await h.app.inject({ url: "/v1/cases?limit=2&overdue=false&status=active", headers: await h.auth(coordinator) })
      expect(res.statusCode).toBe(200)
      expect(res.json().items.length).toBeLessThanOrEqual(2)
      expectProblem(await h.app.inject({ url: "/v1/cases?limit=two", headers: await h.auth(coordinator) }), 400, "CIVICASE_E_VALIDATION")
    })
  })

  describe("media types and encodings", () => {
    it.each(["text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin1", "application/jsonp"])(
      "a %s body is 415",
      async (type) => {
        const res = await h.app.inject({ method: "POST", url: "/v1/cases", headers: { ...(await h.auth(officer)), "content-type": type }, payload: '{"workflow":"demo","input":{"title":"t"}}' })
        expectProblem(res, 415, "CIVICASE_E_UNSUPPORTED_MEDIA_TYPE")
      },
    )

    it("a JSON body with charset=utf-8 is taken", async () => {
      const res = await h.app.inject({ method: "POST", url: "/v1/cases", headers: { ...(await h.auth(officer)), "content-type": "application/json; charset=UTF-8" }, payload: '{"workflow":"demo","input":{"title":"t"}}' })
      expect(res.statusCode).toBe(201)
    })

    it("invalid UTF-8 in a body is 400, not replaced, and creates nothing", async () => {
      const before = await countCases()
      const payload = Buffer.concat([Buffer.from('{"workflow":"demo","input":{"title":"a'), Buffer.from([0xff, 0xfe]), Buffer.from('"}}')])
      const res = await h.app.inject({ method: "POST", url: "/v1/cases", headers: await json(), payload })
      expect(expectProblem(res, 400, "CIVICASE_E_BAD_REQUEST").detail).toMatch(/UTF-8/)
      expect(await countCases()).toBe(before)
    })
  })

  describe("methods and routes", () => {
    it.each([
      ["DELETE", "/v1/cases", "GET, HEAD, POST"],
      ["PUT", `/v1/cases/00000000-0000-4000-8000-000000000000`, "GET, HEAD"],
      ["GET", `/v1/cases/00000000-0000-4000-8000-000000000000/events`, "POST"],
      ["PATCH", "/v1/workflows", "GET, HEAD"],
      ["POST", "/healthz", "GET, HEAD"],
    ])("%s %s is 405 with Allow: %s", async (method, url, allow) => {
      const res = await h.app.inject({ method: method as "GET", url, headers: await h.auth(officer) })
      expectProblem(res, 405, "CIVICASE_E_METHOD_NOT_ALLOWED")
      expect(res.headers.allow).toBe(allow)
    })

    it("an unknown path is still 404", async () => {
      expectProblem(await h.app.inject({ method: "DELETE", url: "/v1/nothing", headers: await h.auth(officer) }), 404, "CIVICASE_E_NOT_FOUND")
    })

    it("a path no route takes is 404 or 405 whatever its body (found by the property run: it was 415)", async () => {
      const text = { ...(await h.auth(officer)), "content-type": "text/plain" }
      expectProblem(await h.app.inject({ method: "POST", url: "/v1/nothing", headers: text, payload: "x" }), 404, "CIVICASE_E_NOT_FOUND")
      const res = await h.app.inject({ method: "PUT", url: "/v1/cases", headers: text, payload: "x" })
      expectProblem(res, 405, "CIVICASE_E_METHOD_NOT_ALLOWED")
      expect(res.headers.allow).toBe("GET, HEAD, POST")
      expectProblem(await h.app.inject({ method: "PATCH", url: "/v1/nothing", headers: await json(), payload: "{bad" }), 404, "CIVICASE_E_NOT_FOUND")
    })

    it("an over-long id is a problem with the request id and security headers, not Fastify's raw 414", async () => {
      const res = await h.app.inject({ url: `/v1/cases/${"a".repeat(200)}`, headers: await h.auth(officer) })
      expectProblem(res, 414, "CIVICASE_E_URI_TOO_LONG")
    })

    it("a malformed percent-encoding in the path is a problem too", async () => {
      const res = await h.app.inject({ url: "/v1/cases/%E0%A4%A", headers: await h.auth(officer) })
      expectProblem(res, 400, "CIVICASE_E_BAD_REQUEST")
    })

    it("GET /v1/live without an upgrade is 426 with Upgrade: websocket", async () => {
      for (const method of ["GET", "HEAD"] as const) {
        const res = await h.app.inject({ method, url: "/v1/live", headers: await h.auth(officer) })
        expect(res.statusCode).toBe(426)
        expect(res.headers.upgrade).toBe("websocket")
        if (method === "GET") expectProblem(res, 426, "CIVICASE_E_UPGRADE_REQUIRED")
      }
    })
  })

  describe("errors before any route (the HTTP parser): still problems", () => {
    let base: { port: number }
    beforeAll(async () => {
      await h.app.listen({ port: 0, host: "127.0.0.1" })
      base = h.app.server.address() as { port: number }
    })

    /** Sends raw bytes and reads the whole answer; Node's parser, not Fastify's router, answers these. */
    const raw = (bytes: string) =>
      new Promise<{ statusCode: number; headers: Record<string, string>; body: string }>((resolve, reject) => {
        const socket = connect(base.port, "127.0.0.1")
        let text = ""
        socket.on("data", (d) => (text += d.toString("latin1")))
        socket.on("error", () => undefined)
        socket.on("close", () => {
          const [head = "", body = ""] = text.split("\r\n\r\n")
          const [status, ...lines] = head.split("\r\n")
          const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]))
          if (!status) return reject(new Error("no answer"))
          resolve({ statusCode: Number(status.split(" ")[1]), headers, body })
        })
        socket.write(bytes)
      })

    it("a malformed request line is a 400 problem", async () => {
      expectProblem(await raw("NOT HTTP AT ALL\r\n\r\n"), 400, "CIVICASE_E_BAD_REQUEST")
    })

    it("headers past Node's size limit are a 431 problem", async () => {
      expectProblem(await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`), 431, "CIVICASE_E_HEADERS_TOO_LARGE")
    })
  })
})

