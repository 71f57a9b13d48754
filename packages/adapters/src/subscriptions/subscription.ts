import type { Actor } from "@civicase/core"

/**
 * What a coordinator asks for when subscribing (đăng ký nhận webhook): where
 * to send, which commits (every filter optional: absent means all), and
 * optionally the `whsec_…` secret to sign with (generated when absent).
 *
 * @example
 * { url: "https://portal.vinhphuc.gov.vn/hooks/civicase", workflows: ["press-response"], eventTypes: ["TRIAGE", "PUBLISH"] }
 */
export interface SubscriptionInput {
  readonly url: string
  readonly workflows?: ReadonlyArray<string>
  /** Commits of cases any of these agencies is a party to. */
  readonly agencies?: ReadonlyArray<string>
  /** Event types (`TRIAGE`, `case.created`, `case.link_updated`). */
  readonly eventTypes?: ReadonlyArray<string>
  readonly secret?: string
  readonly description?: string
}

/**
 * A subscription as listed: never its secret.
 *
 * @example
 * { id: "5c1e…", province: "vinh-phuc", url: "https://portal.vinhphuc.gov.vn/hooks/civicase", workflows: ["press-response"], agencies: null,
 *   eventTypes: ["TRIAGE"], description: null, createdBy: "u-17", createdAt: "2025-03-03T02:00:00.000Z" }
 */
export interface Subscription {
  readonly id: string
  readonly province: string
  readonly url: string
  readonly workflows: ReadonlyArray<string> | null
  readonly agencies: ReadonlyArray<string> | null
  readonly eventTypes: ReadonlyArray<string> | null
  readonly description: string | null
  readonly createdBy: string
  readonly createdAt: string
}

/** A subscription just created: the only time its secret is shown. */
export type CreatedSubscription = Subscription & { readonly secret: string }

/**
 * The subscription API, authorized in the plugin (not only at the HTTP
 * edge): only coordinators of a province manage its subscriptions, and they
 * see no other province's.
 *
 * @example
 * const created = await subs.create({ url, workflows: ["press-response"] }, coordinator) // created.secret shown once
 * await subs.remove(created.id, coordinator)
 */
export interface SubscriptionApi {
  create(input: SubscriptionInput, actor: Actor): Promise<CreatedSubscription>
  list(actor: Actor): Promise<Subscription[]>
  get(id: string, actor: Actor): Promise<Subscription>
  remove(id: string, actor: Actor): Promise<void>
  /** Reloads the in-memory filters from the database (done on change, on NOTIFY and every `refreshMs`). */
  refresh(): Promise<void>
}
