/**
 * @civicase/adapters/exchange: the connector between civicase and a
 * document-exchange platform (trục liên thông văn bản quốc gia, a province's
 * LGSP). The `ExchangePlatform` port, its HTTP driver, directory sync, and
 * `exchangeConnector`: case events out as edXML packages through the outbox,
 * packages in as cases or events, status packets both ways. See docs/exchange.md.
 *
 * @example
 * import { exchangeConnector, httpExchangePlatform } from "@civicase/adapters/exchange"
 * const exchange = exchangeConnector({ platform: httpExchangePlatform({ url, token }), province: "vinh-phuc", directory: province, rules })
 *
 * @packageDocumentation
 */
export type { ExchangePlatform, InboxEntry, OutgoingMessage, PlatformAgency } from "./platform.js"
export { ExchangePlatformError, type HttpExchangePlatformOptions, httpExchangePlatform } from "./http-platform.js"
export type { ExchangeDirectory } from "./directory.js"
export { type DirectorySync, syncDirectory } from "./directory-sync.js"
export {
  type ExchangeFieldMap,
  type ExchangeReceiveRule,
  type ExchangeRecipient,
  type ExchangeRules,
  type ExchangeSendRule,
  checkExchangeRules,
  exchangeRulesIssues,
  exchangeRulesSchema,
} from "./exchange-rules.js"
export { EXCHANGE_ACTOR_ID, type ExchangeConnector, type ExchangeConnectorOptions, type PollResult, exchangeConnector } from "./exchange-connector.js"
export type { ReceiptOutcome } from "./incoming.js"
export { outgoingDocumentId } from "./outgoing.js"
