import { linksSuite, pgliteStores } from "./links-suite.js"

linksSuite("PGlite", pgliteStores)
