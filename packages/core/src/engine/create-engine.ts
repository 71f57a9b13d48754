import { randomUUID } from "node:crypto"
import { Kysely, sql } from "kysely"
import type { AnyMachineSnapshot, AnyStateMachine } from "xstate"
import type { Actor } from "../actor.js"
import { systemActor } from "../actor.js"
import { type Clock, systemClock } from "../clock/clock.js"
import {
  CaseClosedError,
  CaseNotFoundError,
  EngineClosedError,
  EventNotAcceptedError,
  ForbiddenError,
  InvalidConfigError,
  RefusedByPluginError,
  RevisionConflictError,
  StorageError,
  ValidationError,
  WorkflowNotFoundError,
  isCivicaseError,
} from "../errors/errors.js"
import { type Checkpoint, type CheckpointVerification, checkpointProblem, takeCheckpoint, verifyCheckpointHeads } from "../history/checkpoint.js"
import { GENESIS_HASH, chainHash } from "../history/hash.js"
import { type CaseVerification, type DatabaseVerification, type VerifyAllOptions, verifyAllChains, verifyCaseChain } from "../history/verify.js"
import { type DispatchResult, OutboxDispatcher, type OutboxOptions } from "../outbox/dispatcher.js"
import type { Notifier } from "../outbox/notifier.js"
import { type OutboxView, outboxView } from "../outbox/outbox-view.js"
import { type HookResult, type OutboxMessage, type Plugin, Refusal, checkPlugins } from "../plugins/plugin.js"
import { type CaseRow, type CaseWrite, type Executor, type StoredDeadline, caseStore } from "../storage/case-store.js"
import { classifyDatabaseError, type StorageDriver } from "../storage/driver.js"
import { migrate as runMigrations } from "../storage/migrations.js"
import type { CivicaseDatabase } from "../storage/schema.js"
import { dueAt } from "../timers/duration.js"
import { type EngineTesting, engineTesting } from "../timers/engine-testing.js"
import { type ClaimedTimer, TimerScheduler, type SchedulerOptions } from "../timers/scheduler.js"
import type { WorkflowDefinition } from "../workflow/define-workflow.js"
import { isInternalEvent } from "../workflow/define-workflow.js"
import { AccessPolicy, defaultProvinceWideRoles } from "./access.js"
import { listCases } from "./list-cases.js"
import { type Logger, consoleLogger } from "./logger.js"
import { acceptedEvents, flatState, type MachineStep, restoreSnapshot, startMachine, stepMachine } from "./machine-step.js"
import type {
  CaseFilter,
  CaseParties,
  CasePage,
  CaseView,
  CommittedTransition,
  CreateOptions,
  HistoryEntry,
  SendOptions,
  SendResult,
} from "./types.js"

/** Options of {@link createEngine}. */
export interface EngineOptions {
  /** A storage driver from `@civicase/adapters`: `pglite()` or `postgres()`. */
  readonly store: StorageDriver
  /** The workflow definitions this engine runs (several versions of one id may be registered). */
  readonly workflows?: ReadonlyArray<WorkflowDefinition>
  /** Plugins, run in this order. */
  readonly plugins?: ReadonlyArray<Plugin>
  /** Where time comes from; default the system clock. Use `testClock()` in tests. */
  readonly clock?: Clock
  /** Roles that see every case of their province. Default coordinator, coordinator_head, province_leader, observer. */
  readonly provinceWideRoles?: ReadonlyArray<string>
  /** Apply migrations when the engine starts (default true). */
  readonly migrate?: boolean
  /** Fire due timers in this process (default true). Several engines may share one database. */
  readonly scheduler?: boolean | SchedulerOptions
  readonly logger?: Logger
  /** Where outbox rows are delivered after commit (webhooks, in-process handlers); plugins may add more. */
  readonly notifiers?: ReadonlyArray<Notifier>
  /** Retry, backoff and lease settings of the outbox dispatcher. */
  readonly outbox?: OutboxOptions
  /**
   * Announce every commit with `NOTIFY civicase_transitions` (payload JSON
   * `{ caseId, rev, province, workflow, agencies, status }`) so that other
   * processes on the database (websocket servers) see it. Default: when the
   * driver has `listenNotify`.
   */
  readonly notify?: boolean
}

