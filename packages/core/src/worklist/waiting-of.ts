import type { EngineContext } from "../engine/engine-context.js"
import { restoreSnapshot } from "../engine/machine-step.js"
import type { CaseRow } from "../storage/case-store.js"
import { ANY_AGENCY, actorTokens } from "./waiting-tokens.js"
import type { Actor } from "../actor.js"

/**
 * What a case waits for: the stored tokens, or, on a row no write of this
 * version has touched yet, the tokens computed from its snapshot now.
 *
 * @example
 * const tokens = waitingOf(context, row) // ["agency_head@agency-a", "coordinator@*"]
 */
export function waitingOf(context: EngineContext, row: CaseRow): ReadonlyArray<string> {
  if (row.waiting !== null) return row.waiting
  const entry = context.workflows.pinned(row.workflow, row.version)
  if (!entry || row.status !== "active") return []
  const parties = { owner: row.owner_agency, lead: row.lead_agency, cooperating: row.cooperating_agencies }
  return context.tokens.of(entry, row.state, restoreSnapshot(entry.machine, row.snapshot, row.context), parties, row.province)
}

/**
 * True when `actor` holds a role the case waits for, at its agency or at any
 * agency: it can act on the case now (guards aside).
 *
 * @example
 * canActNow(["agency_head@agency-a"], head) // true for the head of agency-a
 */
export function canActNow(waiting: ReadonlyArray<string>, actor: Actor): boolean {
  const mine = new Set(actorTokens(actor))
  return waiting.some((t) => mine.has(t))
}

/**
 * The agencies a case waits on (those its tokens name) and the roles it waits
 * for from any agency.
 *
 * @example
 * waitedOn(["agency_head@agency-a", "coordinator@*"]) // { agencies: Set {"agency-a"}, anywhere: Set {"coordinator"} }
 */
export function waitedOn(waiting: ReadonlyArray<string>): { agencies: Set<string>; anywhere: Set<string> } {
  const agencies = new Set<string>()
  const anywhere = new Set<string>()
  for (const t of waiting) {
    const at = t.indexOf("@")
    const role = t.slice(0, at)
    const agency = t.slice(at + 1)
    if (agency === ANY_AGENCY) anywhere.add(role)
    else agencies.add(agency)
  }
  return { agencies, anywhere }
}
