/**
 * @civicase/core/testing: what a driver or workflow author needs to test
 * against civicase: the storage contract suite, a demo workflow and actors,
 * and a TCP proxy that breaks database connections on purpose.
 *
 * @example
 * import { storageContractSuite } from "@civicase/core/testing"
 *
 * @packageDocumentation
 */
export { type ContractSetup, type ContractTarget, type StoreHandle, expectCode, storageContractSuite } from "./contract-suite.js"
export { type OpenedDocumentStore, documentStoreContract } from "./document-store-contract.js"
export { demoActors, demoWorkflow, memoWorkflow } from "./demo-workflow.js"
export { type FaultProxy, faultProxy } from "./fault-proxy.js"
