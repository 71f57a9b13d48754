import { describe } from "vitest"
import { postgresStores } from "./links-suite.js"
import { workSuite } from "./work-suite.js"

const url = process.env.DATABASE_URL

describe.runIf(url)("PostgreSQL", () => {
  workSuite("PostgreSQL server", postgresStores(url!))
})
