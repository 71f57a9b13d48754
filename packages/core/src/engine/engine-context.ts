import type { Kysely } from "kysely"
import type { Clock } from "../clock/clock.js"
import type { InputLimits } from "../input/input-limits.js"
import type { Plugin } from "../plugins/plugin.js"
import type { CivicaseDatabase } from "../storage/schema.js"
import type { WaitingTokens } from "../worklist/waiting-tokens.js"
import type { AccessPolicy } from "./access.js"
import type { TransitionPublisher } from "./transition-publisher.js"
import type { StepTime, WorkflowRegistry } from "./workflow-registry.js"

/** What a commit announces on `NOTIFY civicase_transitions`. */
export interface Announced {
  readonly id: string
  readonly rev: number
  readonly status: string
  readonly agencies: string[]
}

/**
 * The parts of one engine that its operations (create, send, deliver a timer)
 * share. Built once by `createEngine`.
 *
 * @example
 * const view = await createCase(context, "leave", { days: 2 }, officer, {})
 */
export interface EngineContext {
  readonly db: Kysely<CivicaseDatabase>
  readonly clock: Clock
  readonly access: AccessPolicy
  readonly plugins: ReadonlyArray<Plugin>
  readonly workflows: WorkflowRegistry
  /** Set to the transition's time before each machine step: named delays read it. */
  readonly time: StepTime
  readonly publisher: TransitionPublisher
  /** Bounds on case input and event payloads, checked before anything else reads them. */
  readonly inputLimits: InputLimits
  /** What each write stores as the case's work-list tokens (cached per workflow version and state). */
  readonly tokens: WaitingTokens
  /** The NOTIFY payload of a write, or null when this engine does not announce commits. */
  announcement(write: Announced, province: string, workflow: string): string | null
}
