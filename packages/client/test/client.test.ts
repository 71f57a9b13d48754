import { demoActors } from "@civicase/core/testing"
import { CivicaseProblemError, type ErrorCode, type EventPayload, createClient, isCivicaseProblem, isErrorCode } from "@civicase/client"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type TestServer, startServer } from "./server.js"

const { officer, head, coordinator } = demoActors

describe("createClient against a real server", () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => server.close())

  it("creates, reads, lists, acts on a case and reads its history through typed calls", async () => {
    const asOfficer = createClient({ baseUrl: server.baseUrl, token: await server.token(officer) })
    const asHead = createClient({ baseUrl: server.baseUrl, token: await server.token(head) })
    const created = await asOfficer.createCase({ workflow: "demo", input: { title: "Kế hoạch 2026" } })
    expect(created).toMatchObject({ workflow: "demo", state: "draft", rev: 1, status: "active" })
    const submitted = await asHead.sendEvent(created.id, { type: "SUBMIT", expectedRev: 1 })
    expect(submitted).toMatchObject({ id: created.id, state: "review", rev: 2 })
    expect((await asOfficer.getCase(created.id)).rev).toBe(2)
    const page = await asOfficer.listCases({ workflow: "demo", limit: 500 })
    expect(page.items.map((c) => c.id)).toContain(created.id)
    const history = await asOfficer.history(created.id)
    expect(history.map((e) => [e.rev, e.type])).toEqual([
      [1, "case.created"],
      [2, "SUBMIT"],
    ])
    // The raw typed routes: a path the spec has, with its parameters.
    const verified = await asOfficer.api.GET("/v1/cases/{id}/verify", { params: { path: { id: created.id } } })
    expect(verified.data).toEqual({ ok: true, checked: 2 })
  })

  it("throws a refused event as CivicaseProblemError with its code, status and the server's extra members", async () => {
    const client = createClient({ baseUrl: server.baseUrl, token: await server.token(coordinator) })
    const created = await createClient({ baseUrl: server.baseUrl, token: await server.token(officer) }).createCase({ workflow: "demo", input: { title: "t" } })
    const refused = await client.sendEvent(created.id, { type: "APPROVE" }).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(CivicaseProblemError)
    const problem = refused as CivicaseProblemError
    const code: ErrorCode = problem.code
    expect(code).toBe("CIVICASE_E_EVENT_NOT_ACCEPTED")
    expect(problem).toMatchObject({ status: 409, title: "Event not accepted in the current state" })
    expect(problem.problem).toMatchObject({ state: "draft", accepted: expect.arrayContaining(["NOTE"]) })
    expect(isErrorCode(problem.code)).toBe(true)
    expect(isErrorCode("CIVICASE_E_FROM_A_NEWER_SERVER")).toBe(false)
    // As another copy of the package would throw it: no shared class, the same shape.
    const copy = Object.assign(new Error(problem.message), { name: "CivicaseProblemError", code: problem.code, status: 409, problem: problem.problem })
    expect(isCivicaseProblem(copy)).toBe(true)
    expect(isCivicaseProblem(new Error("x"))).toBe(false)
    // Nothing was written.
    expect((await client.history(created.id)).map((e) => e.rev)).toEqual([1])
  })

  it("names every failing path of a refused payload in errorsByPath", async () => {
    const client = createClient({ baseUrl: server.baseUrl, token: await server.token(officer) })
    const created = await client.createCase({ workflow: "demo", input: { title: "t" } })
    const refused = (await client.sendEvent(created.id, { type: "NOTE", payload: { text: 5 } }).catch((e: unknown) => e)) as CivicaseProblemError
    expect(refused.code).toBe("CIVICASE_E_VALIDATION")
    expect(refused.status).toBe(400)
    expect([...refused.errorsByPath.keys()]).toContain("/text")
    const unknown = (await client.getCase("00000000-0000-4000-8000-000000000000").catch((e: unknown) => e)) as CivicaseProblemError
    expect(unknown).toMatchObject({ status: 404, code: "CIVICASE_E_CASE_NOT_FOUND" })
  })

  it("asks getToken before every request, so a refreshed token is used at once", async () => {
    const tokens = [await server.token(officer), await server.token(head)]
    let asked = 0
    const client = createClient({ baseUrl: server.baseUrl, getToken: async () => tokens[Math.min(asked++, 1)]! })
    const created = await client.createCase({ workflow: "demo", input: { title: "t" } })
    // The second request goes as the head, who may submit; the officer may not.
    expect((await client.sendEvent(created.id, { type: "SUBMIT" })).state).toBe("review")
    expect(asked).toBe(2)
    const bad = (await createClient({ baseUrl: server.baseUrl, token: "not-a-token" }).listCases().catch((e: unknown) => e)) as CivicaseProblemError
    expect(bad).toMatchObject({ status: 401, code: "CIVICASE_E_UNAUTHENTICATED" })
  })

  it("types the routes from the server's document: an unknown path, a wrong body or a payload off its schema does not compile", () => {
    const client = createClient({ baseUrl: server.baseUrl, token: "t" })
    const uncalled = () => {
      // @ts-expect-error: no such route
      void client.api.GET("/v1/casez")
      // @ts-expect-error: workflow is required
      void client.createCase({ input: {} })
      // @ts-expect-error: expectedRev is an integer, not text
      void client.sendEvent("c", { type: "SUBMIT", expectedRev: "4" })
      // @ts-expect-error: the plan's RETURN_REPORT needs its comments
      const payload: EventPayload<"plan.v1.RETURN_REPORT"> = {}
      return payload
    }
    expect(typeof uncalled).toBe("function")
  })

  it("refuses bad options with a TypeError naming the option", () => {
    expect(() => createClient({ baseUrl: "ftp://x", token: "t" })).toThrow(/baseUrl/)
    expect(() => createClient({ baseUrl: server.baseUrl } as never)).toThrow(/token/)
    expect(() => createClient({ baseUrl: server.baseUrl, token: "t", retries: -1 })).toThrow(/retries\.max/)
  })
})
