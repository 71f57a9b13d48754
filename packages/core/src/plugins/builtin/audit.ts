import { AsyncLocalStorage } from "node:async_hooks"
import type { CommittedTransition } from "../../engine/types.js"
import { type HookResult, type Plugin, definePlugin } from "../plugin.js"

/**
 * Where a request came from (nguồn yêu cầu): recorded as `meta.audit` on the
 * history row of every transition made inside {@link withAuditContext}.
 */
export interface AuditContext {
  /** The HTTP request id, or a job id. */
  readonly requestId?: string
  /** `http`, `cli`, `portal`, `federation:<province>` ... */
  readonly source?: string
  /** The client address, where policy allows keeping it. */
  readonly ip?: string
}

/** One line of the audit log; never the payload, only who did what when. */
export interface AuditRecord {
  readonly caseId: string
  readonly province: string
  readonly workflow: string
  readonly rev: number
  readonly event: string
  readonly actor: { readonly id: string; readonly agency: string; readonly roles: ReadonlyArray<string> }
  readonly at: string
  readonly from: string | null
  readonly to: string
  readonly audit?: AuditContext
  /** The deadline whose timer caused this transition, if any. */
  readonly deadline?: string
}

/** Options of {@link auditPlugin}. */
export interface AuditOptions {
  /** Receives every commit (a file, a SIEM, a log shipper). A throw is logged and the commit stands. */
  readonly sink?: (record: AuditRecord) => void | Promise<void>
}

const current = new AsyncLocalStorage<AuditContext>()
const MAX = 200

/**
 * Runs `fn` with an audit context: every case created or event sent inside it
 * (across awaits) records the context in its history row's `meta.audit`.
 *
 * @example
 * app.addHook("onRequest", (req, _res, done) => withAuditContext({ requestId: req.id, source: "http", ip: req.ip }, done))
 * await withAuditContext({ requestId: "job-42", source: "cli" }, () => engine.send(id, event, actor))
 */
export function withAuditContext<T>(context: AuditContext, fn: () => T): T {
  for (const [key, value] of Object.entries(context)) {
    if (value !== undefined && (typeof value !== "string" || value.length > MAX)) {
      throw new TypeError(`withAuditContext: ${key} must be a string of at most ${MAX} characters`)
    }
  }
  return current.run(context, fn)
}

function record(t: CommittedTransition): AuditRecord {
  const audit = t.meta.audit as AuditContext | undefined
  const deadline = typeof t.meta.deadline === "string" ? t.meta.deadline : undefined
  return {
    caseId: t.caseId,
    province: t.province,
    workflow: t.workflow,
    rev: t.rev,
    event: t.event,
    actor: { id: t.actor.id, agency: t.actor.agency, roles: t.actor.roles },
    at: t.at,
    from: t.from,
    to: t.to,
    ...(audit ? { audit } : {}),
    ...(deadline ? { deadline } : {}),
  }
}

/**
 * The audit plugin (nhật ký kiểm toán): stamps each history row with the
 * request's {@link AuditContext}, and hands a record of every commit to
 * `sink`. The hash chain covers what happened (type, payload, actor, time,
 * states); `meta.audit` adds where the request came from and is not hashed,
 * so a sink outside the database is the copy to trust for it.
 *
 * @example
 * const audit = auditPlugin({ sink: (r) => auditLog.write(JSON.stringify(r) + "\n") })
 * const engine = createEngine({ store, workflows, plugins: [audit] })
 * await withAuditContext({ requestId: "req-7", source: "http" }, () => engine.send(id, { type: "SUBMIT" }, head))
 * // history row meta: { audit: { requestId: "req-7", source: "http" } }
 */
export function auditPlugin(options: AuditOptions = {}): Plugin {
  const stamp = (): HookResult | undefined => {
    const ctx = current.getStore()
    if (!ctx) return undefined
    const audit = Object.fromEntries(Object.entries(ctx).filter(([, v]) => v !== undefined))
    return Object.keys(audit).length ? { meta: { audit } } : undefined
  }
  return definePlugin({
    name: "civicase.audit",
    hooks: {
      beforeCreate: stamp,
      beforeEvent: stamp,
      ...(options.sink ? { afterCommit: (t: CommittedTransition) => options.sink!(record(t)) } : {}),
    },
  })
}
