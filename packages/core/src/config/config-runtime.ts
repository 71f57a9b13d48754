import type { Kysely } from "kysely"
import type { Actor } from "../actor.js"
import type { Clock } from "../clock/clock.js"
import { ForbiddenError, InvalidConfigError, ValidationError, type ValidationIssue } from "../errors/errors.js"
import type { AccessPolicy } from "../engine/access.js"
import type { Logger } from "../engine/logger.js"
import { storageError } from "../engine/storage-error.js"
import { type StepTime, workflowRegistry } from "../engine/workflow-registry.js"
import type { Plugin } from "../plugins/plugin.js"
import type { StorageDriver } from "../storage/driver.js"
import type { CivicaseDatabase } from "../storage/schema.js"
import { type ConfigChange, configDiff } from "./config-diff.js"
import { CONFIG_CHANNEL, type StoredConfigVersion, configStore } from "./config-store.js"
import type { CompiledConfiguration, ConfigurationOptions } from "./configuration-options.js"
import type { SwappableRegistry } from "./swappable-registry.js"

/**
 * The configuration version in force, as `engine.config.current` answers:
 * version 0 is the configuration the engine was started with, before any was stored.
 *
 * @example
 * const { version, content } = await engine.config.current(coordinator)
 */
export interface ConfigVersionView {
  readonly province: string
  readonly version: number
  readonly content: unknown
  readonly appliedBy: unknown
  readonly appliedAt: string | null
  readonly diff: ReadonlyArray<ConfigChange>
}

/** One row of `engine.config.history`: a stored version without its content. */
export interface ConfigHistoryEntry {
  readonly version: number
  readonly appliedBy: unknown
  readonly appliedAt: string
  readonly diff: ReadonlyArray<ConfigChange>
}

/**
 * What `engine.config.apply` did: the version it stored (or would store),
 * the changes against the version in force, and the warnings of the checks.
 */
export interface ConfigApplyResult {
  /** True when a version was stored and is in force in this process. */
  readonly applied: boolean
  readonly dryRun: boolean
  /** The stored version (or the one a dry run would store); the current one when nothing changed. */
  readonly version: number
  readonly diff: ReadonlyArray<ConfigChange>
  readonly warnings: ReadonlyArray<ValidationIssue>
}

/** Options of `engine.config.apply`. */
export interface ConfigApplyOptions {
  /** Check and diff only; store nothing. */
  readonly dryRun?: boolean
  /** The person running an operator command as the system actor (`civicase config apply --by`), recorded with it. */
  readonly operator?: string
}

/**
 * The province configuration of an engine at run time (cấu hình tỉnh theo
 * phiên bản): reading it, its history, applying a new version without a
 * restart, and picking up versions other processes applied.
 *
 * @example
 * const r = await engine.config.apply(nextFile, coordinator, { dryRun: true }) // r.diff: [{ op: "replace", path: "/deadlines/plan/review", value: "P7BD" }]
 * await engine.config.apply(nextFile, coordinator) // new cases start under it; running cases keep the version they started on
 */
export interface EngineConfig {
  /** The version in force for the actor's province (coordinators and the system actor). */
  current(actor: Actor): Promise<ConfigVersionView>
  /** Stored versions, newest first, without their content. */
  history(actor: Actor, options?: { readonly limit?: number }): Promise<ConfigHistoryEntry[]>
  /** Checks `content` like `check-config` (a problem is `ValidationError` naming its path), stores it as the next version and puts it in force. */
  apply(content: unknown, actor: Actor, options?: ConfigApplyOptions): Promise<ConfigApplyResult>
  /** Reads the newest stored version and puts it in force when it is newer than this process's (what LISTEN and the poll call). */
  refresh(): Promise<number>
  /** The version in force in this process (0: the one it was started with). */
  version(): number
}

interface Deps {
  readonly db: Kysely<CivicaseDatabase>
  readonly access: AccessPolicy
  readonly workflows: SwappableRegistry
  readonly plugins: ReadonlyArray<Plugin>
  readonly time: StepTime
  readonly clock: Clock
  readonly logger: Logger
  readonly driver: StorageDriver
  readonly notify: boolean
}

const notConfigured = () => new ForbiddenError("manage the province configuration", "this engine was started without a run-time configuration (the `configuration` option)")

/**
 * The {@link EngineConfig} of one engine, with `start` (load the newest
 * stored version, listen, poll) and `stop`.
 */
