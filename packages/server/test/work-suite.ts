import { createHash } from "node:crypto"
import { type Actor, type Engine, createEngine, silentLogger, testClock } from "@civicase/core"
import { demoActors as A, demoWorkflow } from "@civicase/core/testing"
import { buildServer, devTokens } from "@civicase/server"
import type { FastifyInstance } from "fastify"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { StoreFactory } from "./links-suite.js"
import { multipartForm } from "./multipart-form.js"
import { ResponseLog, undeclared } from "./response-log.js"

/** The document size limit of the suite's engine, small so that 413 costs nothing. */
const MAX_BYTES = 64 * 1024

const names: ReadonlyArray<readonly [Actor, string]> = [
  [A.officer, "Nguyễn Văn An"],
  [A.colleague, "Trần Thị Bình"],
  [A.head, "Lê Văn Cường"],
  [A.otherOfficer, "Phạm Thị Dung"],
  [A.otherHead, "Hoàng Văn Đức"],
  [A.coordinator, "Vũ Thị Hà"],
  [A.observer, "Đỗ Văn Khánh"],
]

interface Setup {
  readonly app: FastifyInstance
  readonly engine: Engine
  readonly log: ResponseLog
  call(actor: Actor | undefined, method: string, url: string, body?: unknown, extra?: Record<string, string>): Promise<{ statusCode: number; headers: Record<string, unknown>; json(): any; rawPayload: Buffer }>
  upload(actor: Actor, caseId: string, parts: Parameters<typeof multipartForm>[0]): Promise<{ statusCode: number; headers: Record<string, unknown>; json(): any }>
  create(actor: Actor, title: string): Promise<{ id: string; rev: number }>
  historyLength(caseId: string): Promise<number>
  close(): Promise<void>
}

async function setup(stores: StoreFactory): Promise<Setup> {
  const handle = stores()
  const clock = testClock()
  const engine = createEngine({ store: handle.open(), workflows: [demoWorkflow], clock, scheduler: false, logger: silentLogger, documents: { maxBytes: MAX_BYTES } })
  await engine.start()
  for (const [actor, name] of names) await engine.people.upsert({ id: actor.id, agency: actor.agency, name, email: `${actor.id}@demo.gov.vn`, roles: [...actor.roles] }, A.coordinator)
  const dev = devTokens({ now: () => clock.now() })
  const app = await buildServer({ engine, auth: dev.auth, province: "demo", now: () => clock.now(), rateLimit: false, dashboard: false })
  const log = new ResponseLog(app)
  const headers = async (actor: Actor | undefined) => (actor ? { authorization: `Bearer ${await dev.mint(actor)}` } : {})
  const s: Setup = {
    app,
    engine,
    log,
    async call(actor, method, url, body, extra = {}) {
      const res = await app.inject({ method: method as "GET", url, headers: { ...(await headers(actor)), ...extra }, ...(body === undefined ? {} : { payload: body as object }) })
      // A streamed answer's onResponse hook runs after inject resolves.
      await new Promise((resolve) => setImmediate(resolve))
      log.record(method, res)
      return res
    },
    async upload(actor, caseId, parts) {
      const { payload, contentType } = multipartForm(parts)
      const res = await app.inject({ method: "POST", url: `/v1/cases/${caseId}/documents`, headers: { ...(await headers(actor)), "content-type": contentType }, payload })
      log.record("POST", res)
      return res
    },
    async create(actor, title) {
      const res = await s.call(actor, "POST", "/v1/cases", { workflow: "demo", input: { title } })
      expect(res.statusCode).toBe(201)
      return res.json()
    },
    async historyLength(caseId) {
      return (await engine.history(caseId, A.coordinator)).length
    },
    async close() {
      await app.close()
      await engine.close()
      await handle.dispose()
    },
  }
  return s
}

