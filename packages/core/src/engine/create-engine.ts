import type { Actor } from "../actor.js"
import { Kysely } from "kysely"
import { systemClock } from "../clock/clock.js"
import { CaseNotFoundError, EngineClosedError, InvalidConfigError, ValidationError } from "../errors/errors.js"
import { checkpointProblem, takeCheckpoint, verifyCheckpointHeads } from "../history/checkpoint.js"
import { verifyAllChains, verifyCaseChain } from "../history/verify.js"
import { resolveInputLimits } from "../input/input-limits.js"
import { OutboxDispatcher } from "../outbox/dispatcher.js"
import { outboxView } from "../outbox/outbox-view.js"
import { engineLinks } from "../links/engine-links.js"
import { linkActorId, resolveLinkOptions } from "../links/link-options.js"
import { linkStatusPlugin } from "../links/link-status-plugin.js"
import { checkPlugins } from "../plugins/plugin.js"
import { slaReport } from "../reports/sla-report.js"
import { migrate as runMigrations } from "../storage/migrations.js"
import type { CivicaseDatabase } from "../storage/schema.js"
import { engineTesting } from "../timers/engine-testing.js"
import { TimerScheduler } from "../timers/scheduler.js"
import { AccessPolicy } from "./access.js"
import { readHistory } from "./case-history.js"
import { caseView } from "./case-view.js"
import { createCase } from "./create-case.js"
import { deliverTimer } from "./deliver-timer.js"
import type { Engine, EngineOptions } from "./engine.js"
import type { EngineContext } from "./engine-context.js"
import { listCases } from "./list-cases.js"
import { loadVisible } from "./load-case.js"
import { consoleLogger } from "./logger.js"
import { afterCommitQueue } from "./plugin-hooks.js"
import { sendEvent } from "./send-event.js"
import { guardOutages, storageError } from "./storage-error.js"
import { transitionPublisher } from "./transition-publisher.js"
import { type StepTime, workflowRegistry } from "./workflow-registry.js"
import { assign } from "../assignment/assign.js"
import { assignmentRules } from "../assignment/assignment-rules.js"
import { reassignAll } from "../assignment/reassign-all.js"
import { comment, comments } from "../comments/comment.js"
import { type DocumentsContext, attachDocument } from "../documents/attach-document.js"
import { databaseDocuments } from "../documents/database-documents.js"
import { documentRules } from "../documents/document-options.js"
import { listDocuments, readDocument } from "../documents/read-documents.js"
import { verifyDocuments } from "../documents/verify-documents.js"
import { peopleDirectory } from "../people/people-service.js"
import { withAssigneeNames } from "../people/person-names.js"
import { calendarProblems } from "../timers/calendar-problems.js"
import { backfillDerived } from "../worklist/backfill.js"
import { worklistSummary } from "../worklist/summary.js"
import { WaitingTokens } from "../worklist/waiting-tokens.js"
import { configRuntime } from "../config/config-runtime.js"
import { configVersionPlugin } from "../config/config-version-plugin.js"
import { swappableRegistry } from "../config/swappable-registry.js"
import { migrateCases } from "../migration/migrate-cases.js"
import { registeredPlans } from "../migration/registered-plans.js"

/**
 * Creates an engine. It starts (migrations, scheduler) on first use or on `start()`.
 *
 * @example
 * import { createEngine, testClock } from "@civicase/core"
 * import { pglite } from "@civicase/adapters"
 * const engine = createEngine({ store: pglite(), workflows: [leave], clock: testClock() })
 */
