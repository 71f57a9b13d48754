/**
 * The ten lines of docs/embedding.md: a portal runs the province's real
 * workflows on its own database. The portal's session gives the user; here a
 * fixed one stands in. Run it with
 * `npx tsx --conditions=source examples/embed/portal.ts`; `portal.test.ts` runs it.
 */
import { pathToFileURL } from "node:url"
import type { CaseView } from "@civicase/core"
import { createEngine } from "@civicase/core"
import { loadProvince, provinceEngineOptions, provinceFiles } from "@civicase/workflows"
import { pglite, postgres } from "@civicase/adapters"

/** Who is signed in to the portal (its own user model). */
interface PortalUser {
  readonly id: string
  readonly agencyId: string
  readonly roles: string[]
}

/**
 * Starts a yearly plan for the user's agency and submits it, as a portal page would.
 *
 * @example
 * const { created, submitted } = await main({ id: "u-1", agencyId: "so-ngoai-vu", roles: ["agency_head"] })
 */
export async function main(user: PortalUser): Promise<{ created: CaseView; submitted: CaseView }> {
  const province = loadProvince(provinceFiles.vinhPhuc) // or your own province file
  // The portal's database when it has one, else the embedded one (add `dataDir` to keep the data).
  const store = process.env.DATABASE_URL ? postgres({ connectionString: process.env.DATABASE_URL }) : pglite()
  // The province's workflows, and who may act in it: its agencies and which of them may hold each role.
  const engine = createEngine({ store, ...provinceEngineOptions(province) })
  try {
    const actor = { id: user.id, province: province.id, agency: user.agencyId, roles: user.roles } // from the portal's session
    const plan = await engine.createCase("plan", { title: "Kế hoạch TTĐN 2025", year: 2025 }, actor)
    const submitted = await engine.send(plan.id, { type: "SUBMIT", payload: { note: "Trình duyệt" } }, actor, { expectedRev: plan.rev })
    return { created: plan, submitted }
  } finally {
    await engine.close()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { submitted } = await main({ id: "u-1", agencyId: "so-ngoai-vu", roles: ["agency_officer", "agency_head"] })
  console.log(submitted.state, submitted.rev)
}
