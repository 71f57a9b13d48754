import { sql } from "kysely"
import type { Engine } from "../engine/engine.js"
import { demoActors as A } from "./demo-workflow.js"

/**
 * Records the demo actors in the people directory (by the coordinator), so
 * that they can be assigned and mentioned.
 *
 * @example
 * await seedPeople(engine)
 */
export async function seedPeople(engine: Engine): Promise<void> {
  const names: Record<string, string> = {
    "officer-1": "Nguyễn Văn An",
    "officer-3": "Trần Thị Bình",
    "head-1": "Lê Văn Cường",
    "officer-2": "Phạm Thị Dung",
    "head-2": "Hoàng Văn Đức",
    "coord-1": "Vũ Thị Hà",
    "obs-1": "Đỗ Văn Khánh",
  }
  for (const a of [A.officer, A.colleague, A.head, A.otherOfficer, A.otherHead, A.coordinator, A.observer]) {
    await engine.people.upsert({ id: a.id, agency: a.agency, name: names[a.id]!, email: `${a.id}@demo.gov.vn`, roles: [...a.roles] }, A.coordinator)
  }
}

/**
 * The outbox rows of a case, oldest first (topic and payload).
 *
 * @example
 * const rows = await outboxOf(engine, caseId) // [{ topic: "notify.assigned", payload: { recipient: "officer-1", … } }]
 */
export async function outboxOf(engine: Engine, caseId: string): Promise<Array<{ topic: string; rev: number; payload: any }>> {
  return (await sql<{ topic: string; rev: number; payload: any }>`select topic, rev, payload from civicase_outbox where case_id = ${caseId} order by rev, topic`.execute(engine.db)).rows
}
