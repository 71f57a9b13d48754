import { definePlugin } from "@civicase/core"
import { sql } from "kysely"
import { topicKey } from "../coordination/machine.js"

/** An open task that a new one overlaps: same lead agency, same topic. */
export interface Overlap {
  readonly caseId: string
  readonly topic: string
  readonly lead: string
  readonly state: string
}

/**
 * The overlap check of `coordination` (tránh chồng chéo): creating a task
 * whose lead agency and topic (ignoring case and spacing) match an open
 * task's does not refuse it, but records the warning in the creation's
 * history row (`meta.overlap`) and writes a `coordination.overlap` outbox
 * message so the coordinator is told.
 *
 * @example
 * const engine = createEngine({ store: pglite(), workflows: workflows(province), plugins: [overlapCheckPlugin] })
 * const c = await engine.createCase("coordination", input, coordinator)
 * const [created] = await engine.history(c.id, coordinator)
 * created.meta?.overlap // [{ caseId, topic, lead, state }] when it overlaps
 */
export const overlapCheckPlugin = definePlugin({
  name: "coordination-overlap-check",
  hooks: {
    async beforeCreate({ workflow, input, actor, db }) {
      if (workflow !== "coordination") return
      const { topic, lead } = input as { topic: string; lead: string }
      const key = topicKey(topic)
      // Matched in SQL: only the overlapping rows, and only two fields of their context, leave the database.
      const overlap: Overlap[] = await db
        .selectFrom("civicase_cases")
        .select(["id as caseId", sql<string>`context->>'topic'`.as("topic"), "state"])
        .where("workflow", "=", "coordination")
        .where("province", "=", actor.province)
        .where("status", "=", "active")
        .where("lead_agency", "=", lead)
        .where(sql<string>`context->>'topicKey'`, "=", key)
        .orderBy("created_at")
        .orderBy("id")
        .execute()
        .then((rows) => rows.map((row) => ({ caseId: row.caseId, topic: row.topic, lead, state: row.state })))
      if (overlap.length === 0) return
      return { meta: { overlap }, outbox: [{ topic: "coordination.overlap", payload: { lead, topic, overlap } }] }
    },
  },
})