/** An in-process listener of committed transitions. */
export type TransitionListener = (transition: CommittedTransition) => void

/**
 * The civicase engine: creates cases, applies events in one transaction each,
 * fires durable timers, and reads cases and history. Every method authorizes
 * the actor.
 *
 * @example
 * const engine = createEngine({ store: pglite(), workflows: [leave] })
 * const c = await engine.createCase("leave", { days: 2 }, officer)
 * await engine.send(c.id, { type: "APPROVE" }, head)
 * await engine.close()
 */
export interface Engine {
  /** Starts a case of the newest registered version of `workflow`. */
  createCase(workflow: string, input: unknown, actor: Actor, options?: CreateOptions): Promise<SendResult>
  /** Applies one event; refused events change nothing. */
  send(caseId: string, event: { type: string; payload?: unknown }, actor: Actor, options?: SendOptions): Promise<SendResult>
  getCase(caseId: string, actor: Actor): Promise<CaseView>
  listCases(filter: CaseFilter, actor: Actor): Promise<CasePage>
  history(caseId: string, actor: Actor): Promise<HistoryEntry[]>
  /** Calls `listener` after each commit made by this engine; returns the unsubscribe function. */
  subscribe(listener: TransitionListener): () => void
  /** The registered workflow definitions. */
  workflows(): ReadonlyArray<WorkflowDefinition>
  /** A definition by id (newest version unless `version` is given). */
  workflow(id: string, version?: number): WorkflowDefinition
  /** Applies pending migrations; returns the versions applied. */
  migrate(): Promise<number[]>
  /** Migrates (unless disabled), runs plugins' `onStart` and starts the timer scheduler. Called by every method on first use. */
  start(): Promise<void>
  /** Stops the scheduler, runs plugins' `onStop`, and closes the database. */
  close(): Promise<void>
  readonly clock: Clock
  /** The Kysely handle on civicase's tables, for adapters and plugins that add their own queries. */
  readonly db: Kysely<CivicaseDatabase>
  readonly driver: StorageDriver
  /** Fires every due timer now and returns how many fired (tests and `civicase` commands). */
  runDueTimers(): Promise<number>
  /** Test helpers: `await engine.testing.advanceTime("P3D")` moves the test clock and fires what fell due. */
  readonly testing: EngineTesting
  /**
   * Recomputes one case's hash chain and compares it with the case's head.
   * The actor must be able to see the case (else `CaseNotFoundError`).
   */
  verify(caseId: string, actor: Actor): Promise<CaseVerification>
  /**
   * Recomputes every chain in the database in bounded memory. An operator
   * function: it takes no actor and reads every province, so expose it only
   * to administrators (`civicase verify`).
   */
  verifyAll(options?: VerifyAllOptions): Promise<DatabaseVerification>
  /** Digests every case's chain head, to export and check later (operator function, no actor). */
  checkpoint(): Promise<Checkpoint>
  /** Checks an exported checkpoint against the database: removed cases, rewritten or truncated chains (operator function). */
  verifyCheckpoint(checkpoint: Checkpoint): Promise<CheckpointVerification>
  /** The outbox for operators: list, count, retry; `dispatch()` delivers what is due now. */
  readonly outbox: OutboxView & { dispatch(): Promise<DispatchResult> }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const MAX_KEY = 200
const MAX_ATTEMPTS = 200

interface Registered {
  readonly def: WorkflowDefinition
  readonly machine: AnyStateMachine
}

/** The time a computation reads; set before each synchronous machine step. */
interface StepTime {
  now: Date
}

function provideMachine(def: WorkflowDefinition, plugins: ReadonlyArray<Plugin>, time: StepTime): AnyStateMachine {
  let machine = def.machine as AnyStateMachine
  const delays: Record<string, (args: { context: unknown }) => number> = {}
  for (const [name, spec] of Object.entries(def.deadlines ?? {})) {
    delays[name] = ({ context }) => {
      const duration = typeof spec.duration === "function" ? spec.duration({ context, now: time.now }) : spec.duration
      return Math.max(0, dueAt(duration, time.now, def.calendar).getTime() - time.now.getTime())
    }
  }
  if (Object.keys(delays).length) machine = machine.provide({ delays })
  for (const plugin of plugins) {
    const impl = plugin.implementations?.[def.id]
    if (impl) machine = machine.provide(impl as any)
  }
  return machine
}

function partiesOf(def: WorkflowDefinition, context: unknown, fallbackOwner: string): CaseParties {
  const p = def.parties?.(context)
  const owner = p?.owner || fallbackOwner
  const cooperating = [...new Set((p?.cooperating ?? []).filter(Boolean))]
  return { owner, lead: p?.lead || null, cooperating }
}

function agenciesOf(parties: CaseParties): string[] {
  return [...new Set([parties.owner, ...(parties.lead ? [parties.lead] : []), ...parties.cooperating])]
}

function iso(d: Date | string): string {
  return typeof d === "string" ? new Date(d).toISOString() : d.toISOString()
}

/** The pending timers after a step: cancelled ones dropped, scheduled ones (re)set. */
function nextDeadlines(pending: ReadonlyArray<StoredDeadline>, step: MachineStep, now: Date, fired?: string) {
  const byId = new Map(pending.map((d) => [d.id, d]))
  const deletes = new Set<string>()
  if (fired) {
    byId.delete(fired)
    deletes.add(fired)
  }
  for (const id of step.cancelled) {
    if (byId.delete(id)) deletes.add(id)
  }
  const upserts: StoredDeadline[] = []
  for (const t of step.scheduled) {
    const d = { id: t.id, name: t.name, event: t.event as StoredDeadline["event"], dueAt: new Date(now.getTime() + t.delayMs).toISOString() }
    byId.set(t.id, d)
    deletes.delete(t.id)
    upserts.push(d)
  }
  const deadlines = [...byId.values()].sort((a, b) => a.dueAt.localeCompare(b.dueAt))
  return { deadlines, deletes: [...deletes], upserts }
}

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
  const plugins = options.plugins ?? []
  checkPlugins(plugins)
  const access = new AccessPolicy(options.provinceWideRoles ?? defaultProvinceWideRoles)
  const driver = options.store
  if (!driver || typeof driver.createDialect !== "function") {
    throw new InvalidConfigError("engine options", [{ path: "/store", message: "must be a storage driver such as pglite() or postgres()" }])
  }
  const db = new Kysely<CivicaseDatabase>({ dialect: driver.createDialect() })
  const time: StepTime = { now: new Date(0) }
  const notify = options.notify ?? driver.capabilities.listenNotify
  const announcement = (w: { id: string; rev: number; status: string; agencies: string[] }, province: string, workflow: string) =>
    notify ? JSON.stringify({ caseId: w.id, rev: w.rev, province, workflow, agencies: w.agencies, status: w.status }) : null

