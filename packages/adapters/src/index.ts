/**
 * @civicase/adapters: what connects civicase to the world. Storage drivers
 * (`pglite()` embedded, `postgres()` for a server), a folder document store
 * (`folderDocuments()`); notifiers (signed Standard Webhooks); webhook
 * subscriptions; links between deployments.
 *
 * @example
 * import { createEngine } from "@civicase/core"
 * import { pglite, postgres } from "@civicase/adapters"
 * const store = process.env.DATABASE_URL ? postgres({ connectionString: process.env.DATABASE_URL }) : pglite()
 * const engine = createEngine({ store, workflows })
 *
 * @packageDocumentation
 */
export { type PgliteOptions, pglite } from "./storage/pglite.js"
export { type PostgresOptions, postgres } from "./storage/postgres.js"
export { type FolderDocumentsOptions, folderDocuments } from "./documents/folder-documents.js"
export { type InProcessOptions, inProcessNotifier } from "./notifiers/in-process.js"
export {
  type VerifiedWebhook,
  type RejectedWebhook,
  type VerifyWebhookOptions,
  type WebhookHeaders,
  headerValue,
  verifyWebhook,
} from "./notifiers/verify-webhook.js"
export { type WebhookOptions, webhookNotifier } from "./notifiers/webhook.js"
export { generateWebhookSecret, signWebhook, signedHeaders, webhookHeaders, webhookSecretKey } from "./notifiers/webhook-signature.js"
export { type PostAnswer, type PostOptions, postJson } from "./http/post-json.js"
export { type GuardedLookup, type ResolvedAddress, type TargetPolicy, type TargetPolicyOptions, targetPolicy } from "./http/target-policy.js"
export type { CreatedSubscription, Subscription, SubscriptionApi, SubscriptionInput } from "./subscriptions/subscription.js"
export { SUBSCRIPTIONS_CHANNEL } from "./subscriptions/subscription-store.js"
export {
  SUBSCRIPTION_TOPIC,
  type SubscriptionEnvelope,
  type WebhookSubscriptions,
  type WebhookSubscriptionsOptions,
  webhookSubscriptions,
} from "./subscriptions/webhook-subscriptions.js"
export { type LinkEnvelope, type LinkPeer, type LinkReceipt, type LinkTransport, type LinkTransportOptions, linkTransport } from "./links/link-transport.js"
