import { pgliteTarget } from "./stores.js"
import { tamperSuite } from "./tamper-suite.js"

tamperSuite("pglite", pgliteTarget)