  const registry = new Map<string, Registered>()
  const newest = new Map<string, Registered>()
  const register = (def: WorkflowDefinition) => {
    if (registry.has(def.key)) throw new InvalidConfigError("engine options", [{ path: "/workflows", message: `${def.key} is registered twice` }])
    const entry = { def, machine: provideMachine(def, plugins, time) }
    registry.set(def.key, entry)
    const current = newest.get(def.id)
    if (!current || current.def.version < def.version) newest.set(def.id, entry)
  }
  for (const def of options.workflows ?? []) register(def)
  for (const plugin of plugins) for (const def of plugin.workflows ?? []) register(def)

  const listeners = new Set<TransitionListener>()
  let started: Promise<void> | undefined
  let closed = false
  const schedulerOptions = options.scheduler === false ? undefined : options.scheduler === true || options.scheduler === undefined ? {} : options.scheduler
  const timers = new TimerScheduler(db, clock, logger, (trx, timer) => deliverTimer(trx, timer), (t) => publish(t), schedulerOptions ?? {})
  const dispatcher = new OutboxDispatcher(db, clock, logger, [...(options.notifiers ?? []), ...plugins.flatMap((p) => p.notifiers ?? [])], options.outbox)
  /** Transitions whose statement wrote outbox rows: publishing them wakes the dispatcher. */
  const wroteOutbox = new WeakSet<CommittedTransition>()
  /** After-commit hooks run one transition at a time, in commit order. */
  let afterCommitQueue: Promise<void> = Promise.resolve()

