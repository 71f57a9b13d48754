/**
 * @civicase/core: the engine. Workflows are XState v5 machines plus payload
 * schemas, permissions and labels; every case transition commits in one
 * PostgreSQL statement with its hash-chained history row, timers and outbox rows.
 *
 * @example
 * import { createEngine, defineWorkflow } from "@civicase/core"
 * import { pglite } from "@civicase/adapters"
 * const engine = createEngine({ store: pglite(), workflows: [myWorkflow] })
 *
 * @packageDocumentation
 */
export { type Actor, SYSTEM_ROLE } from "./actor.js"
export { type Clock, type TestClock, systemClock, testClock } from "./clock/clock.js"
export { errorCodes, type ErrorCode } from "./errors/codes.js"
export {
  CaseClosedError,
  CaseNotFoundError,
  DocumentNotFoundError,
  type CivicaseError,
  type CivicaseErrorShape,
  EngineClosedError,
  EventNotAcceptedError,
  ForbiddenError,
  InternalError,
  InvalidConfigError,
  InvalidDefinitionError,
  PayloadTooLargeError,
  PersonNotFoundError,
  type LinkErrorCode,
  LinkRefusedError,
  RefusedByPluginError,
  RevisionConflictError,
  RoleNotHeldError,
  StorageError,
  SubscriptionNotFoundError,
  TargetRefusedError,
  UnknownActorError,
  UnsupportedMediaTypeError,
  ValidationError,
  type ValidationIssue,
  WorkflowNotFoundError,
  isCivicaseError,
} from "./errors/errors.js"
export { AccessPolicy, type AccessOptions, defaultProvinceWideRoles } from "./engine/access.js"
export type { ProvinceDirectory } from "./engine/province-directory.js"
export type { CompiledConfiguration, ConfigurationOptions } from "./config/configuration-options.js"
export type { ConfigApplyOptions, ConfigApplyResult, ConfigHistoryEntry, ConfigVersionView, EngineConfig } from "./config/config-runtime.js"
export { type ConfigChange, configDiff } from "./config/config-diff.js"
export { CONFIG_CHANNEL } from "./config/config-store.js"
export { type CaseMigrationPlan, type MigrationCaseInfo, migrationPlanIssues } from "./migration/migration-plan.js"
export type { MigrateCasesOptions, MigrationProgress, MigrationReport, MovedCase, UnmovableCase } from "./migration/migrate-cases.js"
export { createEngine } from "./engine/create-engine.js"
export type { Engine, EngineOptions, EngineReports, EngineWorklist, TransitionListener } from "./engine/engine.js"
export type { ActivityOptions } from "./activity/record-activity.js"
export type { AssignedPayload, AssignInput } from "./assignment/assign.js"
export { type AssignAction, type AssignmentOptions, assignActions, defaultAssignPermission } from "./assignment/assignment-rules.js"
export type { ReassignAllInput, ReassignAllOptions, ReassignAllResult, ReassignProgress } from "./assignment/reassign-all.js"
export { type CommentEntry, type CommentInput, type CommentPage, type CommentsOptions, textMentions } from "./comments/comment.js"
export type { AttachDocumentInput } from "./documents/attach-document.js"
export { databaseDocuments } from "./documents/database-documents.js"
export { type Decision, decisionSchema } from "./documents/decision.js"
export type { DocumentAttachedPayload, DocumentInfo } from "./documents/document-info.js"
export { type DocumentOptions, defaultAttachPermission, defaultMediaTypes } from "./documents/document-options.js"
export type { DocumentStore, DocumentStoreContext, DocumentStoreFactory, StoredBytes } from "./documents/document-store.js"
export { type MeteredBytes, meterBytes } from "./documents/meter-bytes.js"
export type { DocumentContent } from "./documents/read-documents.js"
export type { DocumentProblem, DocumentsVerification } from "./documents/verify-documents.js"
export type { PeopleDirectory, PeopleOptions } from "./people/people-service.js"
export type { PeopleFilter, Person, PersonInput, PersonPage } from "./people/person.js"
export { foldVietnamese, searchWords } from "./search/fold.js"
export type { BackfillOptions, BackfillResult } from "./worklist/backfill.js"
export type { WorklistSummary } from "./worklist/summary.js"
export { actorTokens } from "./worklist/waiting-tokens.js"
export { type LogFields, type Logger, consoleLogger, silentLogger } from "./engine/logger.js"
export { flatState } from "./engine/machine-step.js"
export type {
  CaseAssignee,
  CaseFilter,
  CasePage,
  CaseParties,
  CaseStatus,
  CaseView,
  CommittedTransition,
  CreateOptions,
  Deadline,
  HistoryEntry,
  SendOptions,
  SendResult,
} from "./engine/types.js"
export {
  type Checkpoint,
  type CheckpointHead,
  type CheckpointVerification,
  checkpointDigest,
} from "./history/checkpoint.js"
export { CHAIN_FORMAT, CHAIN_FORMATS, type ChainFormat, GENESIS_HASH, type HashedFields, canonicalJson, chainHash } from "./history/hash.js"
export { jcs } from "./history/jcs.js"
export type { CaseVerification, DatabaseVerification, VerifyAllOptions, VerifyProgress } from "./history/verify.js"
export { inputIssues } from "./input/input-issues.js"
export { type InputLimits, defaultInputLimits } from "./input/input-limits.js"
export { hasOwnKey, ownValue } from "./input/own-value.js"
export { valueAt } from "./input/json-pointer.js"
export type { EngineLinks, ForwardRequest, InboundResult } from "./links/engine-links.js"
export { type LinkForward, type LinkStatus, linkForwardSchema, linkStatusSchema } from "./links/link-messages.js"
export { type InboundMapping, type LinkOptions, linkActorId, mapInput, resolveLinkOptions } from "./links/link-options.js"
export type { Link } from "./links/link-view.js"
export { CHANNEL_NAMES, type OutboxTrace, type TimerTrace, type TransitionTrace, type VerifyReport, engineChannels, verifyChannel } from "./observe/channels.js"
export { type BackoffOptions, retryDelay } from "./outbox/backoff.js"
export type { DispatchResult, OutboxOptions } from "./outbox/dispatcher.js"
export { type DeliveryOutcome, type Notifier, type OutboxDelivery, acceptsTopic } from "./outbox/notifier.js"
export type { OutboxEntry, OutboxFilter, OutboxPage, OutboxStatus, OutboxView } from "./outbox/outbox-view.js"
export {
  type BeforeCreateContext,
  type BeforeEventContext,
  type HookResult,
  type OutboxMessage,
  type PendingCommit,
  type Plugin,
  type PluginHooks,
  type PluginStartContext,
  Refusal,
  definePlugin,
  refuse,
} from "./plugins/plugin.js"
export { type AuditContext, type AuditOptions, type AuditRecord, auditPlugin, withAuditContext } from "./plugins/builtin/audit.js"
export {
  type Notification,
  type NotificationRule,
  type NotificationsOptions,
  type NotifiedCase,
  type OutgoingNotification,
  notificationsPlugin,
} from "./plugins/builtin/notifications.js"
export {
  type DeadlineOutcome,
  type SlaFilter,
  type SlaMetricsPlugin,
  type SlaRow,
  type StateTime,
  slaMetricsPlugin,
} from "./plugins/builtin/sla-metrics.js"
export type { SlaReportFilter } from "./reports/sla-filter.js"
export type { SlaDeadlineFigures, SlaReportRow, SlaStateTime } from "./reports/sla-report.js"
export { type DatabaseFailure, type ListenOptions, type NotificationHandler, type PoolStats, type StorageCapabilities, type StorageDriver, classifyDatabaseError } from "./storage/driver.js"
export { type Migration, migrate, migrations } from "./storage/migrations.js"
export type { CivicaseDatabase } from "./storage/schema.js"
export { TRANSITIONS_CHANNEL } from "./storage/case-store.js"
export {
  type Calendar,
  type Duration,
  type DueDetails,
  calendarProblems,
  defaultCalendar,
  dueAt,
  dueDetails,
  durationProblem,
  isWorkingDay,
  parseIsoDuration,
} from "./timers/duration.js"
export { type HolidayRule, type LocalDate, type YearDecision, instantAt, localDateOf, parseLocalDate, vietnamPublicHolidays } from "./timers/calendar.js"
export { type CalendarGap, type CalendarYear, type YearKnowledge, calendarGaps, calendarYear } from "./timers/calendar-year.js"
export { type LunarDate, lunarDateOf, lunarYears, solarDateOfLunar } from "./timers/lunar.js"
export type { EngineTesting } from "./timers/engine-testing.js"
export type { SchedulerOptions } from "./timers/scheduler.js"
export { type WorkflowDefinition, defineWorkflow, isInternalEvent } from "./workflow/define-workflow.js"
export { type SchemaCheck, compileSchema } from "./workflow/json-schema.js"
export type { AgencyRule, CaseEvent, CaseInput, CountedDuration, DeadlineSpec, DocumentReference, JsonSchema, Label, Parties, Permission, WorkflowOptions } from "./workflow/types.js"
