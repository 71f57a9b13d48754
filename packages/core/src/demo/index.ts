/**
 * @civicase/core/demo: a small workflow and its actors for examples and first
 * steps. Unlike `@civicase/core/testing`, it needs no test runner.
 *
 * @example
 * import { createEngine } from "@civicase/core"
 * import { demoActors, demoWorkflow } from "@civicase/core/demo"
 *
 * const engine = createEngine({ store, workflows: [demoWorkflow] })
 * const memo = await engine.createCase("demo", { title: "Kế hoạch TTĐN 2025" }, demoActors.officer)
 *
 * @packageDocumentation
 */
export { demoActors, demoWorkflow, memoWorkflow } from "../testing/demo-workflow.js"
