/**
 * @civicase/adapters: what connects civicase to the world. Storage drivers
 * (`pglite()` embedded, `postgres()` for a server), a folder document store
 * (`folderDocuments()`); notifiers and federation come alongside.
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
export { type VerifiedWebhook, type RejectedWebhook, type VerifyWebhookOptions, type WebhookHeaders, verifyWebhook } from "./notifiers/verify-webhook.js"
export { type WebhookOptions, webhookNotifier } from "./notifiers/webhook.js"
export { signWebhook, webhookHeaders } from "./notifiers/webhook-signature.js"
