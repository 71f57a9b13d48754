import { pglite } from "@civicase/adapters"
import { indicatorReportSuite } from "./indicator-report-suite.js"

indicatorReportSuite("PGlite", () => ({ driver: pglite(), dispose: async () => {} }))
