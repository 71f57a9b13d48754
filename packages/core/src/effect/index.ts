/**
 * @civicase/core/effect: the engine as an Effect service, for applications
 * built on Effect. Install `effect` beside `@civicase/core` to use it; an
 * application that does not import this entry does not need Effect at all.
 *
 * @example
 * import { Effect } from "effect"
 * import { CaseEngine } from "@civicase/core/effect"
 *
 * const program = Effect.gen(function* () {
 *   const cases = yield* CaseEngine
 *   return yield* cases.getCase(caseId, officer)
 * }).pipe(Effect.catchTag("ForbiddenError", (e) => Effect.succeed(e.reason)))
 *
 * @packageDocumentation
 */
export { CaseEngine, type CaseEngineService, toEffectService } from "../engine/effect.js"
