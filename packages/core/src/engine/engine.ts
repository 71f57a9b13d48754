import type { Kysely } from "kysely"
import type { Actor } from "../actor.js"
import type { Clock } from "../clock/clock.js"
import type { Checkpoint, CheckpointVerification } from "../history/checkpoint.js"
import type { InputLimits } from "../input/input-limits.js"
import type { CaseVerification, DatabaseVerification, VerifyAllOptions } from "../history/verify.js"
import type { DispatchResult, OutboxOptions } from "../outbox/dispatcher.js"
import type { Notifier } from "../outbox/notifier.js"
import type { OutboxView } from "../outbox/outbox-view.js"
import type { EngineLinks } from "../links/engine-links.js"
import type { LinkOptions } from "../links/link-options.js"
import type { Plugin } from "../plugins/plugin.js"
import type { SlaReportFilter } from "../reports/sla-filter.js"
import type { SlaReportRow } from "../reports/sla-report.js"
import type { StorageDriver } from "../storage/driver.js"
import type { CivicaseDatabase } from "../storage/schema.js"
import type { EngineTesting } from "../timers/engine-testing.js"
import type { SchedulerOptions } from "../timers/scheduler.js"
import type { WorkflowDefinition } from "../workflow/define-workflow.js"
import type { ActivityOptions } from "../activity/record-activity.js"
import type { AssignInput } from "../assignment/assign.js"
import type { AssignmentOptions } from "../assignment/assignment-rules.js"
import type { ReassignAllInput, ReassignAllOptions, ReassignAllResult } from "../assignment/reassign-all.js"
import type { CommentEntry, CommentInput, CommentPage, CommentsOptions } from "../comments/comment.js"
import type { AttachDocumentInput } from "../documents/attach-document.js"
import type { DocumentInfo } from "../documents/document-info.js"
import type { DocumentOptions } from "../documents/document-options.js"
import type { DocumentContent } from "../documents/read-documents.js"
import type { PeopleDirectory, PeopleOptions } from "../people/people-service.js"
import type { BackfillOptions, BackfillResult } from "../worklist/backfill.js"
import type { WorklistSummary } from "../worklist/summary.js"
import type { EngineConfig } from "../config/config-runtime.js"
import type { ConfigurationOptions } from "../config/configuration-options.js"
import type { CaseMigrationPlan } from "../migration/migration-plan.js"
import type { MigrateCasesOptions, MigrationReport } from "../migration/migrate-cases.js"
import type { AccessPolicy } from "./access.js"
import type { Logger } from "./logger.js"
import type { ProvinceDirectory } from "./province-directory.js"
import type { CaseFilter, CasePage, CaseView, CommittedTransition, CreateOptions, HistoryEntry, SendOptions, SendResult } from "./types.js"

/**
 * Options of `createEngine`.
 *
 * @example
 * const options: EngineOptions = { store: pglite(), workflows: [leave], clock: testClock(), scheduler: { maxIdleMs: 2000 } }
 */