export function createEngine(options: EngineOptions): Engine {
  const clock = options.clock ?? systemClock
  const logger = options.logger ?? consoleLogger
  const linkOptions = options.links === undefined ? undefined : resolveLinkOptions(options.links)
  const plugins = [
    ...(options.plugins ?? []),
    ...(linkOptions ? [linkStatusPlugin(linkOptions)] : []),
    ...(options.configuration ? [configVersionPlugin(() => config.version())] : []),
  ]
  checkPlugins(plugins)
  const access = new AccessPolicy({
    ...(options.provinceWideRoles ? { provinceWideRoles: options.provinceWideRoles } : {}),
    ...(options.provinces ? { provinces: options.provinces } : {}),
  })
  const timeZone = options.timeZone ?? "Asia/Ho_Chi_Minh"
  const zoneProblems = calendarProblems({ timeZone })
  if (zoneProblems.length) throw new InvalidConfigError("engine options", [{ path: "/timeZone", message: zoneProblems[0]! }])
  const rules = assignmentRules(options.assignment)
  const docRules = documentRules(options.documents)
  const driver = options.store
  if (!driver || typeof driver.createDialect !== "function") {
    throw new InvalidConfigError("engine options", [{ path: "/store", message: "must be a storage driver such as pglite() or postgres()" }])
  }
  const { limits: inputLimits, issues: limitIssues } = resolveInputLimits(options.inputLimits)
  if (limitIssues.length) throw new InvalidConfigError("engine options", limitIssues)
  const db = new Kysely<CivicaseDatabase>({ dialect: driver.createDialect() })
  const time: StepTime = { now: new Date(0), gaps: new Map() }
  const notify = options.notify ?? driver.capabilities.listenNotify
  const workflows = swappableRegistry(workflowRegistry(options.workflows ?? [], plugins, time))

  let started: Promise<void> | undefined
  let closed = false
  const schedulerOptions = options.scheduler === false ? undefined : options.scheduler === true || options.scheduler === undefined ? {} : options.scheduler
  const timers = new TimerScheduler(db, clock, logger, (trx, timer) => deliverTimer(context, trx, timer), (t) => publisher.publish(t), schedulerOptions ?? {})
  const dispatcher = new OutboxDispatcher(db, clock, logger, [...(options.notifiers ?? []), ...plugins.flatMap((p) => p.notifiers ?? [])], options.outbox)
  const afterCommit = afterCommitQueue(plugins, logger)
  const publisher = transitionPublisher(logger, afterCommit, { outbox: () => dispatcher.poke(), timersBy: (dueAt) => timers.wakeBy(dueAt) })
  const context: EngineContext = {
    db,
    clock,
    access,
    plugins,
    workflows,
    time,
    publisher,
    inputLimits,
    tokens: new WaitingTokens((province) => access.provinceWideRolesOf(province)),
    announcement: (w, province, workflow) =>
      notify ? JSON.stringify({ caseId: w.id, rev: w.rev, province, workflow, agencies: w.agencies, status: w.status }) : null,
  }

  const config = configRuntime(options.configuration, { db, access, workflows, plugins, time, clock, logger, driver, notify: notify === true })
  const documents: DocumentsContext = { context, store: (options.documents?.store ?? databaseDocuments())({ db, logger }), rules: docRules, logger }
  const people = peopleDirectory(db, access, () => clock.now(), options.people)
  /** Runs `f` once the engine has started. */
  const whenStarted = <A extends unknown[], R>(f: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    await ready()
    return f(...args)
  }
  /** `whenStarted`, after admitting the actor passed at `actorAt` (every operation that takes an actor admits it first). */
  const asActor = <A extends unknown[], R>(actorAt: number, f: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    access.admit(args[actorAt] as Actor)
    await ready()
    return f(...args)
  }

  const ready = async () => {
    if (closed) throw new EngineClosedError()
    // A start that failed (the database was down) is tried again by the next call, not remembered.
    started ??= start().catch((e: unknown) => {
      started = undefined
      throw e
    })
    await started
  }

  /** How far start() got, so that a retry after a failure neither migrates nor starts a plugin twice. */
  let migrated = options.migrate === false
  let pluginsStarted = 0
  let configStarted = false

  async function start(): Promise<void> {
    if (!migrated) {
      try {
        await runMigrations(db)
      } catch (e) {
        throw storageError(e)
      }
      migrated = true
    }
    for (; pluginsStarted < plugins.length; pluginsStarted++) await plugins[pluginsStarted]!.hooks?.onStart?.({ db, clock, logger, driver, access })
    if (!configStarted) {
      await config.start()
      configStarted = true
    }
    if (schedulerOptions) timers.start()
    if (options.outbox?.enabled !== false) dispatcher.start()
  }

  const caseMigrations = registeredPlans(options.caseMigrations ?? [], plugins)
  const links = engineLinks(context, linkOptions)
  for (const peer of linkOptions?.peers ?? []) {
    // A link actor the province file would refuse could never record anything: refuse the configuration now.
    const refused = access.refusal({ id: linkActorId(peer), province: linkOptions!.province, agency: linkOptions!.agency, roles: [linkOptions!.integrationRole] })
    if (refused) throw new InvalidConfigError("engine options", [{ path: "/links/agency", message: `the link actors cannot act: ${refused.message}` }])
  }

  const engine: Engine = {
    async createCase(workflow, input, actor, opts) {
      access.admit(actor)
      await ready()
      return createCase(context, workflow, input, actor, opts)
    },
    async send(caseId, event, actor, opts) {
      access.admit(actor)
      await ready()
      return sendEvent(context, caseId, event, actor, opts)
    },
    async getCase(caseId, actor) {
      access.admit(actor)
      await ready()
      const row = await loadVisible(access, db, caseId, actor)
      const [named] = await withAssigneeNames(db, [row]).catch((e) => Promise.reject(storageError(e)))
      return caseView(workflows, access, named!, actor)
    },
    async history(caseId, actor) {
      access.admit(actor)
      await ready()
      await loadVisible(access, db, caseId, actor)
      return readHistory(db, caseId).catch((e) => {
        throw storageError(e)
      })
    },
    async listCases(filter, actor) {
      access.admit(actor)
      await ready()
      return listCases(db, access, filter, actor, clock.now(), timeZone, (row) => caseView(workflows, access, row, actor)).catch((e) => {
        throw storageError(e)
      })
    },
    subscribe: (listener) => publisher.subscribe(listener),
    workflows: () => workflows.definitions(),
    workflow: (id, version) => workflows.resolve(id, version).def,
    async migrate() {
      if (closed) throw new EngineClosedError()
      return runMigrations(db).catch((e) => {
        throw storageError(e)
      })
    },
    start: ready,
    async close() {
      if (closed) return
      closed = true
      await started?.catch(() => undefined)
      await timers.stop()
      await dispatcher.stop()
      await config.stop()
      await afterCommit.idle()
      for (const plugin of plugins) {
        try {
          await plugin.hooks?.onStop?.()
        } catch (e) {
          logger.error({ plugin: plugin.name, error: (e as Error).message }, "plugin onStop failed")
        }
      }
      await db.destroy()
    },
    clock,
    access,
    inputLimits,
    db,
    driver,
    async runDueTimers() {
      await ready()
      return timers.fireDue()
    },
    testing: engineTesting(clock, timers, ready),
    async verify(caseId, actor) {
      access.admit(actor)
      await ready()
      await loadVisible(access, db, caseId, actor)
      const r = await verifyCaseChain(db, caseId).catch((e) => {
        throw storageError(e)
      })
      if (!r) throw new CaseNotFoundError(caseId)
      const docs = await verifyDocuments(documents, caseId).catch((e) => {
        throw storageError(e)
      })
      // A case without documents answers as it always did: { ok, checked, firstBadRev? }.
      return docs.checked === 0 ? r : { ...r, ok: r.ok && docs.problems.length === 0, documents: docs }
    },
    async verifyAll(verifyOptions) {
      await ready()
      return verifyAllChains(db, verifyOptions)
    },
    async checkpoint() {
      await ready()
      return takeCheckpoint(db, clock.now())
    },
    async verifyCheckpoint(cp) {
      const problem = checkpointProblem(cp)
      if (problem) throw new ValidationError([problem], "checkpoint")
      await ready()
      return verifyCheckpointHeads(db, cp)
    },
    reports: {
      async sla(filter, actor) {
        access.admit(actor)
        await ready()
        return slaReport(db, access, filter, actor).catch((e) => {
          throw storageError(e)
        })
      },
    },
    links: {
      async forward(caseId, request, actor, opts) {
        access.admit(actor)
        await ready()
        return links.forward(caseId, request, actor, opts)
      },
      async list(caseId, actor) {
        access.admit(actor)
        await ready()
        return links.list(caseId, actor)
      },
      async receive(peer, forward) {
        await ready()
        return links.receive(peer, forward)
      },
      async update(peer, status) {
        await ready()
        return links.update(peer, status)
      },
    },
    outbox: {
      ...outboxView(db, () => clock.now()),
      async dispatch() {
        await ready()
        return dispatcher.dispatchDue()
      },
    },
    assign: asActor(2, async (caseId, input, actor, opts) => (await assign(context, rules, caseId, input, actor, opts)).result),
    reassignAll: asActor(1, (input, actor, opts) => reassignAll(context, rules, input, actor, opts)),
    comment: asActor(2, (caseId, input, actor, opts) => comment(context, caseId, input, actor, opts)),
    comments: asActor(1, (caseId, actor, opts) => comments(context, caseId, actor, opts)),
    attachDocument: asActor(2, (caseId, input, actor, opts) => attachDocument(documents, caseId, input, actor, opts)),
    documents: asActor(1, (caseId, actor) => listDocuments(documents, caseId, actor)),
    readDocument: asActor(2, (caseId, documentId, actor) => readDocument(documents, caseId, documentId, actor)),
    people: {
      upsert: asActor(1, people.upsert),
      get: asActor(1, people.get),
      list: asActor(1, people.list),
      deactivate: asActor(1, people.deactivate),
    },
    config: {
      version: config.version,
      current: whenStarted(config.current),
      history: whenStarted(config.history),
      apply: whenStarted(config.apply),
      refresh: whenStarted(config.refresh),
    },
    migrateCases: whenStarted((plan, opts) => migrateCases(context, plan, opts)),
    caseMigrations: () => caseMigrations,
    worklist: {
      summary: asActor(0, async (actor) =>
        worklistSummary(db, access, actor, clock.now()).catch((e) => {
          throw storageError(e)
        }),
      ),
      backfill: whenStarted((opts) => backfillDerived(context, opts)),
    },
  }
  // A lost connection reaches callers as StorageError from whichever query it escaped, never as the driver's error.
  for (const methods of [engine, engine.reports, engine.outbox, engine.testing, engine.links, engine.config]) guardOutages(methods)
  return engine
}
