import type { Actor } from "../actor.js"
import { RefusedByPluginError } from "../errors/errors.js"
import type { CaseRow } from "../storage/case-store.js"
import { type HookResult, type OutboxMessage, type PendingCommit, type Plugin, Refusal } from "../plugins/plugin.js"
import type { Logger } from "./logger.js"
import type { CommittedTransition } from "./types.js"

/** What the before-hooks add to a transition: history meta, merged in plugin order, and outbox messages. */
export interface BeforeHookResults {
  meta: Record<string, unknown>
  outbox: OutboxMessage[]
}

/**
 * Runs one before-hook of every plugin, in order, and collects what they add.
 * A plugin that throws a `Refusal` refuses the call (`RefusedByPluginError`
 * naming the plugin); any other error propagates as it is.
 *
 * @example
 * const hooks = await runBeforeHooks(plugins, (p) => p.hooks?.beforeCreate?.({ workflow, version, input, actor, db }))
 */
export async function runBeforeHooks(
  plugins: ReadonlyArray<Plugin>,
  call: (plugin: Plugin) => void | HookResult | Promise<void | HookResult> | undefined,
): Promise<BeforeHookResults> {
  const meta: Record<string, unknown> = {}
  const outbox: OutboxMessage[] = []
  for (const plugin of plugins) {
    try {
      const result = await call(plugin)
      if (result?.meta) Object.assign(meta, result.meta)
      if (result?.outbox) outbox.push(...result.outbox)
    } catch (e) {
      if (e instanceof Refusal) throw new RefusedByPluginError(plugin.name, e.message)
      throw e
    }
  }
  return { meta, outbox }
}

/**
 * Plugins' `beforeEvent` hooks for one call, run again only when a retry
 * meets the case at another rev, so plugins always judge the row written.
 *
 * @example
 * const before = beforeEventHooks(context.plugins, caseId, actor)
 * const hooks = await before(row, { type: "APPROVE", payload })
 */
export function beforeEventHooks(
  plugins: ReadonlyArray<Plugin>,
  caseId: string,
  actor: Actor,
): (row: CaseRow, event: { type: string; payload: unknown }) => Promise<BeforeHookResults> {
  let hooks: BeforeHookResults | undefined
  /** The rev the plugins judged. */
  let judged: number | undefined
  return async (row, event) => {
    if (hooks === undefined || judged !== row.rev) {
      judged = row.rev
      hooks = await runBeforeHooks(plugins, (p) =>
        p.hooks?.beforeEvent?.({ caseId, workflow: row.workflow, version: row.version, state: row.state, context: row.context, event, actor }),
      )
    }
    return hooks
  }
}

/**
 * Runs every plugin's `beforeWrite` on `commit`, in order, and returns the
 * outbox messages they add (their `meta` is ignored: the history row is
 * already hashed). A throw propagates: the caller writes nothing.
 *
 * @example
 * write.outbox.push(...(await runBeforeWriteHooks(context.plugins, pendingCommit)))
 */
export async function runBeforeWriteHooks(plugins: ReadonlyArray<Plugin>, commit: PendingCommit): Promise<OutboxMessage[]> {
  const outbox: OutboxMessage[] = []
  for (const plugin of plugins) {
    const hook = plugin.hooks?.beforeWrite
    if (!hook) continue
    const result = await hook(commit)
    if (result?.outbox) outbox.push(...result.outbox)
  }
  return outbox
}

/** Plugins' after-commit hooks, run one transition at a time in commit order. */
export interface AfterCommitQueue {
  /** Queues every plugin's `afterCommit` for `t`; a hook that fails is logged, the commit stands. */
  enqueue(t: CommittedTransition): void
  /** Resolves when everything queued so far has run (the engine waits for it on close). */
  idle(): Promise<void>
}

/**
 * The after-commit queue of `plugins`.
 *
 * @example
 * const afterCommit = afterCommitQueue(plugins, logger)
 * afterCommit.enqueue(transition)
 * await afterCommit.idle()
 */
export function afterCommitQueue(plugins: ReadonlyArray<Plugin>, logger: Logger): AfterCommitQueue {
  let queue: Promise<void> = Promise.resolve()
  return {
    enqueue(t) {
      if (plugins.length === 0) return
      queue = queue.then(async () => {
        for (const plugin of plugins) {
          const hook = plugin.hooks?.afterCommit
          if (!hook) continue
          try {
            await hook(t)
          } catch (e) {
            logger.error({ plugin: plugin.name, caseId: t.caseId, rev: t.rev, error: (e as Error).message }, "after-commit hook failed; the commit stands")
          }
        }
      })
    },
    idle: () => queue,
  }
}
