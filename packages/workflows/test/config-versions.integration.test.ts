import { describe } from "vitest"
import { sql } from "kysely"
import { postgres } from "@civicase/adapters"
import { configVersionsSuite } from "./config-versions-suite.js"

const url = process.env.DATABASE_URL

describe.runIf(url)("PostgreSQL server", () => {
  configVersionsSuite("PostgreSQL", () => {
    const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
    return { driver: () => postgres({ connectionString: url!, schema }), shared: true, dispose: async (engine) => void (await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(engine.db)) }
  })
})
