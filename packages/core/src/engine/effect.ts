import { Context, Effect, Layer } from "effect"
import type { Actor } from "../actor.js"
import { type CivicaseError, InternalError, isCivicaseError } from "../errors/errors.js"
import { createEngine } from "./create-engine.js"
import type { Engine, EngineOptions } from "./engine.js"
import type { CaseFilter, CasePage, CaseView, CreateOptions, HistoryEntry, SendOptions, SendResult } from "./types.js"
import type { ActivityOptions } from "../activity/record-activity.js"
import type { AssignInput } from "../assignment/assign.js"
import type { ReassignAllInput, ReassignAllOptions, ReassignAllResult } from "../assignment/reassign-all.js"
import type { CommentEntry, CommentInput, CommentPage, CommentsOptions } from "../comments/comment.js"
import type { AttachDocumentInput } from "../documents/attach-document.js"
import type { DocumentInfo } from "../documents/document-info.js"
import type { DocumentContent } from "../documents/read-documents.js"
import type { CaseVerification } from "../history/verify.js"
import type { PeopleFilter, Person, PersonInput, PersonPage } from "../people/person.js"
import type { WorklistSummary } from "../worklist/summary.js"

type Fx<A> = Effect.Effect<A, CivicaseError>

/** The engine's operations as Effects whose error channel is typed: recover with `Effect.catchTag("ForbiddenError", …)`. */
export interface CaseEngineService {
  readonly createCase: (workflow: string, input: unknown, actor: Actor, options?: CreateOptions) => Fx<SendResult>
  readonly send: (caseId: string, event: { type: string; payload?: unknown }, actor: Actor, options?: SendOptions) => Fx<SendResult>
  readonly getCase: (caseId: string, actor: Actor) => Fx<CaseView>
  readonly listCases: (filter: CaseFilter, actor: Actor) => Fx<CasePage>
  readonly history: (caseId: string, actor: Actor) => Fx<HistoryEntry[]>
  readonly verify: (caseId: string, actor: Actor) => Fx<CaseVerification>
  /** `engine.assign`: assign, claim, release, delegate, reassign. */
  readonly assign: (caseId: string, input: AssignInput, actor: Actor, options?: ActivityOptions) => Fx<SendResult>
  readonly reassignAll: (input: ReassignAllInput, actor: Actor, options?: ReassignAllOptions) => Fx<ReassignAllResult>
  readonly comment: (caseId: string, input: CommentInput, actor: Actor, options?: ActivityOptions) => Fx<CommentEntry>
  readonly comments: (caseId: string, actor: Actor, options?: CommentsOptions) => Fx<CommentPage>
  readonly attachDocument: (caseId: string, input: AttachDocumentInput, actor: Actor, options?: ActivityOptions) => Fx<DocumentInfo>
  readonly documents: (caseId: string, actor: Actor) => Fx<DocumentInfo[]>
  readonly readDocument: (caseId: string, documentId: string, actor: Actor) => Fx<DocumentContent>
  readonly people: {
    readonly upsert: (person: PersonInput, actor: Actor) => Fx<Person>
    readonly get: (id: string, actor: Actor) => Fx<Person>
    readonly list: (filter: PeopleFilter, actor: Actor) => Fx<PersonPage>
    readonly deactivate: (id: string, actor: Actor) => Fx<Person>
  }
  readonly worklistSummary: (actor: Actor) => Fx<WorklistSummary>
  /** The Promise engine underneath, for what has no Effect form. */
  readonly engine: Engine
}

/**
 * A Promise engine method as an Effect. Civicase errors keep their tag; the
 * engine already wraps database failures in `StorageError`, so anything else
 * is a bug and becomes `InternalError` (not an outage to retry).
 */
const lift =
  <A extends unknown[], R>(f: (...args: A) => Promise<R>) =>
  (...args: A): Effect.Effect<R, CivicaseError> =>
    Effect.tryPromise({
      try: () => f(...args),
      catch: (e) => (isCivicaseError(e) ? (e as unknown as CivicaseError) : new InternalError(e)),
    })

/**
 * Wraps a Promise engine as the Effect service. Methods are looked up when
 * called, not when wrapped, so a partial engine (a test double) wraps too.
 *
 * @example
 * const cases = toEffectService(engine)
 * await Effect.runPromise(cases.assign(caseId, { assignee: "u-17" }, head))
 */
export function toEffectService(engine: Engine): CaseEngineService {
  const late =
    <A extends unknown[], R>(method: () => (...args: A) => Promise<R>) =>
    (...args: A): Fx<R> =>
      lift(method())(...args)
  return {
    createCase: late(() => engine.createCase),
    send: late(() => engine.send),
    getCase: late(() => engine.getCase),
    listCases: late(() => engine.listCases),
    history: late(() => engine.history),
    verify: late(() => engine.verify),
    assign: late(() => engine.assign),
    reassignAll: late(() => engine.reassignAll),
    comment: late(() => engine.comment),
    comments: late(() => engine.comments),
    attachDocument: late(() => engine.attachDocument),
    documents: late(() => engine.documents),
    readDocument: late(() => engine.readDocument),
    people: {
      upsert: late(() => engine.people.upsert),
      get: late(() => engine.people.get),
      list: late(() => engine.people.list),
      deactivate: late(() => engine.people.deactivate),
    },
    worklistSummary: late(() => engine.worklist.summary),
    engine,
  }
}

/**
 * The engine as an Effect service.
 *
 * @example
 * const program = Effect.gen(function* () {
 *   const cases = yield* CaseEngine
 *   return yield* cases.createCase("leave", { days: 2 }, officer)
 * }).pipe(Effect.catchTag("ForbiddenError", () => Effect.succeed(undefined)))
 * Effect.runPromise(program.pipe(Effect.provide(CaseEngine.layer({ store: pglite(), workflows: [leave] }))))
 */
export class CaseEngine extends Context.Service<CaseEngine, CaseEngineService>()("@civicase/core/CaseEngine") {
  /** Starts an engine for the layer's scope and closes it when the scope ends. */
  static layer(options: EngineOptions): Layer.Layer<CaseEngine, CivicaseError> {
    return Layer.effect(
      CaseEngine,
      Effect.acquireRelease(
        lift(async () => {
          const engine = createEngine(options)
          await engine.start()
          return toEffectService(engine)
        })(),
        (service) => Effect.promise(() => service.engine.close()),
      ),
    )
  }
}
