import { demoActors } from "@civicase/core/testing"
import { errorCodes } from "@civicase/core"
import { toProblem } from "@civicase/server"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Harness, harness } from "./harness.js"

describe("problem statuses come from the error registry", () => {
  let h: Harness
  beforeAll(async () => {
    h = await harness()
  })
  afterAll(() => h.close())

  it("a body that is not JSON is 415 CIVICASE_E_UNSUPPORTED_MEDIA_TYPE", async () => {
    const res = await h.app.inject({ method: "POST", url: "/v1/cases", headers: { ...(await h.auth(demoActors.officer)), "content-type": "application/xml" }, payload: "<case/>" })
    expect(res.statusCode).toBe(415)
    expect(res.json()).toMatchObject({ status: 415, code: "CIVICASE_E_UNSUPPORTED_MEDIA_TYPE" })
  })

  it.each([
    [{ code: "FST_ERR_CTP_INVALID_MEDIA_TYPE", statusCode: 415 }, "CIVICASE_E_UNSUPPORTED_MEDIA_TYPE"],
    [{ statusCode: 405 }, "CIVICASE_E_METHOD_NOT_ALLOWED"],
    [{ statusCode: 404 }, "CIVICASE_E_NOT_FOUND"],
    [{ statusCode: 418 }, "CIVICASE_E_BAD_REQUEST"],
    [{ statusCode: 431 }, "CIVICASE_E_HEADERS_TOO_LARGE"],
    [{ statusCode: 414 }, "CIVICASE_E_URI_TOO_LONG"],
    [{ statusCode: 426 }, "CIVICASE_E_UPGRADE_REQUIRED"],
  ])("Fastify error %o maps to %s with the registered status", (error, code) => {
    const problem = toProblem(Object.assign(new Error("x"), error))
    expect(problem.code).toBe(code)
    expect(problem.status).toBe(errorCodes[problem.code].status)
  })
})
