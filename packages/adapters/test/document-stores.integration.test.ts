import { describe } from "vitest"
import { documentStoreContract } from "@civicase/core/testing"
import { databaseStoreOn } from "./document-store-targets.js"
import { postgresTarget } from "./stores.js"

const url = process.env.DATABASE_URL

describe.runIf(url)("PostgreSQL server", () => {
  documentStoreContract("database on PostgreSQL", databaseStoreOn(postgresTarget(url!)))
})
