import type { CaseEvent, JsonSchema, Label, Permission } from "@civicase/core"
import { agencyIdSchema } from "./schema-parts.js"
import { successionsOf } from "./succession.js"
import type { Province } from "./types.js"

/**
 * The event every workflow accepts in every non-final state when an agency
 * named by a case was retired or merged (chuyển giao cơ quan kế thừa): the
 * case's agencies change, its state does not.
 */
export const AGENCY_SUCCEEDED = "AGENCY_SUCCEEDED"

/** The payload of {@link AGENCY_SUCCEEDED}. */
export interface AgencySucceededPayload {
  /** The retired agency. */
  readonly from: string
  /** Its final successor, an active agency of the province. */
  readonly to: string
  readonly reason: string
  /** The province configuration version that retired `from`. */
  readonly configVersion?: number
}

/**
 * One hand-over recorded in a case's context (`context.successions`).
 * Signatures of acts done before it keep the agency as it was then: they
 * record a fact, and the hand-over itself is the link between the two ids.
 */
export interface AgencySuccession {
  readonly from: string
  readonly to: string
  readonly reason: string
  /** Who sent the event (an actor id; `system` for the engine). */
  readonly by: string
  readonly configVersion?: number
}

/** Bilingual label of {@link AGENCY_SUCCEEDED}. */
export const agencySucceededLabel: Label = { vi: "Chuyển giao cơ quan kế thừa", en: "Hand over to successor agency" }

/**
 * Who may hand cases over: the coordinator's director (giám đốc Sở TT&TT),
 * whichever agency the case names; the engine's system actor, which
 * `civicase apply-succession` uses, passes every rule. No `integration` role:
 * a party agency's system must not move a case's agencies. Every state
 * accepts it, so it stays off work lists (`worklist: false`): it would
 * otherwise put every open case on the director's list.
 */
export const agencySucceededPermission: Permission = { roles: ["coordinator_head"], agency: "any", worklist: false }

/**
 * The payload schema for `province`: `from` must be one of the agencies this
 * configuration retires, and `to` its final successor (chains followed), so
 * the event can move a retired agency's part of a case and nothing else (a
 * live owner cannot be handed over). A configuration that retires no agency
 * refuses every payload at `/from`, saying so.
 *
 * @example
 * compileSchema(agencySucceededSchema(province))({ from: "huyen-tam-dao", to: "tp-vinh-yen", reason: "Sáp nhập 2025" }) // []
 * compileSchema(agencySucceededSchema(province))({ from: "so-vhttdl", to: "so-tttt", reason: "…" })
 * // [{ path: "/from", message: 'must be an agency retired in vinh-phuc version 2: "huyen-binh-xuyen", "huyen-tam-dao"' }]
 */
export function agencySucceededSchema(province: Province): JsonSchema {
  const steps = successionsOf(province)
  const where = `${province.id} version ${province.version}`
  const from: JsonSchema = steps.length
    ? {
        enum: steps.map((s) => s.from),
        errorMessage: `must be an agency retired in ${where}: ${steps.map((s) => JSON.stringify(s.from)).join(", ")}`,
        description: "The retired agency named by the case.",
      }
    : { not: {}, errorMessage: `cannot be handed over: ${where} retires no agency`, description: "No agency is retired, so there is nothing to hand over." }
  return {
    type: "object",
    required: ["from", "to", "reason"],
    properties: {
      from,
      to: { ...agencyIdSchema, description: "The final successor of `from`: an active agency of the province." },
      reason: { type: "string", minLength: 1, maxLength: 2000, description: "Why (the decision that merged or retired the agency)." },
      configVersion: { type: "integer", minimum: 1, description: "The configuration version that retired the agency." },
    },
    additionalProperties: false,
    // One pair per retired agency; omitted when there is none (Ajv refuses an empty allOf).
    ...(steps.length
      ? {
          allOf: steps.map((s) => ({
            if: { properties: { from: { const: s.from } }, required: ["from"] },
            then: { properties: { to: { const: s.to, errorMessage: `must be "${s.to}", the final successor of "${s.from}" in ${where}` } } },
          })),
        }
      : {}),
  }
}

/**
 * What a workflow definition needs for the event: its payload schema,
 * permission and label, to spread into `defineWorkflow`'s options.
 *
 * @example
 * const s = agencySucceededDefinition(province)
 * defineWorkflow({ ..., events: { ...events, ...s.events }, permissions: { ...permissions, ...s.permissions } })
 */
export function agencySucceededDefinition(province: Province) {
  return {
    events: { [AGENCY_SUCCEEDED]: agencySucceededSchema(province) },
    permissions: { [AGENCY_SUCCEEDED]: agencySucceededPermission },
    labels: { [AGENCY_SUCCEEDED]: agencySucceededLabel },
  }
}

/**
 * The root-level transition of {@link AGENCY_SUCCEEDED}, the same in every
 * machine: no target (the state and its deadlines stay), guarded by the
 * machine's `namesRetiredAgency` and done by its `succeedAgency`, which know
 * where that workflow keeps its agencies.
 *
 * @example
 * setup({ guards: { namesRetiredAgency }, actions: { succeedAgency } }).createMachine({ on: { ...successionTransitions(), CANCEL: … } })
 */
export function successionTransitions() {
  return { [AGENCY_SUCCEEDED]: { guard: "namesRetiredAgency" as const, actions: "succeedAgency" as const } }
}

/**
 * The initial `context.successions` of a new case: no hand-over yet.
 *
 * @example
 * context: ({ input }) => ({ caseId: input.caseId, …, ...initialSuccessions() })
 */
export function initialSuccessions(): { successions: AgencySuccession[] } {
  return { successions: [] }
}

/** The payload of an `AGENCY_SUCCEEDED` event the machine received. */
export function successionPayload(event: CaseEvent): AgencySucceededPayload {
  return event.payload as AgencySucceededPayload
}

/**
 * Whether a case naming `named` agencies can hand `from` over: it names
 * `from`, and `to` is another agency. A guard of every machine, so a case
 * that does not name `from` refuses the event instead of recording nothing.
 *
 * @example
 * namesRetiredAgency(["so-tttt", "huyen-tam-dao"], event) // true for { from: "huyen-tam-dao", to: "tp-vinh-yen" }
 */
export function namesRetiredAgency(named: ReadonlyArray<string | null | undefined>, event: CaseEvent): boolean {
  const { from, to } = successionPayload(event)
  return from !== to && named.includes(from)
}

/** The record appended to `context.successions` (absent on cases started before hand-overs existed). */
export function recordSuccession(previous: ReadonlyArray<AgencySuccession> | undefined, event: CaseEvent): AgencySuccession[] {
  const { from, to, reason, configVersion } = successionPayload(event)
  return [...(previous ?? []), { from, to, reason, by: event.actor.id, ...(configVersion !== undefined ? { configVersion } : {}) }]
}

/**
 * `id`, with `from` replaced by `to`.
 *
 * @example
 * succeeded("huyen-tam-dao", "huyen-tam-dao", "tp-vinh-yen") // "tp-vinh-yen"
 */
export function succeeded<T extends string | null | undefined>(id: T, from: string, to: string): T | string {
  return id === from ? to : id
}

/**
 * A list of agency ids with `from` replaced by `to`, each id once (the
 * successor may already have been on the list).
 *
 * @example
 * succeededList(["a", "b", "c"], "a", "c") // ["c", "b"]
 */
export function succeededList(ids: ReadonlyArray<string>, from: string, to: string): string[] {
  return [...new Set(ids.map((id) => (id === from ? to : id)))]
}
