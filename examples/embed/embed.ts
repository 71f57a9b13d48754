/**
 * Embedding civicase in an existing portal: no server, the embedded database
 * (PGlite), a workflow, three actors. Run it with
 * `npx tsx --conditions=source examples/embed/embed.ts`. The package READMEs
 * show the same lines, and `embed.test.ts` runs them and checks the READMEs
 * still match.
 */
import { pathToFileURL } from "node:url"
import { createEngine } from "@civicase/core"
import { demoActors, demoWorkflow } from "@civicase/core/demo"
import { pglite } from "@civicase/adapters"

/**
 * The README example; returns what it observed so a test can check it.
 *
 * @example
 * const { state } = await main() // "approved"
 */
export async function main(): Promise<{ state: string; rev: number; history: string[] }> {
  const { officer, head, coordinator } = demoActors
  const engine = createEngine({ store: pglite(), workflows: [demoWorkflow] })
  const plan = await engine.createCase("demo", { title: "Kế hoạch TTĐN 2025" }, officer)
  await engine.send(plan.id, { type: "SUBMIT" }, head)
  const approved = await engine.send(plan.id, { type: "APPROVE", payload: { comment: "Đồng ý" } }, coordinator)
  console.log(approved.state, approved.rev) // approved 3
  const history = (await engine.history(plan.id, coordinator)).map((h) => `${h.rev} ${h.type} ${h.from ?? "∅"} → ${h.to}`)
  await engine.close()
  return { state: approved.state, rev: approved.rev, history }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
