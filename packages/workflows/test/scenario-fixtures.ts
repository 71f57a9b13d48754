import { type Actor, type CommittedTransition, type Engine, type WorkflowDefinition, createEngine, silentLogger, testClock } from "@civicase/core"
import { pglite } from "@civicase/adapters"
import { type Province, loadProvince, provinceFiles } from "@civicase/workflows"

/** Both shipped provinces, loaded and checked as an embedder would. */
export const shippedProvinces: ReadonlyArray<Province> = [loadProvince(provinceFiles.vinhPhuc), loadProvince(provinceFiles.daNang)]

/** Monday 09:00 in Hà Nội, a working day in both calendars. */
export const monday = new Date("2025-03-03T02:00:00.000Z")

/** An agency whose staff may hold `role` ("*" picks an ordinary department). */
export function holderOf(province: Province, role: string, nth = 0): string {
  const listed = (province.roles[role] ?? []).filter((a) => a !== "*")
  if (listed.length) return listed[nth % listed.length]!
  const departments = province.agencies.filter((a) => a.kind === "department" && !a.retired)
  return departments[nth % departments.length]!.id
}

/** An actor of `province` holding `role`, in `agency` (default: an agency that may hold it). */
export function actorOf(province: Province, role: string, agency = holderOf(province, role), id = `${role}@${agency}`): Actor {
  return { id, province: province.id, agency, roles: [role] }
}

/** An ordinary department of the province other than `except`. */
export function departmentOf(province: Province, nth = 0, except: ReadonlyArray<string> = []): string {
  const ids = province.agencies.filter((a) => a.kind === "department" && !a.retired && !except.includes(a.id)).map((a) => a.id)
  return ids[nth % ids.length]!
}

/** A started engine on in-memory PGlite with a test clock, no background scheduler, and the emitted messages it committed. */
export async function scenarioEngine(workflows: ReadonlyArray<WorkflowDefinition>) {
  const clock = testClock(monday)
  const engine: Engine = createEngine({ store: pglite(), workflows, clock, scheduler: false, logger: silentLogger })
  const emitted: Array<{ type: string; [key: string]: unknown }> = []
  const transitions: CommittedTransition[] = []
  engine.subscribe((t) => {
    transitions.push(t)
    emitted.push(...t.emitted)
  })
  await engine.start()
  return { engine, clock, emitted, transitions }
}

/** Decision metadata of a signed decision (số, ký hiệu, loại văn bản, người ký). */
export const signedDecision = {
  number: "125",
  notation: "QĐ-UBND",
  documentType: "Quyết định",
  signer: { name: "Trần Văn Bình", position: "Phó Chủ tịch UBND tỉnh" },
  issuedOn: "2025-03-03",
} as const

/**
 * Attaches a small PDF to the case and returns its id: an official decision
 * when `decision` is given (default none: a plain file).
 */
export async function attachFile(engine: Engine, caseId: string, actor: Actor, name: string, decision?: typeof signedDecision): Promise<string> {
  const bytes = new TextEncoder().encode(`%PDF-1.4 ${name}`)
  const doc = await engine.attachDocument(caseId, { name, mediaType: "application/pdf", bytes, ...(decision ? { decision } : {}) }, actor)
  return doc.id
}

/** Attaches a signed decision (quyết định) to the case and returns its id. */
export const attachDecision = (engine: Engine, caseId: string, actor: Actor, name = "quyet-dinh.pdf") => attachFile(engine, caseId, actor, name, signedDecision)

/** The rev and history length of a case, to show that a refused event wrote nothing. */
export async function footprint(engine: Engine, caseId: string, actor: Actor) {
  const [c, history] = await Promise.all([engine.getCase(caseId, actor), engine.history(caseId, actor)])
  return { rev: c.rev, history: history.length }
}