export interface EngineOptions {
  /** A storage driver from `@civicase/adapters`: `pglite()` or `postgres()`. */
  readonly store: StorageDriver
  /** The workflow definitions this engine runs (several versions of one id may be registered). */
  readonly workflows?: ReadonlyArray<WorkflowDefinition>
  /** Plugins, run in this order. */
  readonly plugins?: ReadonlyArray<Plugin>
  /** Where time comes from; default the system clock. Use `testClock()` in tests. */
  readonly clock?: Clock
  /** Roles that see every case of their province, where `provinces` does not say. Default coordinator, coordinator_head, province_leader, observer. */
  readonly provinceWideRoles?: ReadonlyArray<string>
  /**
   * The provinces this engine serves, keyed by province id, each with its
   * agencies, which agencies may hold each role, and its province-wide roles
   * (`provinceEngineOptions(province)` of `@civicase/workflows` sets it).
   * With it, the engine refuses actors of other provinces, of unknown or
   * retired agencies, and roles claimed from an agency that may not hold them.
   * Without it, it refuses only the reserved `system` identity and keeps each
   * actor to its own province's cases. See docs/authorization.md.
   */
  readonly provinces?: Readonly<Record<string, ProvinceDirectory>>
  /** Apply migrations when the engine starts (default true). */
  readonly migrate?: boolean
  /** Fire due timers in this process (default true). Several engines may share one database. */
  readonly scheduler?: boolean | SchedulerOptions
  /** Where the engine reports what it cannot throw to a caller (failed hooks, timer and outbox passes) and, at `debug`, each commit. Pino-compatible: pass `pino()` or Fastify's `app.log`. Default `consoleLogger`, `silentLogger` in tests. */
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
  /**
   * Bounds on case input and event payloads (depth, keys, items, values,
   * string and key length); a value past one is a `ValidationError` naming
   * its path. Each limit left out keeps its default (`defaultInputLimits`).
   */
  readonly inputLimits?: Partial<InputLimits>
  /** The IANA zone bare dates of list filters are read in (`createdFrom: "2025-03-01"`); default Asia/Ho_Chi_Minh. */
  readonly timeZone?: string
  /** Who may record other people in the directory. */
  readonly people?: PeopleOptions
  /** Who may assign, reassign, claim, release and delegate cases (per province). */
  readonly assignment?: AssignmentOptions
  /** Where document bytes live, the size limit, the media-type allow-list, who may attach. */
  readonly documents?: DocumentOptions
  /**
   * Links with other civicase deployments (liên kết giữa các tỉnh): this
   * province, its peers, who may forward, and how forwarded cases start here.
   * The transport (signed HTTP) is `linkTransport` of `@civicase/adapters`.
   */
  readonly links?: LinkOptions
  /**
   * The province configuration as a versioned, replaceable whole
   * (`provinceConfiguration(province)` of `@civicase/workflows`): with it,
   * `engine.config.apply` stores a new version and puts it in force without a
   * restart, in every process of the deployment. See docs/province-changes.md.
   */
  readonly configuration?: ConfigurationOptions
  /** Plans that move running cases from one workflow version to another (`engine.migrateCases`); plugins may add theirs (`caseMigrations`). */
  readonly caseMigrations?: ReadonlyArray<CaseMigrationPlan>
}

/**
 * An in-process listener of committed transitions.
 *
 * @example
 * const unsubscribe = engine.subscribe((t) => console.log(t.caseId, t.rev, t.from, "->", t.to))
 */
export type TransitionListener = (transition: CommittedTransition) => void

