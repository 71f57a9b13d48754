import { slaReportSuite } from "./sla-report-suite.js"
import { pgliteTarget } from "./stores.js"

slaReportSuite("PGlite", pgliteTarget)