const pdf = (text: string) => new TextEncoder().encode(`%PDF-1.4\n% ${text}\n%%EOF\n`)
const decision = { number: "125", notation: "QĐ-UBND", documentType: "Quyết định", signer: { name: "Trần Văn Bình", position: "Phó Chủ tịch UBND tỉnh" }, issuedOn: "2025-03-10" }

/**
 * The HTTP routes of people's work (assignment, work lists, search, people,
 * comments, documents) against one store: each route's answer, its refusals
 * writing nothing, and every answer declared in the OpenAPI document.
 */
export function workSuite(name: string, stores: StoreFactory): void {
  describe(`people's work over HTTP (${name})`, () => {
    let s: Setup
    beforeAll(async () => {
      s = await setup(stores)
    })
    afterAll(async () => {
      expect(undeclared(s.app.swagger(), s.log.observed())).toEqual([])
      await s.close()
    })

    // First, on the empty database, so that every list and count is exact.
    it("answers assignee=me&actionable=true per actor, q= without diacritics, date and order filters, and the summary counts", async () => {
      const later = () => s.engine.testing.advanceTime("PT1M")
      const slide = await s.create(A.officer, "Sạt lở đất ở Tam Đảo")
      await later()
      const flood = await s.create(A.officer, "Ngập lụt ở Vĩnh Yên")
      await later()
      const other = await s.create(A.otherOfficer, "Sạt lở ở Lập Thạch")
      await later()
      // flood goes to review: it waits for any coordinator now.
      expect((await s.call(A.head, "POST", `/v1/cases/${flood.id}/events`, { type: "SUBMIT" })).statusCode).toBe(200)
      await later()
      expect((await s.call(A.head, "POST", `/v1/cases/${slide.id}/assignment`, { assignee: "me" })).statusCode).toBe(200)

      const ids = async (actor: Actor, query: string) => {
        const res = await s.call(actor, "GET", `/v1/cases?${query}`)
        expect(res.statusCode).toBe(200)
        return res.json().items.map((c: { id: string }) => c.id)
      }
      expect(await ids(A.head, "assignee=me&actionable=true")).toEqual([slide.id])
      expect(await ids(A.head, "actionable=true")).toEqual([slide.id])
      expect(await ids(A.otherHead, "actionable=true")).toEqual([other.id])
      expect(await ids(A.coordinator, "actionable=true")).toEqual([flood.id])
      expect(await ids(A.coordinator, "assignee=me&actionable=true")).toEqual([])
      expect(await ids(A.officer, "actionable=true")).toEqual([])
      expect(await ids(A.coordinator, "assignee=none&orderBy=created")).toEqual([flood.id, other.id])

      expect(await ids(A.coordinator, `q=${encodeURIComponent("sat lo")}&orderBy=created&direction=desc`)).toEqual([other.id, slide.id])
      expect(await ids(A.officer, `q=${encodeURIComponent("sat lo tam")}`)).toEqual([slide.id])
      expect(await ids(A.officer, `q=${encodeURIComponent("sat lo lap")}`)).toEqual([])
      expect(await ids(A.coordinator, "orderBy=updated&direction=desc&limit=1")).toEqual([slide.id])
      const today = s.engine.clock.now().toISOString().slice(0, 10)
      expect(await ids(A.coordinator, `createdFrom=${today}&createdTo=${today}&updatedFrom=${today}&updatedTo=${today}`)).toHaveLength(3)
      expect(await ids(A.coordinator, "createdTo=2000-01-01")).toEqual([])

      for (const [query, path] of [
        ["orderBy=title", "orderBy"],
        ["direction=up", "direction"],
        ["actionable=maybe", "actionable"],
        ["assignee=", "assignee"],
        ["createdFrom=yesterday", "createdFrom"],
        ["q=%21%21", "q"],
      ] as const) {
        const res = await s.call(A.coordinator, "GET", `/v1/cases?${query}`)
        expect(res.statusCode, query).toBe(400)
        expect(res.json().errors.map((e: { path: string }) => e.path).join(" "), query).toContain(path)
      }

      const summary = async (actor: Actor) => (await s.call(actor, "GET", "/v1/worklist/summary")).json()
      expect(await summary(A.head)).toEqual({ actionable: 1, assigned: 1, agency: 2, overdue: 0 })
      expect(await summary(A.coordinator)).toEqual({ actionable: 1, assigned: 0, agency: 0, overdue: 0 })
      expect(await summary(A.otherHead)).toEqual({ actionable: 1, assigned: 0, agency: 1, overdue: 0 })
      expect((await s.call(undefined, "GET", "/v1/worklist/summary")).statusCode).toBe(401)
    })

    it("assigns, claims as me, releases; refusals answer 403/404/400 and record nothing", async () => {
      const c = await s.create(A.officer, "Kế hoạch tuyên truyền")
      const assigned = await s.call(A.head, "POST", `/v1/cases/${c.id}/assignment`, { assignee: A.officer.id, note: "Anh An soạn giúp" })
      expect(assigned.statusCode).toBe(200)
      expect(assigned.json()).toMatchObject({ rev: 2, state: "draft", assignee: { id: A.officer.id, name: "Nguyễn Văn An", scope: "step" }, title: "Kế hoạch tuyên truyền" })
      const claimed = await s.call(A.head, "POST", `/v1/cases/${c.id}/assignment`, { assignee: "me", scope: "case" })
      expect(claimed.json()).toMatchObject({ rev: 3, assignee: { id: A.head.id, scope: "case" } })
      const released = await s.call(A.head, "POST", `/v1/cases/${c.id}/assignment`, { assignee: null })
      expect(released.json()).toMatchObject({ rev: 4, assignee: null })
      const actions = (await s.engine.history(c.id, A.head)).filter((h) => h.type === "case.assigned").map((h) => (h.payload as { action: string }).action)
      // Taking the case over from its assignee by claiming it is recorded as a claim.
      expect(actions).toEqual(["assign", "claim", "unclaim"])

      const before = await s.historyLength(c.id)
      // The officer cannot act on a draft (it waits for the agency head), so may not claim it.
      expect((await s.call(A.officer, "POST", `/v1/cases/${c.id}/assignment`, { assignee: "me" })).statusCode).toBe(403)
      const hidden = await s.call(A.otherOfficer, "POST", `/v1/cases/${c.id}/assignment`, { assignee: "me" })
      expect(hidden.statusCode).toBe(404)
      expect(hidden.json().code).toBe("CIVICASE_E_CASE_NOT_FOUND")
      const missing = await s.call(A.head, "POST", `/v1/cases/${c.id}/assignment`, { note: "x" })
      expect(missing.statusCode).toBe(400)
      expect(missing.json().errors.map((e: { path: string }) => e.path)).toContain("body/assignee")
      const badAction = await s.call(A.head, "POST", `/v1/cases/${c.id}/assignment`, { assignee: A.officer.id, action: "steal" })
      expect(badAction.json().errors.map((e: { path: string }) => e.path)).toContain("body/action")
      const stranger = await s.call(A.head, "POST", `/v1/cases/${c.id}/assignment`, { assignee: A.otherOfficer.id })
      expect(stranger.statusCode).toBe(400)
      expect(stranger.json().errors[0].path).toBe("/assignee")
      expect(await s.historyLength(c.id)).toBe(before)
    })

    it("moves a leaver's open cases in bulk (coordinator) and lists them for the new assignee", async () => {
      const cases = [await s.create(A.officer, "Việc 1 của Bình"), await s.create(A.officer, "Việc 2 của Bình")]
      for (const c of cases) expect((await s.call(A.head, "POST", `/v1/cases/${c.id}/assignment`, { assignee: A.colleague.id })).statusCode).toBe(200)
      const refused = await s.call(A.coordinator, "POST", `/v1/people/${A.colleague.id}/reassign`, { to: A.colleague.id })
      expect(refused.statusCode).toBe(400)
      const moved = await s.call(A.coordinator, "POST", `/v1/people/${A.colleague.id}/reassign`, { to: A.officer.id, note: "chuyển công tác" })
      expect(moved.statusCode).toBe(200)
      expect(moved.json()).toEqual({ moved: 2, skipped: 0, failed: [] })
      const mine = await s.call(A.officer, "GET", "/v1/cases?assignee=me&limit=500")
      const ids = mine.json().items.map((c: { id: string }) => c.id)
      for (const c of cases) expect(ids).toContain(c.id)
      expect((await s.call(A.coordinator, "GET", `/v1/cases?assignee=${A.colleague.id}`)).json().items).toEqual([])
      // "me" takes them over: the agency head moves them to themself.
      expect((await s.call(A.head, "POST", `/v1/people/${A.officer.id}/reassign`, { to: "me" })).json()).toMatchObject({ failed: [] })
      const heads = (await s.call(A.head, "GET", "/v1/cases?assignee=me&limit=500")).json().items.map((c: { id: string }) => c.id)
      for (const c of cases) expect(heads).toContain(c.id)
    })

    it("lists and searches the people directory; email only for those who may read it; records and deactivates", async () => {
      const found = await s.call(A.otherOfficer, "GET", `/v1/people?q=${encodeURIComponent("nguyen van")}`)
      expect(found.statusCode).toBe(200)
      expect(found.json().items.map((p: { id: string }) => p.id)).toEqual([A.officer.id])
      expect(found.json().items[0].email).toBeUndefined()
      expect((await s.call(A.head, "GET", `/v1/people/${A.officer.id}`)).json()).toMatchObject({ name: "Nguyễn Văn An", email: `${A.officer.id}@demo.gov.vn` })
      expect((await s.call(A.head, "GET", "/v1/people/nobody")).statusCode).toBe(404)
      expect((await s.call(A.head, "GET", "/v1/people?limit=0")).statusCode).toBe(400)
      const refused = await s.call(A.officer, "PUT", "/v1/people/u-new", { agency: "agency-a", name: "Người mới" })
      expect(refused.statusCode).toBe(403)
      expect((await s.call(A.head, "GET", "/v1/people/u-new")).statusCode).toBe(404)
      const put = await s.call(A.head, "PUT", "/v1/people/u-new", { agency: "agency-a", name: "Người mới", roles: ["agency_officer"] })
      expect(put.json()).toMatchObject({ id: "u-new", active: true })
      expect((await s.call(A.head, "POST", "/v1/people/u-new/deactivate")).json()).toMatchObject({ id: "u-new", active: false })
      expect((await s.call(A.head, "GET", "/v1/people?active=false")).json().items.map((p: { id: string }) => p.id)).toEqual(["u-new"])
    })

    it("comments with a mention, pages them, refuses the unseen case and an empty text", async () => {
      const c = await s.create(A.officer, "Góp ý dự thảo")
      const posted = await s.call(A.officer, "POST", `/v1/cases/${c.id}/comments`, { text: `@${A.head.id} nhờ anh xem lại` })
      expect(posted.statusCode).toBe(201)
      expect(posted.json()).toMatchObject({ rev: 2, mentions: [A.head.id], author: { id: A.officer.id, name: "Nguyễn Văn An" } })
      await s.call(A.head, "POST", `/v1/cases/${c.id}/comments`, { text: "Đã xem" })
      const first = await s.call(A.officer, "GET", `/v1/cases/${c.id}/comments?limit=1`)
      expect(first.json().items.map((x: { text: string }) => x.text)).toEqual([`@${A.head.id} nhờ anh xem lại`])
      const second = await s.call(A.officer, "GET", `/v1/cases/${c.id}/comments?limit=1&cursor=${encodeURIComponent(first.json().nextCursor)}`)
      expect(second.json()).toEqual({ items: [expect.objectContaining({ text: "Đã xem" })] })
      expect((await s.call(A.otherOfficer, "GET", `/v1/cases/${c.id}/comments`)).statusCode).toBe(404)
      expect((await s.call(A.otherOfficer, "POST", `/v1/cases/${c.id}/comments`, { text: "xin chào" })).statusCode).toBe(404)
      const empty = await s.call(A.officer, "POST", `/v1/cases/${c.id}/comments`, { text: "" })
      expect(empty.statusCode).toBe(400)
      expect(empty.json().errors[0].path).toBe("body/text")
      expect(await s.historyLength(c.id)).toBe(3)
    })

    it("uploads a document with a Vietnamese name and a decision; the download is the same bytes, with its headers", async () => {
      const c = await s.create(A.officer, "Quyết định xử phạt")
      const bytes = pdf("Quyết định số 125")
      const name = "Quyết định xử phạt số 125.pdf"
      const up = await s.upload(A.head, c.id, [
        { name: "note", value: "bản gốc" },
        { name: "decision", value: JSON.stringify(decision) },
        { name: "file", filename: name, type: "application/pdf", data: bytes },
      ])
      expect(up.statusCode).toBe(201)
      const doc = up.json()
      const sha256 = createHash("sha256").update(bytes).digest("hex")
      expect(doc).toMatchObject({ caseId: c.id, name, mediaType: "application/pdf", size: bytes.length, sha256, decision, createdBy: A.head.id, rev: 2 })
      expect(up.headers.location).toBe(`/v1/cases/${c.id}/documents/${doc.id}`)
      expect((await s.call(A.officer, "GET", `/v1/cases/${c.id}/documents`)).json()).toEqual({ items: [doc] })

      const down = await s.call(A.officer, "GET", `/v1/cases/${c.id}/documents/${doc.id}`)
      expect(down.statusCode).toBe(200)
      expect(Buffer.compare(down.rawPayload, Buffer.from(bytes))).toBe(0)
      expect(createHash("sha256").update(down.rawPayload).digest("hex")).toBe(sha256)
      expect(down.headers).toMatchObject({
        "content-type": "application/pdf",
        "content-length": String(bytes.length),
        etag: `"${sha256}"`,
        "x-content-type-options": "nosniff",
        "content-disposition": `attachment; filename="Quyet dinh xu phat so 125.pdf"; filename*=UTF-8''${encodeURIComponent(name)}`,
      })
      const again = await s.call(A.officer, "GET", `/v1/cases/${c.id}/documents/${doc.id}`, undefined, { "if-none-match": `"${sha256}"` })
      expect(again.statusCode).toBe(304)
      expect(again.rawPayload.length).toBe(0)
      expect((await s.engine.verify(c.id, A.coordinator)).ok).toBe(true)
      const form = (s.app.swagger() as any).paths["/v1/cases/{id}/documents"].post.requestBody.content["multipart/form-data"].schema
      expect(Object.keys(form.properties)).toEqual(["name", "note", "decision", "idempotencyKey", "file"])
    })

    it("answers 404 for a document of a case the actor may not see, as for one that does not exist", async () => {
      const c = await s.create(A.officer, "Tài liệu nội bộ")
      const name = 'Đề án "mới" 100%.txt'
      const doc = (await s.upload(A.officer, c.id, [{ name: "name", value: name }, { name: "file", filename: "ghi-chu.txt", type: "text/plain", data: new TextEncoder().encode("nội bộ") }])).json()
      expect(doc.name).toBe(name)
      const own = await s.call(A.officer, "GET", `/v1/cases/${c.id}/documents/${doc.id}`)
      expect(own.headers["content-disposition"]).toBe(`attachment; filename="De an _moi_ 100_.txt"; filename*=UTF-8''%C4%90%E1%BB%81%20%C3%A1n%20%22m%E1%BB%9Bi%22%20100%25.txt`)
      expect(own.rawPayload.toString("utf8")).toBe("nội bộ")
      const hidden = await s.call(A.otherOfficer, "GET", `/v1/cases/${c.id}/documents/${doc.id}`)
      const none = await s.call(A.otherOfficer, "GET", `/v1/cases/${c.id}/documents/00000000-0000-0000-0000-000000000000`)
      expect([hidden.statusCode, none.statusCode]).toEqual([404, 404])
      expect(hidden.json().code).toBe(none.json().code)
      expect((await s.call(A.officer, "GET", `/v1/cases/${c.id}/documents/00000000-0000-0000-0000-000000000000`)).json().code).toBe("CIVICASE_E_DOCUMENT_NOT_FOUND")
      expect((await s.call(A.otherOfficer, "GET", `/v1/cases/${c.id}/documents`)).statusCode).toBe(404)
    })

    it("refuses uploads that are too large, of a type off the allow-list, not multipart, malformed or by an observer, keeping nothing", async () => {
      const c = await s.create(A.officer, "Hồ sơ từ chối")
      const blobs = async () => Number((await sql<{ n: string }>`select count(*) as n from civicase_document_blobs`.execute(s.engine.db)).rows[0]!.n)
      const blobsBefore = await blobs()
      const file = (data: Uint8Array, type = "application/pdf") => ({ name: "file", filename: "a.pdf", type, data })
      const big = await s.upload(A.officer, c.id, [file(new Uint8Array(MAX_BYTES + 1))])
      expect(big.statusCode).toBe(413)
      expect(big.json().detail).toContain(String(MAX_BYTES))
      const html = await s.upload(A.officer, c.id, [file(new TextEncoder().encode("<script>"), "text/html")])
      expect(html.statusCode).toBe(415)
      expect(html.json().detail).toContain("application/pdf")
      const json = await s.call(A.officer, "POST", `/v1/cases/${c.id}/documents`, { name: "a.pdf" })
      expect(json.statusCode).toBe(415)
      const late = await s.upload(A.officer, c.id, [file(pdf("x")), { name: "note", value: "sau tệp" }])
      expect(late.statusCode).toBe(400)
      expect(late.json().errors[0].path).toBe("body/note")
      const unknown = await s.upload(A.officer, c.id, [{ name: "owner", value: "x" }, file(pdf("x"))])
      expect(unknown.json().errors[0].path).toBe("body/owner")
      const twoFiles = await s.upload(A.officer, c.id, [file(pdf("x")), file(pdf("y"))])
      expect(twoFiles.statusCode).toBe(400)
      expect(twoFiles.json().errors[0].path).toBe("body")
      const manyFields = await s.upload(A.officer, c.id, [...["name", "note", "decision", "idempotencyKey", "note"].map((n) => ({ name: n, value: "x" })), file(pdf("x"))])
      expect(manyFields.statusCode).toBe(400)
      const noFile = await s.upload(A.officer, c.id, [{ name: "note", value: "x" }])
      expect(noFile.json().errors[0].path).toBe("body/file")
      const badDecision = await s.upload(A.officer, c.id, [{ name: "decision", value: "{" }, file(pdf("x"))])
      expect(badDecision.json().errors[0].path).toBe("body/decision")
      const partial = await s.upload(A.officer, c.id, [{ name: "decision", value: JSON.stringify({ number: "1" }) }, file(pdf("x"))])
      expect(partial.statusCode).toBe(400)
      expect(partial.json().errors.map((e: { path: string }) => e.path)).toContain("/decision/notation")
      expect((await s.upload(A.observer, c.id, [file(pdf("x"))])).statusCode).toBe(403)
      expect((await s.upload(A.otherOfficer, c.id, [file(pdf("x"))])).statusCode).toBe(404)
      expect(await s.engine.documents(c.id, A.coordinator)).toEqual([])
      expect(await s.historyLength(c.id)).toBe(1)
      expect(await blobs()).toBe(blobsBefore)
    })
  })
}
