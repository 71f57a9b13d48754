import { describe } from "vitest"
import { exchangeSuite } from "./exchange-suite.js"
import { postgresStores } from "./links-suite.js"

const url = process.env.DATABASE_URL

describe.runIf(url)("PostgreSQL", () => {
  exchangeSuite("PostgreSQL server", postgresStores(url!))
})
