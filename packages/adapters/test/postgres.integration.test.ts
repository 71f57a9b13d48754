import { describe } from "vitest"
import { storageContractSuite } from "@civicase/core/testing"
import { postgresTarget } from "./stores.js"

const url = process.env.DATABASE_URL

// Runs whenever DATABASE_URL names a server; .ci/run always sets it.
describe.runIf(url)("PostgreSQL server", () => {
  storageContractSuite("postgres", postgresTarget(url!))
})
