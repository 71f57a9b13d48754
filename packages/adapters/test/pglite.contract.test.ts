import { storageContractSuite } from "@civicase/core/testing"
import { pgliteTarget } from "./stores.js"

storageContractSuite("pglite", pgliteTarget)
