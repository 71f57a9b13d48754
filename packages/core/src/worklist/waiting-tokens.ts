import type { AnyMachineSnapshot } from "xstate"
import { type Actor, SYSTEM_ROLE } from "../actor.js"
import { acceptedEvents } from "../engine/machine-step.js"
import type { CaseParties } from "../engine/types.js"
import type { Registered } from "../engine/workflow-registry.js"
import type { AgencyRule } from "../workflow/types.js"
import { ownValue } from "../input/own-value.js"

/** The agency a token names when the role may act from any agency. */
export const ANY_AGENCY = "*"

/** One (role, agency rule) pair a state's events are open to; resolved against the parties of each case. */
interface Opening {
  readonly role: string
  readonly rule: AgencyRule
}

/**
 * What a case waits for (đang chờ ai xử lý), as work-list tokens
 * `role@agency`: for each event its state accepts (guards not evaluated) and
 * whose permission does not say `worklist: false`, each of its roles at each
 * agency its rule admits: `role@*` for the `any` rule and for a province-wide
 * role under `party`, else `role@<owner|lead|cooperating agency>`. Stored on
 * every write, so a work list is one indexed array overlap (`waiting && actor
 * tokens`), never a scan of snapshots.
 *
 * The role/rule pairs depend only on the workflow version and the state, so
 * they are computed once per (version, state) and kept; each write only maps
 * them over the case's parties.
 *
 * @example
 * const tokens = new WaitingTokens(() => new Set(["coordinator"]))
 * tokens.of(entry, "review", snapshot, { owner: "agency-a", lead: null, cooperating: [] }, "demo")
 * // ["agency_head@agency-a", "coordinator@*"]
 */
export class WaitingTokens {
  private readonly openings = new Map<string, ReadonlyArray<Opening>>()

  /** `provinceWideRoles(province)`: the roles that see the whole of a case's province (they wait from any agency). */
  constructor(private readonly provinceWideRoles: (province: string) => ReadonlySet<string>) {}

  /** The sorted, distinct tokens of a case of `province` in `state` (its active snapshot) with these parties; none when done. */
  of(entry: Registered, state: string, snapshot: AnyMachineSnapshot, parties: CaseParties, province: string): string[] {
    if (snapshot.status === "done") return []
    const key = `${entry.def.key}\u0000${state}`
    let open = this.openings.get(key)
    if (!open) {
      open = this.openingsOf(entry, snapshot)
      this.openings.set(key, open)
    }
    const out = new Set<string>()
    const provinceWide = this.provinceWideRoles(province)
    for (const { role, rule } of open) {
      switch (rule) {
        case "any":
          out.add(`${role}@${ANY_AGENCY}`)
          break
        case "party":
          if (provinceWide.has(role)) out.add(`${role}@${ANY_AGENCY}`)
          else for (const a of partyAgencies(parties)) out.add(`${role}@${a}`)
          break
        case "owner":
          out.add(`${role}@${parties.owner}`)
          break
        case "lead":
          if (parties.lead) out.add(`${role}@${parties.lead}`)
          break
        case "cooperating":
          for (const a of parties.cooperating) out.add(`${role}@${a}`)
          break
      }
    }
    return [...out].sort()
  }

  private openingsOf(entry: Registered, snapshot: AnyMachineSnapshot): Opening[] {
    const seen = new Map<string, Opening>()
    for (const type of acceptedEvents(snapshot)) {
      const permission = ownValue(entry.def.permissions, type)
      if (!permission || permission.worklist === false) continue
      const rule = permission.agency ?? "party"
      for (const role of permission.roles) {
        if (role === SYSTEM_ROLE) continue
        seen.set(`${role}\u0000${rule}`, { role, rule })
      }
    }
    return [...seen.values()]
  }
}

function partyAgencies(parties: CaseParties): string[] {
  return [parties.owner, ...(parties.lead ? [parties.lead] : []), ...parties.cooperating]
}

/**
 * The tokens an actor matches: for each role, at its own agency and at any
 * agency. A case is actionable for the actor when its `waiting` shares one.
 *
 * @example
 * actorTokens({ id: "h1", province: "demo", agency: "agency-a", roles: ["agency_head"] }) // ["agency_head@agency-a", "agency_head@*"]
 */
export function actorTokens(actor: Actor): string[] {
  return actor.roles.filter((r) => r !== SYSTEM_ROLE).flatMap((r) => [`${r}@${actor.agency}`, `${r}@${ANY_AGENCY}`])
}

/**
 * True when two token lists hold the same tokens (both are kept sorted and distinct).
 *
 * @example
 * sameTokens(["a@x", "b@*"], ["a@x", "b@*"]) // true
 */
export function sameTokens(a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i])
}