  const registered = (workflow: string, version?: number): Registered => {
    const entry = version === undefined ? newest.get(workflow) : registry.get(`${workflow}@${version}`)
    if (!entry) throw new WorkflowNotFoundError(workflow, version)
    return entry
  }

  const ready = async () => {
    if (closed) throw new EngineClosedError()
    await (started ??= start())
  }

  async function start(): Promise<void> {
    try {
      if (options.migrate !== false) await runMigrations(db)
    } catch (e) {
      throw storageError(e)
    }
    for (const plugin of plugins) await plugin.hooks?.onStart?.({ db, clock, logger })
    if (schedulerOptions) timers.start()
    if (options.outbox?.enabled !== false) dispatcher.start()
  }

  function storageError(e: unknown): Error {
    if (isCivicaseError(e)) return e as unknown as Error
    return new StorageError(classifyDatabaseError(e).kind, e)
  }

  function view(row: CaseRow, actor: Actor, snapshot?: AnyMachineSnapshot): CaseView {
    const entry = registry.get(`${row.workflow}@${row.version}`)
    const parties: CaseParties = { owner: row.owner_agency, lead: row.lead_agency, cooperating: row.cooperating_agencies }
    let allowedEvents: string[] = []
    if (entry && row.status === "active") {
      const snap = snapshot ?? restoreSnapshot(entry.machine, row.snapshot)
      allowedEvents = acceptedEvents(snap).filter((type) => access.denial(actor, entry.def.permissions[type], parties) === undefined)
    }
    return {
      id: row.id,
      province: row.province,
      workflow: row.workflow,
      version: row.version,
      state: row.state,
      stateValue: row.state_value,
      status: row.status,
      context: row.context,
      rev: row.rev,
      parties,
      deadlines: (row.deadlines ?? []).map((d) => ({
        id: d.id,
        name: d.name,
        label: entry?.def.deadlines?.[d.name]?.label,
        dueAt: d.dueAt,
        event: d.event.type,
      })),
      allowedEvents,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    }
  }

