import { Context, Effect, Layer } from "effect"
import type { Actor } from "../actor.js"
import { type CivicaseError, InternalError, isCivicaseError } from "../errors/errors.js"
import { createEngine } from "./create-engine.js"
import type { Engine, EngineOptions } from "./engine.js"
import type { CaseFilter, CasePage, CaseView, CreateOptions, HistoryEntry, SendOptions, SendResult } from "./types.js"

/** The engine's operations as Effects whose error channel is typed: recover with `Effect.catchTag("ForbiddenError", …)`. */
export interface CaseEngineService {
  readonly createCase: (workflow: string, input: unknown, actor: Actor, options?: CreateOptions) => Effect.Effect<SendResult, CivicaseError>
  readonly send: (caseId: string, event: { type: string; payload?: unknown }, actor: Actor, options?: SendOptions) => Effect.Effect<SendResult, CivicaseError>
  readonly getCase: (caseId: string, actor: Actor) => Effect.Effect<CaseView, CivicaseError>
  readonly listCases: (filter: CaseFilter, actor: Actor) => Effect.Effect<CasePage, CivicaseError>
  readonly history: (caseId: string, actor: Actor) => Effect.Effect<HistoryEntry[], CivicaseError>
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

/** Wraps a Promise engine as the Effect service. */
export function toEffectService(engine: Engine): CaseEngineService {
  return {
    createCase: lift(engine.createCase),
    send: lift(engine.send),
    getCase: lift(engine.getCase),
    listCases: lift(engine.listCases),
    history: lift(engine.history),
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
