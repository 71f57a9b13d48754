import type { Kysely } from "kysely"
import type { MachineImplementationsSimplified } from "xstate"
import type { Actor } from "../actor.js"
import type { CommittedTransition } from "../engine/types.js"
import type { CivicaseDatabase } from "../storage/schema.js"
import type { WorkflowDefinition } from "../workflow/define-workflow.js"

/** What a before-event hook sees. */
export interface BeforeEventContext {
  readonly caseId: string
  readonly workflow: string
  readonly version: number
  readonly state: string
  readonly context: unknown
  readonly event: { readonly type: string; readonly payload: unknown }
  readonly actor: Actor
}

/** What a before-create hook sees. */
export interface BeforeCreateContext {
  readonly workflow: string
  readonly version: number
  readonly input: unknown
  readonly actor: Actor
  /** civicase's tables, read-only by convention: a check such as "is there already an open task like this?" queries them. */
  readonly db: Kysely<CivicaseDatabase>
}

/** A message a hook adds to the transition's outbox, delivered after commit. */
export interface OutboxMessage {
  readonly topic: string
  readonly payload: unknown
}

/** What a before hook may return: metadata recorded on the history row, and outbox messages written in the same transaction. */
export interface HookResult {
  readonly meta?: Record<string, unknown>
  readonly outbox?: ReadonlyArray<OutboxMessage>
}

/** Lifecycle hooks; all optional. Hooks run in plugin registration order. */
export interface PluginHooks {
  /** Before a case is created: throw `refuse(reason)` to refuse, or return metadata and outbox messages. */
  beforeCreate?(ctx: BeforeCreateContext): void | HookResult | Promise<void | HookResult>
  /** Before an event is applied (after authorization and payload checks): throw `refuse(reason)` to refuse. */
  beforeEvent?(ctx: BeforeEventContext): void | HookResult | Promise<void | HookResult>
  /** After a transition (or creation) committed. A throw is logged; the commit stands. */
  afterCommit?(transition: CommittedTransition): void | Promise<void>
  /** When the engine starts (after migrations). */
  onStart?(): void | Promise<void>
  /** When the engine closes. */
  onStop?(): void | Promise<void>
}

/** A plugin: workflows it adds, machine implementations it provides, and hooks. */
export interface Plugin {
  readonly name: string
  readonly workflows?: ReadonlyArray<WorkflowDefinition>
  /** XState implementations by workflow id, provided with `machine.provide()`. */
  readonly implementations?: Readonly<Record<string, MachineImplementationsSimplified<any, any>>>
  readonly hooks?: PluginHooks
}

/**
 * Declares a plugin.
 *
 * @example
 * const noWeekendPress = definePlugin({
 *   name: "no-weekend-press",
 *   hooks: {
 *     beforeEvent({ event }) {
 *       if (event.type === "PUBLISH" && [0, 6].includes(new Date().getDay())) throw refuse("publishing waits for Monday")
 *     },
 *   },
 * })
 */
export function definePlugin(plugin: Plugin): Plugin {
  if (!plugin.name || typeof plugin.name !== "string") throw new TypeError("a plugin needs a name")
  return plugin
}

/** A refusal thrown from a before hook; the engine reports it as `RefusedByPluginError` naming the plugin. */
export class Refusal extends Error {
  override readonly name = "Refusal"
}

/** Refuses the event or creation with a reason shown to the caller. */
export function refuse(reason: string): Refusal {
  return new Refusal(reason)
}