  async function runBefore(
    call: (plugin: Plugin) => void | HookResult | Promise<void | HookResult> | undefined,
  ): Promise<{ meta: Record<string, unknown>; outbox: OutboxMessage[] }> {
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

  function publish(t: CommittedTransition) {
    for (const listener of listeners) {
      try {
        listener(t)
      } catch (e) {
        logger.error("transition listener failed", { caseId: t.caseId, rev: t.rev, error: (e as Error).message })
      }
    }
    if (wroteOutbox.has(t)) dispatcher.poke()
    if (plugins.length === 0) return
    afterCommitQueue = afterCommitQueue.then(async () => {
      for (const plugin of plugins) {
        const hook = plugin.hooks?.afterCommit
        if (!hook) continue
        try {
          await hook(t)
        } catch (e) {
          logger.error("after-commit hook failed; the commit stands", { plugin: plugin.name, caseId: t.caseId, rev: t.rev, error: (e as Error).message })
        }
      }
    })
  }

  function committed(write: CaseWrite & { province: string; workflow: string; version: number }, actor: Actor, emitted: MachineStep["emitted"]): CommittedTransition {
    const t: CommittedTransition = {
      caseId: write.id,
      province: write.province,
      workflow: write.workflow,
      version: write.version,
      rev: write.rev,
      event: write.history.type,
      payload: write.history.payload,
      actor,
      at: write.at.toISOString(),
      from: write.history.from,
      to: write.history.to,
      status: write.status,
      agencies: write.agencies,
      emitted,
      meta: write.history.meta ?? {},
      deadlines: write.deadlines.map((d) => ({ name: d.name, dueAt: d.dueAt })),
    }
    if (write.outbox.length > 0) wroteOutbox.add(t)
    return t
  }

  function rowFromWrite(w: CaseWrite, base: { province: string; workflow: string; version: number; createdBy: string; createdAt: Date }): CaseRow {
    return {
      id: w.id,
      province: base.province,
      workflow: base.workflow,
      version: base.version,
      state: w.state,
      state_value: w.stateValue,
      status: w.status,
      context: w.context,
      snapshot: w.snapshot,
      rev: w.rev,
      owner_agency: w.owner,
      lead_agency: w.lead,
      cooperating_agencies: w.cooperating,
      agencies: w.agencies,
      deadlines: w.deadlines,
      next_due_at: w.nextDueAt ? new Date(w.nextDueAt) : null,
      head_hash: w.headHash,
      created_by: base.createdBy,
      created_at: base.createdAt,
      updated_at: w.at,
    }
  }

  function checkKey(key: string | undefined, what: string) {
    if (key !== undefined && (typeof key !== "string" || key.length === 0 || key.length > MAX_KEY)) {
      throw new ValidationError([{ path: "/idempotencyKey", message: `must be a string of 1 to ${MAX_KEY} characters` }], what)
    }
  }

  async function createCase(workflow: string, input: unknown, actor: Actor, opts: CreateOptions = {}): Promise<SendResult> {
    await ready()
    const { def, machine } = registered(workflow)
    checkKey(opts.idempotencyKey, "case")
    const denial = access.denial(actor, def.start, undefined)
    if (denial) throw new ForbiddenError(`start a ${def.id} case`, denial)
    const issues = def.checkInput(input ?? {})
    if (issues.length) throw new ValidationError(issues, "input")
    if (opts.idempotencyKey) {
      const existing = await caseStore.findByCreateKey(db, actor.province, actor.id, opts.idempotencyKey).catch((e) => {
        throw storageError(e)
      })
      if (existing) return { ...view(existing, actor), replayed: true }
    }
    const hooks = await runBefore((p) => p.hooks?.beforeCreate?.({ workflow: def.id, version: def.version, input, actor, db }))
    const id = randomUUID()
    const now = clock.now()
    time.now = now
    const step = startMachine(machine, { input: input ?? {}, actor, caseId: id, now: now.toISOString() })
    const snapshot = step.snapshot
    const parties = partiesOf(def, snapshot.context, actor.agency)
    const agencies = agenciesOf(parties)
    const state = flatState(snapshot.value)
    const { deadlines, upserts } = nextDeadlines([], step, now)
    const history = { type: "case.created", payload: input ?? {}, actor, at: now, from: null, to: state }
    const write = {
      id,
      rev: 1,
      state,
      stateValue: snapshot.value,
      status: snapshot.status === "done" ? ("done" as const) : ("active" as const),
      context: snapshot.context,
      snapshot: machine.getPersistedSnapshot(snapshot),
      owner: parties.owner,
      lead: parties.lead,
      cooperating: [...parties.cooperating],
      agencies,
      deadlines,
      nextDueAt: deadlines[0]?.dueAt ?? null,
      headHash: "",
      at: now,
      history: {
        ...history,
        idempotencyKey: null,
        meta: Object.keys(hooks.meta).length ? hooks.meta : null,
        prevHash: GENESIS_HASH,
        hash: chainHash(GENESIS_HASH, { caseId: id, rev: 1, ...history }),
      },
      timerDeletes: [],
      deleteAllTimers: false,
      timerUpserts: upserts,
      outbox: [...step.emitted.map((e) => ({ topic: e.type, payload: e })), ...hooks.outbox],
      province: actor.province,
      workflow: def.id,
      version: def.version,
      createdBy: actor.id,
      createKey: opts.idempotencyKey ?? null,
      notify: null as string | null,
    }
    write.headHash = write.history.hash
    write.notify = announcement(write, actor.province, def.id)
    try {
      await caseStore.insert(db, write)
    } catch (e) {
      const failure = classifyDatabaseError(e)
      if (failure.kind === "unique-violation" && opts.idempotencyKey) {
        const existing = await caseStore.findByCreateKey(db, actor.province, actor.id, opts.idempotencyKey)
        if (existing) return { ...view(existing, actor), replayed: true }
      }
      throw storageError(e)
    }
    const row = rowFromWrite(write, { province: actor.province, workflow: def.id, version: def.version, createdBy: actor.id, createdAt: now })
    publish(committed(write, actor, step.emitted))
    if (upserts[0]) timers.wakeBy(new Date(upserts.reduce((a, b) => (a.dueAt < b.dueAt ? a : b)).dueAt))
    return view(row, actor, snapshot)
  }

  async function loadVisible(executor: Executor, caseId: string, actor: Actor, idempotencyKey?: string) {
    if (typeof caseId !== "string" || !UUID.test(caseId)) throw new CaseNotFoundError(String(caseId))
    let row
    try {
      row = await caseStore.load(executor, caseId, idempotencyKey)
    } catch (e) {
      throw storageError(e)
    }
    if (!row || !access.canSee(actor, row.province, row.agencies)) throw new CaseNotFoundError(caseId)
    return row
  }

  /**
   * Computes and writes one transition. Returns undefined when the case moved
   * on under us (the caller reloads and tries again).
   */
  async function attempt(
    executor: Executor,
    row: CaseRow,
    entry: Registered,
    machineEvent: { type: string },
    history: { type: string; payload: unknown; actor: Actor; idempotencyKey: string | null },
    hooks: { meta: Record<string, unknown>; outbox: OutboxMessage[] },
    firedTimer?: string,
  ): Promise<{ row: CaseRow; snapshot: AnyMachineSnapshot; write: CaseWrite; step: MachineStep } | "moved" | "not-accepted"> {
    const snapshot = restoreSnapshot(entry.machine, row.snapshot)
    if (!snapshot.can(machineEvent as any)) return "not-accepted"
    const now = clock.now()
    time.now = now
    const step = stepMachine(entry.machine, snapshot, machineEvent)
    const next = step.snapshot
    const status = next.status === "done" ? ("done" as const) : ("active" as const)
    const parties = partiesOf(entry.def, next.context, row.owner_agency)
    const state = flatState(next.value)
    const timers = nextDeadlines(row.deadlines ?? [], step, now, firedTimer)
    const deadlines = status === "done" ? [] : timers.deadlines
    const rev = row.rev + 1
    const fields = { type: history.type, payload: history.payload, actor: history.actor, at: now, from: row.state, to: state }
    const hash = chainHash(row.head_hash, { caseId: row.id, rev, ...fields })
    const meta = { ...hooks.meta }
    const write: CaseWrite = {
      id: row.id,
      rev,
      state,
      stateValue: next.value,
      status,
      context: next.context,
      snapshot: entry.machine.getPersistedSnapshot(next),
      owner: parties.owner,
      lead: parties.lead,
      cooperating: [...parties.cooperating],
      agencies: agenciesOf(parties),
      deadlines,
      nextDueAt: deadlines[0]?.dueAt ?? null,
      headHash: hash,
      at: now,
      history: { ...fields, idempotencyKey: history.idempotencyKey, meta: Object.keys(meta).length ? meta : null, prevHash: row.head_hash, hash },
      timerDeletes: timers.deletes,
      deleteAllTimers: status === "done",
      timerUpserts: status === "done" ? [] : timers.upserts,
      outbox: [...step.emitted.map((e) => ({ topic: e.type, payload: e })), ...hooks.outbox],
      notify: null,
    }
    write.notify = announcement(write, row.province, row.workflow)
    const ok = await caseStore.update(executor, write)
    if (!ok) return "moved"
    const newRow = rowFromWrite(write, { province: row.province, workflow: row.workflow, version: row.version, createdBy: row.created_by, createdAt: row.created_at })
    return { row: newRow, snapshot: next, write, step }
  }

  async function send(caseId: string, event: { type: string; payload?: unknown }, actor: Actor, opts: SendOptions = {}): Promise<SendResult> {
    await ready()
    if (typeof event?.type !== "string" || event.type.length === 0 || event.type.length > 100) {
      throw new ValidationError([{ path: "/type", message: "must be an event type of 1 to 100 characters" }], "event")
    }
    checkKey(opts.idempotencyKey, "event")
    if (opts.expectedRev !== undefined && !Number.isInteger(opts.expectedRev)) {
      throw new ValidationError([{ path: "/expectedRev", message: "must be an integer" }], "event")
    }
    const payload = event.payload ?? {}
    let hooks: { meta: Record<string, unknown>; outbox: OutboxMessage[] } | undefined
    for (let tries = 0; ; tries++) {
      const row = await loadVisible(db, caseId, actor, opts.idempotencyKey)
      if (row.replay_rev !== null) return { ...view(row, actor), replayed: true }
      if (opts.expectedRev !== undefined && row.rev !== opts.expectedRev) throw new RevisionConflictError(caseId, opts.expectedRev, row.rev)
      const entry = registered(row.workflow, row.version)
      const parties: CaseParties = { owner: row.owner_agency, lead: row.lead_agency, cooperating: row.cooperating_agencies }
      if (row.status === "done") throw new CaseClosedError(caseId, row.state)
      const permission = entry.def.permissions[event.type]
      if (isInternalEvent(event.type) || !permission) {
        const snap = restoreSnapshot(entry.machine, row.snapshot)
        throw new EventNotAcceptedError(caseId, event.type, row.state, acceptedEvents(snap))
      }
      const denial = access.denial(actor, permission, parties)
      if (denial) throw new ForbiddenError(`send ${event.type}`, denial)
      const issues = entry.def.checks.get(event.type)?.(payload) ?? []
      if (issues.length) throw new ValidationError(issues, `payload of ${event.type}`)
      hooks ??= await runBefore((p) =>
        p.hooks?.beforeEvent?.({
          caseId,
          workflow: row.workflow,
          version: row.version,
          state: row.state,
          context: row.context,
          event: { type: event.type, payload },
          actor,
        }),
      )
      let result
      try {
        result = await attempt(db, row, entry, { type: event.type, payload, actor } as any, { type: event.type, payload, actor, idempotencyKey: opts.idempotencyKey ?? null }, hooks)
      } catch (e) {
        const failure = classifyDatabaseError(e)
        if (failure.kind === "unique-violation" || failure.kind === "retryable") result = "moved" as const
        else throw storageError(e)
      }
      if (result === "not-accepted") {
        const accepted = acceptedEvents(restoreSnapshot(entry.machine, row.snapshot))
        throw new EventNotAcceptedError(caseId, event.type, row.state, accepted, accepted.includes(event.type) ? "condition" : "state")
      }
      if (result === "moved") {
        if (opts.expectedRev !== undefined) {
          const now = await caseStore.load(db, caseId).catch(() => undefined)
          throw new RevisionConflictError(caseId, opts.expectedRev, now?.rev)
        }
        if (tries >= MAX_ATTEMPTS) throw new RevisionConflictError(caseId, row.rev, undefined)
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(10, tries)))
        continue
      }
      publish(committed({ ...result.write, province: row.province, workflow: row.workflow, version: row.version }, actor, result.step.emitted))
      const soonest = result.write.timerUpserts.reduce<string | undefined>((a, b) => (a === undefined || b.dueAt < a ? b.dueAt : a), undefined)
      if (soonest) timers.wakeBy(new Date(soonest))
      return view(result.row, actor, result.snapshot)
    }
  }

  /** Delivers one claimed timer inside the scheduler's transaction; a stale timer is dropped. */
  async function deliverTimer(trx: Executor, timer: ClaimedTimer): Promise<CommittedTransition | undefined> {
    const event = timer.event as { type: string }
    for (;;) {
      const row = await caseStore.load(trx, timer.case_id)
      const entry = row && registry.get(`${row.workflow}@${row.version}`)
      // Another engine (a rolling deployment) may still run this version: hold the timer back, do not drop it.
      if (row && !entry && row.status === "active") throw new WorkflowNotFoundError(row.workflow, row.version)
      const result =
        row && entry && row.status === "active"
          ? await attempt(trx, row, entry, event, { type: event.type, payload: {}, actor: systemActor(row.province), idempotencyKey: null }, { meta: { deadline: timer.name }, outbox: [] }, timer.id)
          : ("not-accepted" as const)
      if (result === "moved") continue
      if (result === "not-accepted") {
        // Stale: the case moved on without cancelling this timer (or is gone); drop it.
        await sql`delete from civicase_timers where case_id = ${timer.case_id} and id = ${timer.id}`.execute(trx)
        return undefined
      }
      return committed({ ...result.write, province: row!.province, workflow: row!.workflow, version: row!.version }, result.write.history.actor as Actor, result.step.emitted)
    }
  }

  async function getCase(caseId: string, actor: Actor): Promise<CaseView> {
    await ready()
    return view(await loadVisible(db, caseId, actor), actor)
  }

  async function history(caseId: string, actor: Actor): Promise<HistoryEntry[]> {
    await ready()
    await loadVisible(db, caseId, actor)
    const rows = await db.selectFrom("civicase_history").selectAll().where("case_id", "=", caseId).orderBy("rev").execute()
    return rows.map((r) => ({
      rev: r.rev,
      type: r.type,
      payload: r.payload,
      actor: r.actor as Actor,
      at: iso(r.at),
      from: r.from_state,
      to: r.to_state,
      meta: (r.meta as Record<string, unknown> | null) ?? null,
      prevHash: r.prev_hash,
      hash: r.hash,
    }))
  }

  const engine: Engine = {
    createCase,
    send,
    getCase,
    history,
    async listCases(filter, actor) {
      await ready()
      return listCases(db, access, filter, actor, clock.now(), (row) => view(row, actor))
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    workflows: () => [...registry.values()].map((e) => e.def),
    workflow: (id, version) => registered(id, version).def,
    async migrate() {
      return runMigrations(db)
    },
    start: ready,
    async close() {
      if (closed) return
      closed = true
      await started?.catch(() => undefined)
      await timers.stop()
      await dispatcher.stop()
      await afterCommitQueue
      for (const plugin of plugins) {
        try {
          await plugin.hooks?.onStop?.()
        } catch (e) {
          logger.error("plugin onStop failed", { plugin: plugin.name, error: (e as Error).message })
        }
      }
      await db.destroy()
    },
    clock,
    db,
    driver,
    async runDueTimers() {
      await ready()
      return timers.fireDue()
    },
    testing: engineTesting(clock, timers, ready),
    async verify(caseId, actor) {
      await ready()
      await loadVisible(db, caseId, actor)
      const r = await verifyCaseChain(db, caseId).catch((e) => {
        throw storageError(e)
      })
      if (!r) throw new CaseNotFoundError(caseId)
      return r
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
    outbox: {
      ...outboxView(db, () => clock.now()),
      async dispatch() {
        await ready()
        return dispatcher.dispatchDue()
      },
    },
  }
  return engine
}
