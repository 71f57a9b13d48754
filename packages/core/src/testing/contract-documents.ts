import { createHash } from "node:crypto"
import { sql } from "kysely"
import { describe, expect, it } from "vitest"
import { assign, setup as machineSetup } from "xstate"
import type { Engine } from "../engine/engine.js"
import type { Decision } from "../documents/decision.js"
import { definePlugin, refuse } from "../plugins/plugin.js"
import { defineWorkflow } from "../workflow/define-workflow.js"
import type { CaseEvent, CaseInput } from "../workflow/types.js"
import { chunksOf, readAll } from "./byte-streams.js"
import type { ContractSetup } from "./contract-suite.js"
import { demoActors as A, demoWorkflow } from "./demo-workflow.js"
import { expectCode } from "./expect-code.js"

/** `size` bytes that are not all alike (a linear congruential sequence), so a swapped chunk shows. */
function someBytes(size: number, seed = 7): Uint8Array {
  const out = new Uint8Array(size)
  let x = seed
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0
    out[i] = x >>> 24
  }
  return out
}

/** `bytes` as a stream of `parts` chunks, counting how many the reader pulled. */
const streamOf = (bytes: Uint8Array, parts: number, pulled = { n: 0 }) => chunksOf(bytes, Math.ceil(bytes.byteLength / parts), pulled)

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex")
const blobCount = async (engine: Engine) => (await sql<{ n: number }>`select count(*)::int as n from civicase_document_blobs`.execute(engine.db)).rows[0]!.n

/** An official decision (văn bản quyết định) for the tests. */
export const sampleDecision: Decision = {
  number: "125",
  notation: "QĐ-UBND",
  documentType: "Quyết định",
  signer: { name: "Trần Văn Bình", position: "Phó Chủ tịch UBND tỉnh" },
  issuedOn: "2025-03-10",
}

const decisionMachine = machineSetup({
  types: {} as { context: { owner: string; decided: string | null }; events: CaseEvent; input: CaseInput },
}).createMachine({
  id: "decision",
  initial: "open",
  context: ({ input }) => ({ owner: input.actor.agency, decided: null }),
  states: { open: { on: { DECIDE: { target: "decided", actions: assign({ decided: ({ event }) => event.payload.decisionDocument }) } } }, decided: { type: "final" } },
})

/** A workflow whose one event must name a decision document of its case (how 10D's sanction and award decisions work). */
const decisionWorkflow = defineWorkflow({
  id: "decision",
  version: 1,
  machine: decisionMachine,
  events: {
    DECIDE: {
      type: "object",
      required: ["decisionDocument"],
      properties: { decisionDocument: { type: "string" }, annexes: { type: "array", items: { type: "string" } } },
      additionalProperties: false,
    },
  },
  permissions: { DECIDE: { roles: ["agency_head"], agency: "owner" } },
  documents: { DECIDE: { "/decisionDocument": { decision: true }, "/annexes": {} } },
  parties: (c: { owner: string }) => ({ owner: c.owner }),
  labels: { title: { vi: "Quyết định", en: "Decision" } },
})

