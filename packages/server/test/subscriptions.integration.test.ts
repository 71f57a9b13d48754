import { type Actor, type Engine, createEngine, silentLogger } from "@civicase/core"
import { type WebhookSubscriptions, postgres, webhookSubscriptions } from "@civicase/adapters"
import { loadProvince, provinceEngineOptions, provinceFiles } from "@civicase/workflows"
import pg from "pg"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"

const url = process.env.DATABASE_URL
const province = loadProvince(provinceFiles.vinhPhuc)
const coordinator: Actor = { id: "vp-coord", province: "vinh-phuc", agency: "so-tttt", roles: ["coordinator"] }

// Two processes on one database: a subscription made through one is matched by the other's
// in-memory filters once its NOTIFY arrives (no restart, no waiting for the periodic reload).
describe.runIf(url)("webhook subscriptions across processes (PostgreSQL NOTIFY)", () => {
  const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
  const nodes: Array<{ engine: Engine; subs: WebhookSubscriptions }> = []

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const subs = webhookSubscriptions({ allow: ["127.0.0.1"], refreshMs: 3_600_000 })
      const engine = createEngine({
        store: postgres({ connectionString: url!, schema }),
        ...provinceEngineOptions(province, { plugins: [subs] }),
        scheduler: false,
        logger: silentLogger,
        outbox: { enabled: false },
      })
      await engine.start()
      nodes.push({ engine, subs })
    }
  })
  afterAll(async () => {
    for (const n of nodes) await n.engine.close()
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    await client.query(`drop schema if exists "${schema}" cascade`)
    await client.end()
  })

  const rowsOf = async (engine: Engine, caseId: string) => (await engine.outbox.list({ topic: "webhook.subscription", caseId })).items

  it("a subscription created in one process writes deliveries for commits of the other, and stops when deleted there", async () => {
    const [one, two] = nodes as [(typeof nodes)[0], (typeof nodes)[0]]
    const created = await one.subs.create({ url: "http://127.0.0.1:9/hooks", workflows: ["press-response"] }, coordinator)
    await vi.waitFor(
      async () => {
        const c = await two.engine.createCase("press-response", { kind: "incident", summary: "Kiểm tra đồng bộ" }, coordinator)
        expect(await rowsOf(two.engine, c.id)).toHaveLength(1)
      },
      { timeout: 20_000 },
    )
    await one.subs.remove(created.id, coordinator)
    await vi.waitFor(
      async () => {
        const c = await two.engine.createCase("press-response", { kind: "incident", summary: "Sau khi huỷ" }, coordinator)
        expect(await rowsOf(two.engine, c.id)).toHaveLength(0)
      },
      { timeout: 20_000 },
    )
  })
})
