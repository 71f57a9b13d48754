import { describe } from "vitest"
import { slaReportSuite } from "./sla-report-suite.js"
import { postgresTarget } from "./stores.js"

const url = process.env.DATABASE_URL

describe.runIf(url)("PostgreSQL server", () => {
  slaReportSuite("PostgreSQL", postgresTarget(url!))
})
