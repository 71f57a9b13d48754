import { describe } from "vitest"
import { postgresTarget } from "./stores.js"
import { tamperSuite } from "./tamper-suite.js"

const url = process.env.DATABASE_URL

describe.runIf(url)("PostgreSQL server", () => {
  tamperSuite("postgres", postgresTarget(url!))
})
