import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { pglite } from "@civicase/adapters"
import { createEngine, defineWorkflow, silentLogger, testClock } from "@civicase/core"
import { planWorkflowV1 as planWorkflow } from "@civicase/workflows"
import { people, vinhPhuc } from "./support.js"

const { vhOfficer, vhHead, coordinator } = people
const plan = { title: "Đề án quảng bá 2025", year: 2025, isProject: true }

// Version 2 is a changed copy: projects no longer go through appraisal.
const v1 = planWorkflow(vinhPhuc)
const v2 = defineWorkflow({ ...v1, version: 2, machine: v1.machine.provide({ guards: { isProject: () => false } }) })

describe("versioning", () => {
  const dir = mkdtempSync(join(tmpdir(), "civicase-versions-"))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("keeps a case started on version 1 on version 1 after version 2 is registered; new cases start on version 2", async () => {
    const clock = testClock(new Date("2025-01-06T02:00:00.000Z"))
    const before = createEngine({ store: pglite({ dataDir: dir }), workflows: [v1], clock, scheduler: false, logger: silentLogger })
    const old = await before.createCase("plan", plan, vhOfficer)
    await before.send(old.id, { type: "SUBMIT" }, vhHead)
    await before.close()

    const after = createEngine({ store: pglite({ dataDir: dir }), workflows: [v1, v2], clock, scheduler: false, logger: silentLogger })
    try {
      await after.send(old.id, { type: "START_REVIEW" }, coordinator)
      const oldNow = await after.send(old.id, { type: "APPROVE" }, coordinator)
      expect([oldNow.version, oldNow.state]).toEqual([1, "appraisal"])

      const fresh = await after.createCase("plan", plan, vhOfficer)
      expect(fresh.version).toBe(2)
      for (const [type, actor] of [["SUBMIT", vhHead], ["START_REVIEW", coordinator]] as const) await after.send(fresh.id, { type }, actor)
      const freshNow = await after.send(fresh.id, { type: "APPROVE" }, coordinator)
      expect([freshNow.version, freshNow.state]).toEqual([2, "approved"])
      expect(after.workflows().map((w) => w.key).sort()).toEqual(["plan@1", "plan@2"])
    } finally {
      await after.close()
    }
  })
})
