import { pglite } from "@civicase/adapters"
import { type Actor, type Engine, type Plugin, type WorkflowDefinition, createEngine, silentLogger, testClock } from "@civicase/core"
import { loadProvince, provinceFiles } from "@civicase/workflows"
import { expect } from "vitest"

/** Vĩnh Phúc, loaded once for the tests. */
export const vinhPhuc = loadProvince(provinceFiles.vinhPhuc)

/** An actor of Vĩnh Phúc. */
export function person(id: string, agency: string, ...roles: string[]): Actor {
  return { id, province: "vinh-phuc", agency, roles }
}

/** People of Vĩnh Phúc the scenarios use. */
export const people = {
  coordinator: person("tttt-1", "so-tttt", "coordinator"),
  coordinatorHead: person("tttt-gd", "so-tttt", "coordinator_head"),
  leader: person("pct-1", "ubnd-tinh", "province_leader"),
  vhOfficer: person("vh-1", "so-vhttdl", "agency_officer"),
  vhHead: person("vh-gd", "so-vhttdl", "agency_head"),
  nvHead: person("nv-gd", "so-ngoai-vu", "agency_head"),
  nvOfficer: person("nv-1", "so-ngoai-vu", "agency_officer"),
  gdHead: person("gd-gd", "so-gddt", "agency_head"),
  khHead: person("kh-gd", "so-khdt", "agency_head"),
  vyHead: person("vy-ct", "tp-vinh-yen", "agency_head"),
}

/** An engine on in-memory PGlite with a test clock and no background scheduler. */
export function testEngine(workflows: WorkflowDefinition[], options: { start?: Date; plugins?: Plugin[] } = {}): Engine {
  return createEngine({
    store: pglite(),
    workflows,
    plugins: options.plugins ?? [],
    clock: testClock(options.start ?? new Date("2025-01-06T02:00:00.000Z")),
    scheduler: false,
    logger: silentLogger,
  })
}

/** The outbox topics of a case, in order. */
export async function outboxTopics(engine: Engine, caseId: string): Promise<string[]> {
  const rows = await engine.db.selectFrom("civicase_outbox").select(["topic", "rev"]).where("case_id", "=", caseId).orderBy("rev").orderBy("id").execute()
  return rows.map((r) => r.topic)
}

/** What `loadProvince` refuses in `config`, by path; empty when it accepts it. */
export function provinceIssues(config: unknown): Array<{ path: string; message: string }> {
  try {
    loadProvince(config as object)
  } catch (e: any) {
    expect(e.code).toBe("CIVICASE_E_INVALID_CONFIG")
    return e.issues
  }
  return []
}