export function configRuntime(options: ConfigurationOptions | undefined, deps: Deps): EngineConfig & { start(): Promise<void>; stop(): Promise<void> } {
  let inForce = 0
  let content: unknown = options?.initial
  let stored: StoredConfigVersion | undefined
  let unlisten: (() => Promise<void>) | undefined
  let poll: ReturnType<typeof setInterval> | undefined
  const roles = new Set(options?.roles ?? ["coordinator_head", "coordinator"])

  const authorize = (actor: Actor, action: string): ConfigurationOptions => {
    deps.access.admit(actor)
    if (!options) throw notConfigured()
    if (actor.province !== options.province) throw new ForbiddenError(action, `the configuration is of ${options.province}`)
    if (!deps.access.isSystem(actor) && !actor.roles.some((r) => roles.has(r))) {
      throw new ForbiddenError(action, `only ${[...roles].join(", ")} may`)
    }
    return options
  }

  const compile = (o: ConfigurationOptions, value: unknown): CompiledConfiguration => {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new ValidationError([{ path: "/", message: "must be a province configuration object" }], "configuration")
    }
    let compiled: CompiledConfiguration
    try {
      compiled = o.compile(value)
    } catch (e) {
      if (e instanceof InvalidConfigError) throw new ValidationError(e.issues, "configuration")
      throw e
    }
    if (compiled.province !== o.province) throw new ValidationError([{ path: "/id", message: `configures "${compiled.province}", not ${o.province}` }], "configuration")
    return compiled
  }

  /** Puts `compiled` in force, atomically for every later operation (both are single assignments on this thread). */
  const swap = (o: ConfigurationOptions, compiled: CompiledConfiguration, v: StoredConfigVersion) => {
    // A refresh that read a newer version while this one was being stored has already put it in force.
    if (v.version <= inForce) return
    const registry = workflowRegistry(compiled.workflows, deps.plugins, deps.time)
    deps.access.replaceDirectory(o.province, compiled.directory)
    deps.workflows.swap(registry)
    inForce = v.version
    content = v.content
    stored = v
  }

  const refresh = async (): Promise<number> => {
    if (!options) return 0
    const newest = await configStore.latestNumber(deps.db, options.province).catch((e) => Promise.reject(storageError(e)))
    if (newest <= inForce) return inForce
    const v = await configStore.latest(deps.db, options.province).catch((e) => Promise.reject(storageError(e)))
    if (!v || v.version <= inForce) return inForce
    try {
      swap(options, compile(options, v.content), v)
      deps.logger.info({ province: options.province, version: v.version }, "configuration version in force")
    } catch (e) {
      // A stored version this code cannot compile (an older release applied it): keep the one in force, loudly.
      deps.logger.error({ province: options.province, version: v.version, error: (e as Error).message }, "stored configuration version refused")
    }
    return inForce
  }

  return {
    async start() {
      if (!options) return
      await refresh()
      if (deps.notify && deps.driver.listen) {
        unlisten = await deps.driver.listen(CONFIG_CHANNEL, (payload) => {
          if (payload === options.province) refresh().catch((e: unknown) => deps.logger.warn({ error: (e as Error).message }, "configuration refresh failed"))
        })
      }
      const every = options.pollMs ?? 30_000
      if (every > 0) {
        poll = setInterval(() => {
          refresh().catch((e: unknown) => deps.logger.warn({ error: (e as Error).message }, "configuration refresh failed"))
        }, every)
        poll.unref?.()
      }
    },
    async stop() {
      if (poll) clearInterval(poll)
      await unlisten?.().catch(() => undefined)
    },
    refresh,
    version: () => inForce,
    async current(actor) {
      const o = authorize(actor, "read the province configuration")
      return {
        province: o.province,
        version: inForce,
        content,
        appliedBy: stored?.appliedBy ?? null,
        appliedAt: stored ? stored.appliedAt.toISOString() : null,
        diff: stored?.diff ?? [],
      }
    },
    async history(actor, opts = {}) {
      const o = authorize(actor, "read the configuration history")
      const limit = opts.limit ?? 50
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new ValidationError([{ path: "/limit", message: "must be an integer from 1 to 500" }], "history")
      const rows = await configStore.history(deps.db, o.province, limit).catch((e) => Promise.reject(storageError(e)))
      return rows.map((r) => ({ version: r.version, appliedBy: r.appliedBy, appliedAt: r.appliedAt.toISOString(), diff: r.diff }))
    },
    async apply(next, actor, opts = {}) {
      const o = authorize(actor, "apply a province configuration")
      const operator = opts.operator
      if (operator !== undefined && (typeof operator !== "string" || operator.length === 0 || operator.length > 200)) {
        throw new ValidationError([{ path: "/operator", message: "must be a name of 1 to 200 characters" }], "configuration")
      }
      if (operator !== undefined && !deps.access.isSystem(actor)) throw new ForbiddenError("name an operator", "only operator commands acting as the system actor may")
      const appliedBy = operator === undefined ? actor : { ...actor, operator }
      const compiled = compile(o, next)
      const warnings = compiled.warnings ?? []
      // Another process may have applied one since: diff against the newest stored version, and store only on top of it.
      for (let tries = 0; ; tries++) {
        await refresh()
        const base = stored ? stored.content : o.initial
        const diff = configDiff(base, next)
        if (diff.length === 0) return { applied: false, dryRun: opts.dryRun === true, version: inForce, diff, warnings }
        const version = (stored?.version ?? 0) + 1
        if (opts.dryRun) return { applied: false, dryRun: true, version, diff, warnings }
        const v: StoredConfigVersion = { province: o.province, version, content: next, diff, appliedBy, appliedAt: deps.clock.now() }
        const ok = await configStore.append(deps.db, v, deps.notify).catch((e) => Promise.reject(storageError(e)))
        if (ok) {
          swap(o, compiled, v)
          return { applied: true, dryRun: false, version, diff, warnings }
        }
        if (tries >= 5) throw storageError(new Error("configuration versions kept moving; try again"))
      }
    },
  }
}
