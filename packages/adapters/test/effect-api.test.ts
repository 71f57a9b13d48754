import { Effect, Exit } from "effect"
import { describe, expect, it } from "vitest"
import { type Engine, type StorageDriver, testClock } from "@civicase/core"
import { CaseEngine } from "@civicase/core/effect"
import { demoActors, demoWorkflow } from "@civicase/core/testing"
import { pglite } from "@civicase/adapters"

const { officer, head, otherHead, coordinator } = demoActors
const layer = () => CaseEngine.layer({ store: pglite(), workflows: [demoWorkflow], clock: testClock(), scheduler: false })

describe("the Effect API (CaseEngine)", () => {
  it("runs a case through the service, recovering typed errors with catchTag", async () => {
    const program = Effect.gen(function* () {
      const cases = yield* CaseEngine
      const created = yield* cases.createCase("demo", { title: "Kế hoạch TTĐN 2025" }, officer)
      // Another agency's head may not submit: the error is a ForbiddenError in the typed channel.
      const refused = yield* cases.send(created.id, { type: "SUBMIT" }, otherHead).pipe(
        Effect.map(() => "sent"),
        Effect.catchTag("CaseNotFoundError", (e) => Effect.succeed(`hidden: ${e.caseId === created.id}`)),
        Effect.catchTag("ForbiddenError", (e) => Effect.succeed(`forbidden: ${e.reason}`)),
      )
      const invalid = yield* cases.send(created.id, { type: "NOTE", payload: { text: 42 } }, officer).pipe(
        Effect.map(() => []),
        Effect.catchTag("ValidationError", (e) => Effect.succeed(e.issues)),
      )
      const submitted = yield* cases.send(created.id, { type: "SUBMIT" }, head)
      const stale = yield* cases.send(created.id, { type: "APPROVE" }, coordinator, { expectedRev: 1 }).pipe(
        Effect.map(() => undefined),
        Effect.catchTag("RevisionConflictError", (e) => Effect.succeed({ expected: e.expectedRev, actual: e.actualRev })),
      )
      const history = yield* cases.history(created.id, coordinator)
      return { refused, invalid, submitted, stale, history }
    })

    const result = await Effect.runPromise(program.pipe(Effect.provide(layer())))
    // agency-b is not a party, so it cannot even see the case.
    expect(result.refused).toBe("hidden: true")
    expect(result.invalid).toEqual([{ path: "/text", message: "must be string" }])
    expect(result.submitted).toMatchObject({ state: "review", rev: 2 })
    expect(result.stale).toEqual({ expected: 1, actual: 2 })
    expect(result.history.map((h) => h.type)).toEqual(["case.created", "SUBMIT"])
  })

  it("assigns, comments, attaches and counts work through the service, with the new errors tagged", async () => {
    const program = Effect.gen(function* () {
      const cases = yield* CaseEngine
      yield* cases.people.upsert({ id: officer.id, agency: officer.agency, name: "Nguyễn Văn An" }, head)
      const created = yield* cases.createCase("demo", { title: "Sạt lở" }, officer)
      const assigned = yield* cases.assign(created.id, { assignee: officer.id }, head)
      const comment = yield* cases.comment(created.id, { text: `@${officer.id} xem giúp` }, head)
      const doc = yield* cases.attachDocument(created.id, { name: "a.pdf", mediaType: "application/pdf", bytes: new Uint8Array([1, 2, 3]) }, officer)
      const refusedType = yield* cases.attachDocument(created.id, { name: "a.exe", mediaType: "application/x-msdownload", bytes: new Uint8Array(1) }, officer).pipe(
        Effect.map(() => "attached"),
        Effect.catchTag("UnsupportedMediaTypeError", (e) => Effect.succeed(e.mediaType)),
      )
      const nobody = yield* cases.people.get("nobody", head).pipe(
        Effect.map(() => "found"),
        Effect.catchTag("PersonNotFoundError", (e) => Effect.succeed(`no ${e.personId}`)),
      )
      const badges = yield* cases.worklistSummary(head)
      const verified = yield* cases.verify(created.id, head)
      return { assigned, comment, doc, refusedType, nobody, badges, verified }
    })
    const r = await Effect.runPromise(program.pipe(Effect.provide(layer())))
    expect(r.assigned.assignee).toEqual({ id: "officer-1", name: "Nguyễn Văn An", scope: "step" })
    expect(r.comment).toMatchObject({ rev: 3, mentions: ["officer-1"] })
    expect(r.doc).toMatchObject({ rev: 4, size: 3 })
    expect(r.refusedType).toBe("application/x-msdownload")
    expect(r.nobody).toBe("no nobody")
    // The head can submit the draft, but it is assigned to the officer: not on the head's list.
    expect(r.badges).toEqual({ actionable: 0, assigned: 0, agency: 1, overdue: 0 })
    expect(r.verified).toMatchObject({ ok: true, checked: 4, documents: { checked: 1, problems: [] } })
  })

  it("refuses a forbidden event with ForbiddenError naming the rule", async () => {
    const program = Effect.gen(function* () {
      const cases = yield* CaseEngine
      const created = yield* cases.createCase("demo", { title: "t" }, officer)
      // The officer sees the case (own agency) but only agency_head may submit.
      return yield* cases.send(created.id, { type: "SUBMIT" }, officer)
    })
    const outcome = await Effect.runPromise(
      program.pipe(
        Effect.map(() => "sent"),
        Effect.catchTag("ForbiddenError", (e) => Effect.succeed(`${e.code}: ${e.reason}`)),
        Effect.provide(layer()),
      ),
    )
    expect(outcome).toBe("CIVICASE_E_FORBIDDEN: requires one of the roles agency_head")
  })

  it("closes the engine when the layer's scope ends", async () => {
    let engine: Engine | undefined
    await Effect.runPromise(
      Effect.gen(function* () {
        engine = (yield* CaseEngine).engine
        yield* (yield* CaseEngine).createCase("demo", { title: "t" }, officer)
      }).pipe(Effect.provide(layer())),
    )
    await expect(engine!.listCases({}, coordinator)).rejects.toMatchObject({ code: "CIVICASE_E_ENGINE_CLOSED", _tag: "EngineClosedError" })
  })

  it("fails the layer with InvalidConfigError when the options are wrong", async () => {
    const exit = await Effect.runPromiseExit(
      Effect.gen(function* () {
        yield* CaseEngine
      }).pipe(Effect.provide(CaseEngine.layer({ store: {} as StorageDriver, workflows: [demoWorkflow] }))),
    )
    expect(Exit.isFailure(exit)).toBe(true)
    const recovered = await Effect.runPromise(
      Effect.gen(function* () {
        yield* CaseEngine
        return "started"
      }).pipe(
        Effect.provide(CaseEngine.layer({ store: {} as StorageDriver, workflows: [demoWorkflow] })),
        Effect.catchTag("InvalidConfigError", (e) => Effect.succeed(e.issues.map((i) => i.path))),
      ),
    )
    expect(recovered).toEqual(["/store"])
  })
})