/**
 * The civicase engine: creates cases, applies events in one transaction each,
 * fires durable timers, and reads cases and history. Every method taking an
 * actor first admits it (`engine.access.admit`: province, agency, roles as
 * the province binds them), then authorizes the call.
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
  /**
   * One case as `actor` sees it, with the events it may send now. A case the
   * actor may not see is `CaseNotFoundError`, like a missing one.
   *
   * @example
   * const c = await engine.getCase(id, head) // c.allowedEvents: ["APPROVE", "SEND_BACK"]
   */
  getCase(caseId: string, actor: Actor): Promise<CaseView>
  /**
   * One page of the cases `actor` may see, filtered; pass `nextCursor` back for the next page.
   *
   * @example
   * const page = await engine.listCases({ state: "review", overdue: true, limit: 20 }, coordinator)
   */
  listCases(filter: CaseFilter, actor: Actor): Promise<CasePage>
  /**
   * A case's hash-chained history (lịch sử xử lý), oldest first, if `actor` may see the case.
   *
   * @example
   * const rows = await engine.history(id, head) // [{ rev: 1, type: "case.created", … }, …]
   */
  history(caseId: string, actor: Actor): Promise<HistoryEntry[]>
  /** Calls `listener` after each commit made by this engine; returns the unsubscribe function. */
  subscribe(listener: TransitionListener): () => void
  /** The registered workflow definitions. */
  workflows(): ReadonlyArray<WorkflowDefinition>
  /** A definition by id (newest version unless `version` is given). */
  workflow(id: string, version?: number): WorkflowDefinition
  /** Applies pending migrations in one transaction; returns the versions applied. Refused after `close()`. */
  migrate(): Promise<number[]>
  /** Migrates (unless disabled), runs plugins' `onStart` and starts the timer scheduler. Called by every method on first use. */
  start(): Promise<void>
  /** Stops the scheduler, runs plugins' `onStop`, and closes the database. */
  close(): Promise<void>
  /**
   * The engine's clock: every transition, deadline and `listCases({ overdue })` reads it.
   *
   * @example
   * const now = engine.clock.now()
   */
  readonly clock: Clock
  /**
   * Who may see which case (phạm vi xem), as this engine decides it: servers
   * and plugins that send case data without asking the engine (live feeds,
   * reports) must use this same policy, never a copy built from options.
   *
   * @example
   * if (engine.access.canSee(actor, t.province, t.agencies)) socket.send(JSON.stringify(t))
   * engine.access.seesWholeProvince(actor) // coordinators, leaders, observers by default
   */
  readonly access: AccessPolicy
  /**
   * The bounds this engine puts on case input and event payloads; a server in
   * front of it refuses the same at its edge.
   *
   * @example
   * inputIssues(request.body.input, engine.inputLimits, { prefix: "body/input" })
   */
  readonly inputLimits: InputLimits
  /** The Kysely handle on civicase's tables, for adapters and plugins that add their own queries. */
  readonly db: Kysely<CivicaseDatabase>
  /**
   * The storage driver the engine was given (its capabilities, `listen` for other processes' commits).
   *
   * @example
   * const stop = await engine.driver.listen?.(TRANSITIONS_CHANNEL, (payload) => hub.announce(JSON.parse(payload)))
   */
  readonly driver: StorageDriver
  /** Fires every due timer now and returns how many fired (tests and `civicase` commands). */
  runDueTimers(): Promise<number>
  /** Test helpers: `await engine.testing.advanceTime("P3D")` moves the test clock and fires what fell due. */
  readonly testing: EngineTesting
  /**
   * Recomputes one case's hash chain and compares it with the case's head,
   * and re-hashes its documents against the SHA-256 their history rows
   * carry (`documents`). The actor must be able to see the case (else `CaseNotFoundError`).
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
  /**
   * Reports computed from the database (exact across restarts and servers),
   * for the actor's province only.
   *
   * @example
   * const rows = await engine.reports.sla({ workflow: "press-response", from: "2025-03-01", to: "2025-04-01" }, coordinator)
   * // [{ workflow: "press-response", agency: "so-tttt", casesByState: { triage: 2 }, deadlines: [{ name: "triageDeadline", met: 5, missed: 1 }], … }]
   */
  readonly reports: EngineReports
  /**
   * Links of cases to cases of other deployments: forward, list, and (for
   * the link transport, after it verified the peer) receive and update.
   *
   * @example
   * await engine.links.forward(caseId, { peer: "da-nang", kind: "press-incident", subject: { summary } }, coordinator)
   */
  readonly links: EngineLinks
  /** The outbox for operators: list, count, retry; `dispatch()` delivers what is due now. */
  readonly outbox: OutboxView & { dispatch(): Promise<DispatchResult> }
  /**
   * Assigns a case (or the step it waits on) to a person, or claims,
   * releases (`assignee: null`), delegates or reassigns it (phân công), as a
   * `case.assigned` history row; the new assignee gets a `notify.assigned`
   * outbox row. Assignment routes work; it does not take authority from
   * others who hold the role. See docs/assignments.md for who may do what.
   *
   * @example
   * await engine.assign(caseId, { assignee: "u-17", note: "Anh A xử lý" }, head)
   * await engine.assign(caseId, { assignee: officer.id }, officer) // claim
   * await engine.assign(caseId, { assignee: null }, officer)       // release
   */
  assign(caseId: string, input: AssignInput, actor: Actor, options?: ActivityOptions): Promise<SendResult>
  /**
   * Moves every open case assigned to `from` (that `actor` may see and reassign) to `to`, or releases them.
   *
   * @example
   * await engine.people.deactivate("u-17", head)
   * const r = await engine.reassignAll({ from: "u-17", to: "u-18", note: "nghỉ hưu" }, head) // { moved: 12, skipped: 0, failed: [] }
   */
  reassignAll(input: ReassignAllInput, actor: Actor, options?: ReassignAllOptions): Promise<ReassignAllResult>
  /**
   * Records a comment (ý kiến) on a case the actor may see, in any state;
   * mentioned people get a `notify.mention` outbox row.
   *
   * @example
   * await engine.comment(caseId, { text: "@u-18 nhờ anh xem lại số liệu" }, head)
   */
  comment(caseId: string, input: CommentInput, actor: Actor, options?: ActivityOptions): Promise<CommentEntry>
  /**
   * A case's comments, oldest first.
   *
   * @example
   * const page = await engine.comments(caseId, officer, { limit: 20 })
   */
  comments(caseId: string, actor: Actor, options?: CommentsOptions): Promise<CommentPage>
  /**
   * Attaches a document (tài liệu) to a case: bytes into the document store,
   * then a `case.document_attached` history row carrying its SHA-256.
   *
   * @example
   * const doc = await engine.attachDocument(caseId, { name: "bao-cao.pdf", mediaType: "application/pdf", bytes }, officer)
   */
  attachDocument(caseId: string, input: AttachDocumentInput, actor: Actor, options?: ActivityOptions): Promise<DocumentInfo>
  /**
   * The documents of a case the actor may see, in the order attached.
   *
   * @example
   * const docs = await engine.documents(caseId, officer)
   */
  documents(caseId: string, actor: Actor): Promise<DocumentInfo[]>
  /**
   * One document and its bytes (streamed), for an actor who may see the case.
   *
   * @example
   * const { document, bytes } = await engine.readDocument(caseId, docId, officer)
   */
  readDocument(caseId: string, documentId: string, actor: Actor): Promise<DocumentContent>
  /** The people directory (danh bạ cán bộ) of the actor's province. */
  readonly people: PeopleDirectory
  /**
   * The province configuration in force, its stored versions, and applying a new one at run time.
   *
   * @example
   * await engine.config.apply(nextVersion, coordinator) // { applied: true, version: 3, diff: [...] }
   */
  readonly config: EngineConfig
  /**
   * Moves the running cases of `plan.workflow@plan.from` (of the actor's
   * province) to `plan.to`, one hash-chained `case.migrated` history row each;
   * with `dryRun`, reports what would move and what cannot. Cases already
   * moved are skipped, so a run can be repeated or resumed. An operator
   * function: the actor must be the system actor or a coordinator head.
   *
   * @example
   * const r = await engine.migrateCases(planV1toV2, { actor: engine.access.systemActor("vinh-phuc"), dryRun: true })
   * // r.moved: [{ caseId, from: "draft", to: "drafting" }, …], r.cannot: []
   */
  migrateCases(plan: CaseMigrationPlan, options: MigrateCasesOptions): Promise<MigrationReport>
  /** The migration plans registered with the engine (`caseMigrations`, then plugins'). */
  caseMigrations(): ReadonlyArray<CaseMigrationPlan>
  /** Work-list badges, and the backfill of cases written before work lists existed. */
  readonly worklist: EngineWorklist
}

/**
 * The engine's work lists (danh sách việc); the lists themselves are
 * `listCases({ actionable: true })`, `listCases({ assignee })`.
 *
 * @example
 * const badges = await engine.worklist.summary(officer) // { actionable: 3, assigned: 1, agency: 12, overdue: 2 }
 */
export interface EngineWorklist {
  /** Counts of open cases per list for the actor's badges. */
  summary(actor: Actor): Promise<WorklistSummary>
  /**
   * Fills the work-list tokens, title and search text of cases written before
   * they existed (an operator function, no actor; run once after migrating).
   */
  backfill(options?: BackfillOptions): Promise<BackfillResult>
}

/**
 * The engine's reports (báo cáo).
 *
 * @example
 * const rows = await engine.reports.sla({}, engine.access.systemActor("vinh-phuc"))
 */
export interface EngineReports {
  /**
   * SLA figures per workflow and owning agency of the actor's province: cases
   * by state, cases done, transitions, time in state, deadlines met and
   * missed, escalations. Roles that see the whole province get every agency,
   * others only their own (another is `ForbiddenError`); bad filters are `ValidationError`.
   */
  sla(filter: SlaReportFilter, actor: Actor): Promise<SlaReportRow[]>
}
