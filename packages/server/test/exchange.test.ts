import { exchangeSuite } from "./exchange-suite.js"
import { pgliteStores } from "./links-suite.js"

exchangeSuite("PGlite", pgliteStores)
