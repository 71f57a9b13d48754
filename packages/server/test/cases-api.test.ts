import { demoActors } from "@civicase/core/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Harness, harness } from "./harness.js"

const { officer, head, otherHead, otherOfficer, coordinator } = demoActors

describe("cases API", () => {
  let h: Harness
  beforeAll(async () => {
    h = await harness()
  })
  afterAll(() => h.close())

  const create = async (title = "Báo cáo quý I") => {
    const res = await h.app.inject({ method: "POST", url: "/v1/cases", headers: await h.auth(officer), payload: { workflow: "demo", input: { title } } })
    expect(res.statusCode).toBe(201)
    return res.json() as { id: string; rev: number; state: string }
  }

  it("creates a case: 201 with the case and its location", async () => {
    const res = await h.app.inject({ method: "POST", url: "/v1/cases", headers: await h.auth(officer), payload: { workflow: "demo", input: { title: "Kế hoạch 2025" } } })
    expect(res.statusCode).toBe(201)
    const body = res.json()
    expect(body).toMatchObject({ workflow: "demo", version: 1, state: "draft", status: "active", rev: 1, context: { title: "Kế hoạch 2025" } })
    expect(body.allowedEvents).toContain("NOTE")
    expect(res.headers.location).toBe(`/v1/cases/${body.id}`)
    expect(res.headers["x-request-id"]).toBeTruthy()
  })

  it("a repeated idempotencyKey returns the first case and creates nothing", async () => {
    const headers = await h.auth(officer)
    const payload = { workflow: "demo", input: { title: "once" }, idempotencyKey: "create-once" }
    const first = await h.app.inject({ method: "POST", url: "/v1/cases", headers, payload })
    const again = await h.app.inject({ method: "POST", url: "/v1/cases", headers, payload })
    expect(again.statusCode).toBe(201)
    expect(again.json().id).toBe(first.json().id)
    expect(again.headers["idempotent-replayed"]).toBe("true")
    const list = await h.app.inject({ url: "/v1/cases?limit=500", headers })
    expect(list.json().items.filter((c: { context: { title: string } }) => c.context.title === "once")).toHaveLength(1)
  })

  it("400 with every failing path when the input fails its schema", async () => {
    const res = await h.app.inject({ method: "POST", url: "/v1/cases", headers: await h.auth(officer), payload: { workflow: "demo", input: { title: "", extra: 1 } } })
    expect(res.statusCode).toBe(400)
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/)
    const problem = res.json()
    expect(problem).toMatchObject({ status: 400, code: "CIVICASE_E_VALIDATION", type: "https://civicase.dev/errors/CIVICASE_E_VALIDATION" })
    expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual(["/extra", "/title"])
  })

  it("400 when the request body itself is malformed, naming the field", async () => {
    const res = await h.app.inject({ method: "POST", url: "/v1/cases", headers: await h.auth(officer), payload: { input: {} } })
    expect(res.statusCode).toBe(400)
    expect(res.json().errors).toEqual([expect.objectContaining({ path: "body/workflow" })])
    const bad = await h.app.inject({ method: "POST", url: "/v1/cases", headers: { ...(await h.auth(officer)), "content-type": "application/json" }, payload: "{not json" })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().code).toBe("CIVICASE_E_BAD_REQUEST")
  })

  it("refuses prototype poisoning with 400", async () => {
    const res = await h.app.inject({
      method: "POST",
      url: "/v1/cases",
      headers: { ...(await h.auth(officer)), "content-type": "application/json" },
      payload: '{"workflow":"demo","input":{"title":"x","__proto__":{"admin":true}}}',
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().code).toBe("CIVICASE_E_BAD_REQUEST")
  })

  it("404 for an unknown workflow", async () => {
    const res = await h.app.inject({ method: "POST", url: "/v1/cases", headers: await h.auth(officer), payload: { workflow: "nope", input: {} } })
    expect(res.statusCode).toBe(404)
    expect(res.json().code).toBe("CIVICASE_E_WORKFLOW_NOT_FOUND")
  })

  it("403 when the actor's role may not start the workflow", async () => {
    const res = await h.app.inject({ method: "POST", url: "/v1/cases", headers: await h.auth(coordinator), payload: { workflow: "demo", input: { title: "x" } } })
    expect(res.statusCode).toBe(403)
    expect(res.json().code).toBe("CIVICASE_E_FORBIDDEN")
  })

  it("reads a case, its history, and verifies its chain", async () => {
    const c = await create()
    const headers = await h.auth(head)
    await h.app.inject({ method: "POST", url: `/v1/cases/${c.id}/events`, headers, payload: { type: "SUBMIT" } })
    const got = await h.app.inject({ url: `/v1/cases/${c.id}`, headers })
    expect(got.statusCode).toBe(200)
    expect(got.json()).toMatchObject({ id: c.id, state: "review", rev: 2 })
    expect(got.json().deadlines.map((d: { name: string }) => d.name).sort()).toEqual(["reminder", "reviewDeadline"])
    const history = await h.app.inject({ url: `/v1/cases/${c.id}/history`, headers })
    expect(history.statusCode).toBe(200)
    expect(history.json().items.map((e: { rev: number; type: string; from: string | null; to: string }) => [e.rev, e.type, e.from, e.to])).toEqual([
      [1, "case.created", null, "draft"],
      [2, "SUBMIT", "draft", "review"],
    ])
    expect(history.json().items[1]).toMatchObject({ actor: { id: head.id }, hash: expect.stringMatching(/^[0-9a-f]{64}$/) })
    expect(history.json().items.map((e: { chainFormat: number }) => e.chainFormat)).toEqual([2, 2]) // RFC 8785, meta covered (docs/audit.md)
    const verify = await h.app.inject({ url: `/v1/cases/${c.id}/verify`, headers })
    expect(verify.json()).toEqual({ ok: true, checked: 2 })
  })

  it("the verify route names the first tampered row", async () => {
    const c = await create()
    await h.engine.db.updateTable("civicase_history").set({ payload: JSON.stringify({ title: "forged" }) as any }).where("case_id", "=", c.id).where("rev", "=", 1).execute()
    const verify = await h.app.inject({ url: `/v1/cases/${c.id}/verify`, headers: await h.auth(coordinator) })
    expect(verify.json()).toEqual({ ok: false, checked: 1, firstBadRev: 1 })
  })

  it("sends an event: 200 with the case after the transition", async () => {
    const c = await create()
    const res = await h.app.inject({ method: "POST", url: `/v1/cases/${c.id}/events`, headers: await h.auth(head), payload: { type: "SUBMIT", expectedRev: 1 } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ id: c.id, state: "review", rev: 2 })
  })

  it("400 when an event's payload fails the workflow's schema", async () => {
    const c = await create()
    const res = await h.app.inject({ method: "POST", url: `/v1/cases/${c.id}/events`, headers: await h.auth(officer), payload: { type: "NOTE", payload: { text: 5 } } })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: "CIVICASE_E_VALIDATION", errors: [{ path: "/text", message: "must be string" }] })
  })

  it("409 when expectedRev is stale, with the current rev", async () => {
    const c = await create()
    const headers = await h.auth(officer)
    await h.app.inject({ method: "POST", url: `/v1/cases/${c.id}/events`, headers, payload: { type: "NOTE", payload: { text: "a" } } })
    const res = await h.app.inject({ method: "POST", url: `/v1/cases/${c.id}/events`, headers, payload: { type: "NOTE", payload: { text: "b" }, expectedRev: 1 } })
    expect(res.statusCode).toBe(409)
    expect(res.json()).toMatchObject({ code: "CIVICASE_E_REVISION_CONFLICT", currentRev: 2 })
    expect((await h.engine.getCase(c.id, officer)).rev).toBe(2)
  })

  it("409 when the event is not accepted, naming the state and the accepted events", async () => {
    const c = await create()
    const res = await h.app.inject({ method: "POST", url: `/v1/cases/${c.id}/events`, headers: await h.auth(coordinator), payload: { type: "APPROVE" } })
    expect(res.statusCode).toBe(409)
    const problem = res.json()
    expect(problem).toMatchObject({ code: "CIVICASE_E_EVENT_NOT_ACCEPTED", state: "draft" })
    expect([...problem.accepted].sort()).toEqual(["NOTE", "SUBMIT"])
    expect(problem.detail).toContain('"draft"')
  })

  it("a repeated idempotencyKey on an event replays (Idempotent-Replayed), writes nothing, and names the rev it produced", async () => {
    const c = await create()
    const headers = await h.auth(officer)
    const payload = { type: "NOTE", payload: { text: "once" }, idempotencyKey: "note-1" }
    const first = await h.app.inject({ method: "POST", url: `/v1/cases/${c.id}/events`, headers, payload })
    const again = await h.app.inject({ method: "POST", url: `/v1/cases/${c.id}/events`, headers, payload })
    expect(first.json().rev).toBe(2)
    expect(again.statusCode).toBe(200)
    expect(again.json().rev).toBe(2)
    expect(again.headers["idempotent-replayed"]).toBe("true")
    expect(again.headers["idempotent-replayed-rev"]).toBe("2")
    expect((await h.engine.history(c.id, officer)).length).toBe(2)
    // After the case moves on, a replay still names the rev its first call produced.
    await h.app.inject({ method: "POST", url: `/v1/cases/${c.id}/events`, headers, payload: { type: "NOTE", payload: { text: "later" } } })
    const late = await h.app.inject({ method: "POST", url: `/v1/cases/${c.id}/events`, headers, payload })
    expect(late.json().rev).toBe(3)
    expect(late.headers["idempotent-replayed-rev"]).toBe("2")
  })

  it("lists cases with filters and cursor pagination", async () => {
    const headers = await h.auth(otherOfficer)
    for (const t of ["b1", "b2", "b3"]) {
      const res = await h.app.inject({ method: "POST", url: "/v1/cases", headers, payload: { workflow: "demo", input: { title: t } } })
      expect(res.statusCode).toBe(201)
    }
    const first = await h.app.inject({ url: "/v1/cases?workflow=demo&state=draft&limit=2", headers })
    expect(first.statusCode).toBe(200)
    expect(first.json().items).toHaveLength(2)
    const second = await h.app.inject({ url: `/v1/cases?workflow=demo&limit=2&cursor=${first.json().nextCursor}`, headers })
    const titles = [...first.json().items, ...second.json().items].map((c: { context: { title: string } }) => c.context.title)
    expect(titles.sort()).toEqual(["b1", "b2", "b3"])
    expect(second.json().nextCursor).toBeUndefined()
    const bad = await h.app.inject({ url: "/v1/cases?limit=0", headers })
    expect(bad.statusCode).toBe(400)
    const overdue = await h.app.inject({ url: "/v1/cases?overdue=true", headers })
    expect(overdue.json().items).toEqual([])
  })

  it("404 for a case that does not exist, or a malformed id", async () => {
    const headers = await h.auth(coordinator)
    for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-uuid"]) {
      const res = await h.app.inject({ url: `/v1/cases/${id}`, headers })
      expect(res.statusCode).toBe(404)
      expect(res.json().code).toBe("CIVICASE_E_CASE_NOT_FOUND")
    }
  })

  it("agency B can neither read, list, nor act on a case of agency A only", async () => {
    const c = await create("chỉ của A")
    const b = await h.auth(otherHead)
    expect((await h.app.inject({ url: `/v1/cases/${c.id}`, headers: b })).statusCode).toBe(404)
    expect((await h.app.inject({ url: `/v1/cases/${c.id}/history`, headers: b })).statusCode).toBe(404)
    expect((await h.app.inject({ url: `/v1/cases/${c.id}/verify`, headers: b })).statusCode).toBe(404)
    const send = await h.app.inject({ method: "POST", url: `/v1/cases/${c.id}/events`, headers: b, payload: { type: "SUBMIT" } })
    expect(send.statusCode).toBe(404)
    const listed = await h.app.inject({ url: "/v1/cases?limit=500", headers: b })
    expect(listed.json().items.map((x: { id: string }) => x.id)).not.toContain(c.id)
    const byAgency = await h.app.inject({ url: "/v1/cases?agency=agency-a&limit=500", headers: b })
    expect(byAgency.json().items).toEqual([])
    expect((await h.engine.getCase(c.id, officer)).rev).toBe(1)
  })

  it("403 when the actor sees the case but its role may not send the event", async () => {
    const c = await create()
    const res = await h.app.inject({ method: "POST", url: `/v1/cases/${c.id}/events`, headers: await h.auth(officer), payload: { type: "SUBMIT" } })
    expect(res.statusCode).toBe(403)
    expect(res.json()).toMatchObject({ code: "CIVICASE_E_FORBIDDEN", detail: expect.stringContaining("agency_head") })
  })

  it("404 as problem+json for an unknown route", async () => {
    const res = await h.app.inject({ url: "/v1/nothing", headers: await h.auth(officer) })
    expect(res.statusCode).toBe(404)
    expect(res.json().code).toBe("CIVICASE_E_NOT_FOUND")
  })
})
