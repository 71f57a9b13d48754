import { pglite } from "@civicase/adapters"
import { workSuite } from "./work-suite.js"

workSuite("PGlite", () => ({ open: () => pglite(), dispose: async () => undefined }))