/** Documents (tài liệu): the store, the digest in the hash chain, limits, verify, and references from events. */
export function documentsContract(setup: ContractSetup): void {
  describe("documents", () => {
    it("streams documents into the store and reads them back, with their digest in the hash chain", async () => {
      const { engine } = await setup()
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      const bytes = someBytes(600 * 1024)
      const doc = await engine.attachDocument(c.id, { name: "Báo cáo sạt lở.pdf", mediaType: "Application/PDF", bytes: streamOf(bytes, 3), note: "bản gốc" }, A.officer)
      expect(doc).toMatchObject({ caseId: c.id, name: "Báo cáo sạt lở.pdf", mediaType: "application/pdf", size: bytes.byteLength, sha256: sha256(bytes), decision: null, createdBy: "officer-1", rev: 2 })
      const row = (await engine.history(c.id, A.head)).at(-1)!
      expect(row).toMatchObject({
        rev: 2,
        type: "case.document_attached",
        from: "draft",
        to: "draft",
        payload: { document: { id: doc.id, name: doc.name, mediaType: "application/pdf", size: bytes.byteLength, sha256: sha256(bytes) }, note: "bản gốc" },
      })
      const read = await engine.readDocument(c.id, doc.id, A.head)
      expect(read.document).toEqual(doc)
      expect((await readAll(read.bytes)).equals(Buffer.from(bytes))).toBe(true)

      const empty = await engine.attachDocument(c.id, { name: "trống.txt", mediaType: "text/plain", bytes: new Uint8Array(0) }, A.head)
      expect(empty).toMatchObject({ size: 0, sha256: sha256(new Uint8Array(0)) })
      expect((await readAll((await engine.readDocument(c.id, empty.id, A.head)).bytes)).byteLength).toBe(0)
      const decision = await engine.attachDocument(c.id, { name: "qd-125.pdf", mediaType: "application/pdf", bytes: someBytes(100), decision: sampleDecision }, A.head)
      expect(decision.decision).toEqual(sampleDecision)
      expect((await engine.documents(c.id, A.coordinator)).map((d) => d.id)).toEqual([doc.id, empty.id, decision.id])

      const other = await engine.createCase("demo", { title: "other" }, A.officer)
      await expectCode(engine.readDocument(other.id, doc.id, A.head), "CIVICASE_E_DOCUMENT_NOT_FOUND")
      await expectCode(engine.readDocument(c.id, "00000000-0000-4000-8000-000000000000", A.head), "CIVICASE_E_DOCUMENT_NOT_FOUND")
      await expectCode(engine.readDocument(c.id, doc.id, A.otherOfficer), "CIVICASE_E_CASE_NOT_FOUND")
      await expectCode(engine.documents(c.id, A.otherOfficer), "CIVICASE_E_CASE_NOT_FOUND")
      const verified = await engine.verify(c.id, A.head)
      expect(verified).toMatchObject({ ok: true, checked: 4, documents: { checked: 3, problems: [] } })
      // A repeated key stores nothing new and returns the first document.
      const keyed = await engine.attachDocument(other.id, { name: "a.txt", mediaType: "text/plain", bytes: someBytes(10) }, A.head, { idempotencyKey: "d-1" })
      const blobs = await blobCount(engine)
      expect(await engine.attachDocument(other.id, { name: "a.txt", mediaType: "text/plain", bytes: someBytes(10) }, A.head, { idempotencyKey: "d-1" })).toEqual(keyed)
      expect(await blobCount(engine)).toBe(blobs)
    })

    it("refuses what is too large, not allowed, badly named or not the actor's to attach, keeping nothing", async () => {
      let refuseAttach = false
      const gate = definePlugin({
        name: "no-attach",
        hooks: {
          beforeEvent({ event }) {
            if (refuseAttach && event.type === "case.document_attached") throw refuse("no documents today")
          },
        },
      })
      const { engine } = await setup({ documents: { maxBytes: 1000 }, plugins: [gate] })
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      const pulled = { n: 0 }
      const big = await expectCode(engine.attachDocument(c.id, { name: "big.pdf", mediaType: "application/pdf", bytes: streamOf(someBytes(3000), 5, pulled) }, A.officer), "CIVICASE_E_PAYLOAD_TOO_LARGE")
      expect(big.limit).toBe(1000)
      expect(pulled.n).toBe(2) // 600, then 1200 > 1000: the rest is never read
      const type = await expectCode(engine.attachDocument(c.id, { name: "x.exe", mediaType: "application/x-msdownload", bytes: someBytes(10) }, A.officer), "CIVICASE_E_UNSUPPORTED_MEDIA_TYPE")
      expect(type.allowed).toContain("application/pdf")
      const paths = async (input: Record<string, unknown>) =>
        (await expectCode(engine.attachDocument(c.id, { name: "a.pdf", mediaType: "application/pdf", bytes: someBytes(10), ...input } as never, A.officer), "CIVICASE_E_VALIDATION")).issues.map(
          (i: { path: string }) => i.path,
        )
      expect(await paths({ name: "../../etc/passwd" })).toEqual(["/name"])
      expect(await paths({ name: "a\\b.pdf" })).toEqual(["/name"])
      expect(await paths({ name: "" })).toEqual(["/name"])
      expect(await paths({ mediaType: "pdf please" })).toEqual(["/mediaType"])
      expect(await paths({ bytes: "not bytes" })).toEqual(["/bytes"])
      expect((await paths({ decision: { ...sampleDecision, notation: undefined, issuedOn: "2025-13-01" } })).sort()).toEqual(["/decision/issuedOn", "/decision/notation"])
      await expectCode(engine.attachDocument(c.id, { name: "a.pdf", mediaType: "application/pdf", bytes: someBytes(10) }, A.observer), "CIVICASE_E_FORBIDDEN")
      refuseAttach = true
      await expectCode(engine.attachDocument(c.id, { name: "a.pdf", mediaType: "application/pdf", bytes: someBytes(10) }, A.officer), "CIVICASE_E_REFUSED_BY_PLUGIN")
      refuseAttach = false
      await engine.send(c.id, { type: "SUBMIT" }, A.head)
      await engine.send(c.id, { type: "APPROVE" }, A.coordinator)
      await engine.send(c.id, { type: "CLOSE", payload: { result: "r", reason: "x" } }, A.head)
      await expectCode(engine.attachDocument(c.id, { name: "a.pdf", mediaType: "application/pdf", bytes: someBytes(10) }, A.head), "CIVICASE_E_CASE_CLOSED")
      expect(await blobCount(engine)).toBe(0)
      expect((await engine.history(c.id, A.head)).map((r) => r.type)).toEqual(["case.created", "SUBMIT", "APPROVE", "CLOSE"])
    })

    it("re-hashes documents in verify and names a swapped file, an altered record or missing bytes", async () => {
      const { engine } = await setup()
      const c = await engine.createCase("demo", { title: "t" }, A.officer)
      const one = await engine.attachDocument(c.id, { name: "1.pdf", mediaType: "application/pdf", bytes: someBytes(1000, 1) }, A.officer)
      const two = await engine.attachDocument(c.id, { name: "2.pdf", mediaType: "application/pdf", bytes: someBytes(1000, 2) }, A.officer)
      await sql`update civicase_document_blobs set bytes = ${Buffer.from(someBytes(1000, 3))} where key = (select store_key from civicase_documents where id = ${one.id})`.execute(engine.db)
      await sql`update civicase_documents set sha256 = ${"0".repeat(64)} where id = ${two.id}`.execute(engine.db)
      const r = await engine.verify(c.id, A.head)
      expect(r.ok).toBe(false)
      expect(r.firstBadRev).toBeUndefined() // the chain itself is intact
      expect(r.documents!.problems).toEqual([
        { documentId: one.id, rev: 2, problem: "bytes-differ" },
        { documentId: two.id, rev: 3, problem: "record-differs" },
      ])
      await sql`delete from civicase_document_blobs where key = (select store_key from civicase_documents where id = ${one.id})`.execute(engine.db)
      expect((await engine.verify(c.id, A.head)).documents!.problems[0]).toEqual({ documentId: one.id, rev: 2, problem: "bytes-missing" })
      await expectCode(engine.readDocument(c.id, one.id, A.head), "CIVICASE_E_STORAGE")
    })

    it("lets events name only documents of their own case, with decision metadata where the workflow requires it", async () => {
      const { engine } = await setup({ workflows: [demoWorkflow, decisionWorkflow] })
      const c = await engine.createCase("decision", {}, A.head)
      const other = await engine.createCase("decision", {}, A.head)
      const plain = await engine.attachDocument(c.id, { name: "to-trinh.pdf", mediaType: "application/pdf", bytes: someBytes(50) }, A.head)
      const elsewhere = await engine.attachDocument(other.id, { name: "qd.pdf", mediaType: "application/pdf", bytes: someBytes(50), decision: sampleDecision }, A.head)
      const issues = async (payload: unknown) => (await expectCode(engine.send(c.id, { type: "DECIDE", payload }, A.head), "CIVICASE_E_VALIDATION")).issues
      expect(await issues({ decisionDocument: "00000000-0000-4000-8000-000000000000" })).toEqual([{ path: "/decisionDocument", message: "must be the id of a document attached to this case" }])
      expect(await issues({ decisionDocument: "not-an-id" })).toEqual([{ path: "/decisionDocument", message: "must be the id of a document attached to this case" }])
      expect(await issues({ decisionDocument: elsewhere.id })).toEqual([{ path: "/decisionDocument", message: "must be the id of a document attached to this case" }])
      expect((await issues({ decisionDocument: plain.id }))[0].message).toContain("decision metadata")
      const decided = await engine.attachDocument(c.id, { name: "qd-125.pdf", mediaType: "application/pdf", bytes: someBytes(50), decision: sampleDecision }, A.head)
      expect(await issues({ decisionDocument: decided.id, annexes: [plain.id, elsewhere.id] })).toEqual([{ path: "/annexes/1", message: "must be the id of a document attached to this case" }])
      const done = await engine.send(c.id, { type: "DECIDE", payload: { decisionDocument: decided.id, annexes: [plain.id] } }, A.head)
      expect(done).toMatchObject({ state: "decided", context: { decided: decided.id } })
    })
  })
}
