import type { Actor, Engine } from "@civicase/core"
import { loadProvince, provinceFiles } from "@civicase/workflows"

/** Vĩnh Phúc, whose coordination workflow the gate measures. */
export const vinhPhuc = loadProvince(provinceFiles.vinhPhuc)

const person = (id: string, agency: string, ...roles: string[]): Actor => ({ id, province: "vinh-phuc", agency, roles })
const coordinator = person("tttt-1", "so-tttt", "coordinator")
const vhOfficer = person("vh-1", "so-vhttdl", "agency_officer")
const vhHead = person("vh-gd", "so-vhttdl", "agency_head")
const nvOfficer = person("nv-1", "so-ngoai-vu", "agency_officer")

/** One transition of the workload: the event and who sends it. */
export interface Step {
  readonly event: { readonly type: string; readonly payload: Record<string, unknown> }
  readonly actor: Actor
}

/**
 * The transitions each case goes through: the lead and the cooperating
 * agency acknowledge, the cooperating agency contributes, then the lead
 * submits the result and the coordinator returns it, again and again. Every
 * step changes state in a parallel machine with guards, assigns and timers
 * (a return re-arms the task's deadlines), which is what a real case costs.
 */
export const STEPS: ReadonlyArray<Step> = [
  { event: { type: "ACKNOWLEDGE", payload: {} }, actor: vhOfficer },
  { event: { type: "ACKNOWLEDGE", payload: {} }, actor: nvOfficer },
  { event: { type: "CONTRIBUTE", payload: { contribution: "Danh sách đối tác Hàn Quốc và lịch làm việc" } }, actor: nvOfficer },
  ...Array.from({ length: 9 }, (_, i): Step[] => [
    { event: { type: "SUBMIT_RESULT", payload: { summary: `Báo cáo tổng hợp lần ${i + 1}` } }, actor: vhHead },
    { event: { type: "RETURN", payload: { comments: `Bổ sung số liệu, lần ${i + 1}` } }, actor: coordinator },
  ]).flat(),
]

/** A due date two months ahead, so no deadline fires during the run. */
function dueDate(): string {
  return new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10)
}

/** Creates a coordination case as the coordinator; returns its id. */
export async function createTask(engine: Engine): Promise<string> {
  const c = await engine.createCase("coordination", { topic: "Quảng bá hình ảnh Vĩnh Phúc tại Hàn Quốc", lead: "so-vhttdl", cooperating: ["so-ngoai-vu"], dueDate: dueDate() }, coordinator)
  return c.id
}

/** What the engine stores per step of one case: state and context after each step, for the minimal baseline to write the same bytes. */
export interface RecordedSteps {
  readonly initial: { readonly state: string; readonly context: unknown }
  readonly after: ReadonlyArray<{ readonly state: string; readonly context: unknown }>
}

/** Runs one case through every step and keeps what each step left. */
export async function recordSteps(engine: Engine): Promise<RecordedSteps> {
  const id = await createTask(engine)
  const first = await engine.getCase(id, coordinator)
  const after = []
  for (const s of STEPS) {
    const c = await engine.send(id, s.event, s.actor)
    after.push({ state: c.state, context: c.context })
  }
  return { initial: { state: first.state, context: first.context }, after }
}

/** Sends `count` transitions, moving to the next of `ids` after every full run of STEPS. */
export async function sendSteps(engine: Engine, ids: ReadonlyArray<string>, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const s = STEPS[i % STEPS.length]!
    await engine.send(ids[Math.floor(i / STEPS.length)]!, s.event, s.actor)
  }
}
