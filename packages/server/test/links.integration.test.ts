import { describe } from "vitest"
import { linksSuite, postgresStores } from "./links-suite.js"

const url = process.env.DATABASE_URL

describe.runIf(url)("PostgreSQL", () => {
  linksSuite("PostgreSQL server", postgresStores(url!))
})
