import type { CaseMigrationPlan } from "../migration/migration-plan.js"
import type { Kysely } from "kysely"
import type { MachineImplementationsSimplified } from "xstate"
import type { Actor } from "../actor.js"
import type { Clock } from "../clock/clock.js"
import type { AccessPolicy } from "../engine/access.js"
import type { Logger } from "../engine/logger.js"
import type { CommittedTransition } from "../engine/types.js"
import type { Notifier } from "../outbox/notifier.js"
import { InvalidConfigError, type ValidationIssue } from "../errors/errors.js"
import type { StorageDriver } from "../storage/driver.js"
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

/**
 * A commit about to be written, as a before-write hook sees it: the
 * transition (or creation, or activity) exactly as listeners will receive it
 * once committed, plus who created the case and with which idempotency key,
 * so that a plugin recognises cases another system started (a link, an
 * incoming package) and reports their progress back.
 *
 * @example
 * { caseId: "6f1c…", province: "da-nang", workflow: "press-response", rev: 3, event: "TRIAGE", from: "reported", to: "fact_finding",
 *   agencies: ["so-vhttdl"], createdBy: "link:vinh-phuc", createKey: "link:0b0e…", … }
 */
export interface PendingCommit extends CommittedTransition {
  /** The actor id that created the case. */
  readonly createdBy: string
  /** The idempotency key the case was created with, or null. */
  readonly createKey: string | null
}

/** What `onStart` receives: the engine's database (migrated), clock, logger, storage driver and access policy, for plugins that read or keep state. */
export interface PluginStartContext {
  /** The engine's access policy: a plugin with an API of its own admits actors with it (`access.admit(actor)`), as the engine does. */
  readonly access: AccessPolicy
  readonly db: Kysely<CivicaseDatabase>
  readonly clock: Clock
  readonly logger: Logger
  /** The storage driver: `capabilities.listenNotify` and `listen()` let a plugin hear other processes (a cache refresh). */
  readonly driver: StorageDriver
}

/**
 * Lifecycle hooks; all optional. Hooks of different plugins run one after the
 * other in the order the plugins are given to `createEngine` (never in
 * parallel): a later plugin sees the world after an earlier one's hook, and
 * the first refusal stops the rest.
 */
export interface PluginHooks {
  /** Before a case is created: throw `refuse(reason)` to refuse, or return metadata and outbox messages. */
  beforeCreate?(ctx: BeforeCreateContext): void | HookResult | Promise<void | HookResult>
  /** Before an event is applied (after authorization and payload checks): throw `refuse(reason)` to refuse. */
  beforeEvent?(ctx: BeforeEventContext): void | HookResult | Promise<void | HookResult>
  /**
   * After the machine step, just before the statement is written: the commit
   * as it will be (rev, from, to, agencies). Return outbox messages to write in
   * the same statement, so a side effect exists exactly when the commit does
   * (a webhook per matching subscription, a status report to a linked
   * deployment). It may not refuse; keep it cheap (in memory where possible):
   * a write that moves on is retried and calls it again. A throw fails the
   * call and nothing is written.
   */
  beforeWrite?(commit: PendingCommit): void | HookResult | Promise<void | HookResult>
  /** After a transition (or creation) committed. A throw is logged; the commit stands. */
  afterCommit?(transition: CommittedTransition): void | Promise<void>
  /** When the engine starts (after migrations). A throw stops the engine from starting. */
  onStart?(ctx: PluginStartContext): void | Promise<void>
  /** When the engine closes. A throw is logged. */
  onStop?(): void | Promise<void>
}

/** A plugin: workflows it adds, machine implementations it provides, and hooks. */
export interface Plugin {
  readonly name: string
  readonly workflows?: ReadonlyArray<WorkflowDefinition>
  /** XState implementations by workflow id, provided with `machine.provide()`. */
  readonly implementations?: Readonly<Record<string, MachineImplementationsSimplified<any, any>>>
  readonly hooks?: PluginHooks
  /** Notifiers the outbox dispatcher delivers to, after the engine's own `notifiers`. */
  readonly notifiers?: ReadonlyArray<Notifier>
  /** Plans that move running cases of this plugin's workflows between versions (`engine.migrateCases`). */
  readonly caseMigrations?: ReadonlyArray<CaseMigrationPlan>
}

const NAME = /^[A-Za-z0-9@][A-Za-z0-9@/._:-]{0,99}$/
const HOOKS: ReadonlyArray<keyof PluginHooks> = ["beforeCreate", "beforeEvent", "beforeWrite", "afterCommit", "onStart", "onStop"]

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
export function definePlugin<P extends Plugin>(plugin: P): P {
  const problems = pluginProblems(plugin)
  if (problems.length) throw new InvalidConfigError(`plugin ${typeof plugin?.name === "string" ? plugin.name : "(unnamed)"}`, problems)
  return plugin
}

/** Every problem of a plugin object, by path. */
function pluginProblems(plugin: Plugin): ValidationIssue[] {
  if (typeof plugin !== "object" || plugin === null) return [{ path: "", message: "a plugin must be an object" }]
  const problems: ValidationIssue[] = []
  if (typeof plugin.name !== "string" || !NAME.test(plugin.name)) {
    problems.push({ path: "/name", message: "must be 1 to 100 letters, digits or @ / . _ : -, without spaces" })
  }
  for (const [key, hook] of Object.entries(plugin.hooks ?? {})) {
    if (!HOOKS.includes(key as keyof PluginHooks)) problems.push({ path: `/hooks/${key}`, message: `is not a hook; hooks are ${HOOKS.join(", ")}` })
    else if (typeof hook !== "function") problems.push({ path: `/hooks/${key}`, message: "must be a function" })
  }
  for (const [i, n] of (plugin.notifiers ?? []).entries()) {
    if (typeof n?.name !== "string" || typeof n?.deliver !== "function") problems.push({ path: `/notifiers/${i}`, message: "must be { name, deliver(message) }" })
  }
  return problems
}

/**
 * Checks the plugins given to one engine: each well formed, no name twice
 * (the name is how refusals and logs point at a plugin).
 */
export function checkPlugins(plugins: ReadonlyArray<Plugin>): void {
  const problems: ValidationIssue[] = []
  const seen = new Set<string>()
  for (const [i, p] of plugins.entries()) {
    for (const issue of pluginProblems(p)) problems.push({ path: `/plugins/${i}${issue.path}`, message: issue.message })
    if (typeof p?.name === "string" && seen.has(p.name)) problems.push({ path: `/plugins/${i}/name`, message: `plugin ${p.name} is registered twice` })
    if (typeof p?.name === "string") seen.add(p.name)
  }
  if (problems.length) throw new InvalidConfigError("engine options", problems)
}

/** A refusal thrown from a before hook; the engine reports it as `RefusedByPluginError` naming the plugin. */
export class Refusal extends Error {
  override readonly name = "Refusal"
}

/** Refuses the event or creation with a reason shown to the caller. */
export function refuse(reason: string): Refusal {
  return new Refusal(reason)
}
