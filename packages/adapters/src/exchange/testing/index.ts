/**
 * @civicase/adapters/exchange/testing: a fake exchange platform on loopback
 * for tests and examples. Never for production.
 *
 * @example
 * import { startFakeExchangePlatform } from "@civicase/adapters/exchange/testing"
 * const platform = await startFakeExchangePlatform({ agencies })
 *
 * @packageDocumentation
 */
export { type FakeExchangePlatform, type FakeMessage, type FakeOperation, startFakeExchangePlatform } from "./fake-platform.js"
