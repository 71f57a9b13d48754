import { afterEach, describe, expect, it, vi } from "vitest"
import { type Engine, type StorageDriver, createEngine, silentLogger, testClock } from "@civicase/core"
import { provinceConfiguration, provinceEngineOptions } from "@civicase/workflows"
import { people, person, vinhPhuc } from "./support.js"

const { coordinator, coordinatorHead, vhOfficer } = people
const newcomer = person("moi-1", "so-moi", "agency_officer")

/** The next version of Vĩnh Phúc: a new agency, a longer submission deadline for plans. */
function nextVersion(): Record<string, any> {
  const next = structuredClone(vinhPhuc) as Record<string, any>
  next.version = 2
  next.agencies.push({ id: "so-moi", kind: "department", names: { vi: "Sở Mới", en: "New Department" } })
  next.workflows.plan.deadlines.submission = { workingDays: 30 }
  return next
}

/** The configuration-version suite, against one kind of store; `shared` says whether a second engine can open it at the same time. */
export function configVersionsSuite(name: string, store: () => { driver: () => StorageDriver; shared: boolean; dispose: (engine: Engine) => Promise<void> }): void {
  describe(`province configuration versions at run time (${name})`, () => {
    const cleanup: Array<() => Promise<void>> = []
    afterEach(async () => {
      for (const c of cleanup.splice(0).reverse()) await c()
    })

    it("checks, stores with who/when/diff, and puts a new version in force for new cases without a restart, in every process", { timeout: 240_000 }, async () => {
      const { driver, shared, dispose } = store()
      const clock = testClock(new Date("2026-03-02T02:00:00.000Z"))
      const open = () =>
        createEngine({ store: driver(), ...provinceEngineOptions(vinhPhuc), configuration: provinceConfiguration(vinhPhuc, { pollMs: 0 }), clock, scheduler: false, logger: silentLogger })
      const engine = open()
      const other = shared ? open() : undefined
      cleanup.push(async () => {
        await dispose(engine)
        await other?.close()
        await engine.close()
      })
      await other?.start()

      const current = await engine.config.current(coordinator)
      expect([current.version, current.province, (current.content as { version: number }).version]).toEqual([0, "vinh-phuc", 1])
      const oldCase = await engine.createCase("plan", { title: "Kế hoạch 2026", year: 2026 }, vhOfficer)
      await expect(engine.createCase("plan", { title: "Kế hoạch", year: 2026 }, newcomer)).rejects.toMatchObject({ code: "CIVICASE_E_UNKNOWN_ACTOR" })

      // Refused, writing nothing: not a coordinator; problems named by path; another province's file.
      await expect(engine.config.apply(nextVersion(), vhOfficer)).rejects.toMatchObject({ code: "CIVICASE_E_FORBIDDEN" })
      const bad = nextVersion()
      bad.roles.agency_head = ["so-khong-co"]
      bad.workflows.plan.deadlines.submission = { workingDays: "ba mươi" }
      const refused = (await engine.config.apply(bad, coordinatorHead).catch((e: unknown) => e)) as { code: string; issues: Array<{ path: string }> }
      expect(refused.code).toBe("CIVICASE_E_VALIDATION")
      expect(refused.issues.map((i) => i.path)).toEqual(expect.arrayContaining(["/roles/agency_head/0", "/workflows/plan/deadlines/submission/workingDays"]))
      await expect(engine.config.apply({ ...nextVersion(), id: "da-nang" }, coordinatorHead)).rejects.toMatchObject({ code: "CIVICASE_E_VALIDATION" })

      const dry = await engine.config.apply(nextVersion(), coordinatorHead, { dryRun: true })
      expect(dry).toMatchObject({ applied: false, dryRun: true, version: 1 })
      expect(dry.diff).toEqual([
        { op: "add", path: `/agencies/${vinhPhuc.agencies.length}`, value: expect.objectContaining({ id: "so-moi" }) },
        { op: "replace", path: "/version", value: 2 },
        { op: "replace", path: "/workflows/plan/deadlines/submission/workingDays", value: 30 },
      ])
      expect(await engine.config.history(coordinator)).toEqual([])
      expect(engine.config.version()).toBe(0)

      const applied = await engine.config.apply(nextVersion(), coordinatorHead)
      expect(applied).toMatchObject({ applied: true, version: 1, diff: dry.diff })
      const history = await engine.config.history(coordinator)
      expect(history).toEqual([{ version: 1, appliedBy: coordinatorHead, appliedAt: "2026-03-02T02:00:00.000Z", diff: dry.diff }])
      expect((await engine.config.current(coordinator)).version).toBe(1)

      // In force at once: the new agency's staff act; new plans get 30 working days to submit, and record the version they started under.
      const fresh = await engine.createCase("plan", { title: "Kế hoạch Sở Mới", year: 2026 }, newcomer)
      const due = (c: { deadlines: ReadonlyArray<{ name: string; dueAt: string }> }) => Date.parse(c.deadlines.find((d) => d.name === "submissionDeadline")!.dueAt)
      expect(due(fresh)).toBeGreaterThan(due(oldCase))
      const created = await engine.history(fresh.id, coordinator)
      expect(created[0]!.meta).toMatchObject({ configVersion: 1 })
      expect((await engine.history(oldCase.id, coordinator))[0]!.meta?.configVersion).toBeUndefined()
      // The running case keeps its pending deadline.
      expect((await engine.getCase(oldCase.id, coordinator)).deadlines).toEqual(oldCase.deadlines)

      // The same file again changes nothing.
      expect(await engine.config.apply(nextVersion(), coordinatorHead)).toMatchObject({ applied: false, version: 1, diff: [] })

      if (other) {
        // The other process hears of it (LISTEN/NOTIFY on PostgreSQL; the poll or refresh() otherwise).
        await vi.waitFor(() => expect(other.config.version()).toBe(1), { timeout: 20_000, interval: 50 })
        expect((await other.createCase("plan", { title: "Kế hoạch", year: 2026 }, newcomer)).version).toBe(2)
      } else {
        // A process started after the apply reads the newest stored version.
        await engine.close()
        const restarted = open()
        cleanup.push(() => restarted.close())
        expect(await restarted.config.refresh()).toBe(1)
        expect((await restarted.createCase("plan", { title: "Kế hoạch", year: 2026 }, newcomer)).state).toBe("draft")
      }
    })
  })
}
