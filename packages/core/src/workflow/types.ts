import type { AnyStateMachine } from "xstate"
import type { Actor } from "../actor.js"
import type { Calendar, Duration } from "../timers/duration.js"

/** A text in Vietnamese and English. */
export interface Label {
  readonly vi: string
  readonly en: string
}

/** A JSON Schema (draft 2020-12 subset checked by Ajv). */
export type JsonSchema = Readonly<Record<string, unknown>>

/**
 * Which agency relation the actor must hold to a case:
 * - `any`: any agency of the case's province;
 * - `party`: the owner, lead or a cooperating agency;
 * - `owner` / `lead` / `cooperating`: that relation exactly.
 */
export type AgencyRule = "any" | "party" | "owner" | "lead" | "cooperating"

/** Who may send one event (or start a case). */
export interface Permission {
  readonly roles: ReadonlyArray<string>
  /** Default `party`. Province-wide roles (see engine options) pass any rule but `owner`/`lead`/`cooperating`. */
  readonly agency?: AgencyRule
  /**
   * Whether holders of this permission see the case in their work list
   * (danh sách việc) while the event is accepted; default true. Set false for
   * administrative events that every state accepts (a hand-over to a
   * successor agency), so they do not make every case actionable.
   *
   * @example
   * permissions: { AGENCY_SUCCEEDED: { roles: ["coordinator_head"], agency: "any", worklist: false } }
   */
  readonly worklist?: boolean
}

/**
 * What one document reference in an event payload requires (see
 * `WorkflowOptions.documents`).
 *
 * @example
 * const ref: DocumentReference = { decision: true } // must be an official decision (văn bản quyết định)
 */
export interface DocumentReference {
  /** The document must carry decision metadata (số, ký hiệu, loại văn bản, người ký). */
  readonly decision?: boolean
}

/** The agencies concerned by a case, derived from its context after every transition. */
export interface Parties {
  readonly owner: string
  readonly lead?: string | undefined
  readonly cooperating?: ReadonlyArray<string> | undefined
}

/**
 * A duration counted from an instant before the state was entered, because
 * the law counts it from an earlier event: a complaint window runs from the
 * day the decision was received, not from the day its receipt was recorded.
 * A `from` after the engine's now (or not a date) counts from now.
 *
 * @example
 * const window: CountedDuration = { duration: { calendarDays: 90 }, from: context.notification.notifiedAt }
 */
export interface CountedDuration {
  readonly duration: Duration
  /** ISO 8601 instant. */
  readonly from: string
}

/** A named deadline: the XState delay of the same name takes its duration from here. */
export interface DeadlineSpec<TContext = any> {
  readonly label: Label
  /**
   * The duration, computed when the state is entered (configuration usually decides it).
   * `now` is the engine clock's time, so a deadline can fall on a fixed date (a report due on 15 April).
   */
  readonly duration: Duration | ((args: { context: TContext; now: Date }) => Duration | CountedDuration)
  /**
   * The JSON Pointer of the configuration value the duration comes from
   * (`/workflows/plan/deadlines/review`), for documentation: generated pages
   * say whether that value cites a source or is an illustrative default.
   */
  readonly configPath?: string
}

/** The event the machine receives: the type, the checked payload and who sent it. */
export interface CaseEvent<TPayload = any> {
  readonly type: string
  readonly payload: TPayload
  readonly actor: Actor
}

/** The machine's input when a case starts. */
export interface CaseInput<TInput = any> {
  readonly input: TInput
  readonly actor: Actor
  readonly caseId: string
  readonly now: string
}

/** Options of {@link defineWorkflow}. */
export interface WorkflowOptions<TMachine extends AnyStateMachine = AnyStateMachine> {
  /** Stable id, kebab-case (`press-response`). */
  readonly id: string
  /** Positive integer; cases pin the version they started on. */
  readonly version: number
  /** An XState v5 machine made with `setup()`; its context must be JSON. */
  readonly machine: TMachine
  /** Payload JSON Schema for every event a person or system may send. */
  readonly events: Readonly<Record<string, JsonSchema>>
  /** Who may send each event; every key of `events` needs one. */
  readonly permissions: Readonly<Record<string, Permission>>
  /** Who may start a case (default: anyone in the province). */
  readonly start?: Permission
  /** JSON Schema of the case input. Default: any object. */
  readonly input?: JsonSchema
  /** Titles and labels for the workflow, its states (by state id path `a.b`) and events. */
  readonly labels: {
    readonly title: Label
    readonly description?: Label
    readonly states?: Readonly<Record<string, Label>>
    readonly events?: Readonly<Record<string, Label>>
  }
  /** Named deadlines; each is an XState delay used in `after`. */
  readonly deadlines?: Readonly<Record<string, DeadlineSpec>>
  /** The calendar deadlines count working days on. */
  readonly calendar?: Calendar
  /** The agencies concerned, from context. Default: the creating actor's agency owns the case. */
  readonly parties?: (context: any) => Parties
  /** JSON Schema of the configuration this workflow reads (documentation and checks). */
  readonly configSchema?: JsonSchema
  /**
   * The case's title (trích yếu) from its context: shown in lists and
   * searched. Computed on every write, so keep it cheap and pure.
   *
   * @example
   * title: (context: PressResponseContext) => context.report.summary.slice(0, 200)
   */
  readonly title?: (context: any) => string | undefined
  /**
   * Further texts that full-text search (`listCases({ q })`) finds a case by,
   * besides its title. Folded for Vietnamese (lower case, no diacritics), so
   * "sat lo" finds "Sạt lở". Written only when the text changes.
   *
   * @example
   * searchable: (context: PressResponseContext) => [context.report.source, context.category ?? undefined]
   */
  readonly searchable?: (context: any) => ReadonlyArray<string | null | undefined>
  /**
   * Payload fields that hold ids of documents attached to the case
   * (`engine.attachDocument`), by event type and JSON Pointer; a field holds
   * one id or an array of ids. `send` refuses with a `ValidationError` naming
   * the path an id that is not a document of this case, or one without
   * decision metadata where `decision: true`.
   *
   * @example
   * documents: { DECIDE_SANCTION: { "/decisionDocument": { decision: true }, "/annexes": {} } }
   */
  readonly documents?: Readonly<Record<string, Readonly<Record<string, DocumentReference>>>>
}
