import { type Actor, SYSTEM_ROLE } from "../actor.js"
import type { Permission } from "../workflow/types.js"
import type { CaseParties } from "./types.js"

/** Roles that see every case of their province (coordinators, leaders, observers). */
export const defaultProvinceWideRoles: ReadonlyArray<string> = ["coordinator", "coordinator_head", "province_leader", "observer"]

/**
 * Who may see what; built once per engine from its `provinceWideRoles` and
 * exposed as `engine.access`, so that everything sending case data agrees with
 * the engine.
 *
 * @example
 * const access = new AccessPolicy(defaultProvinceWideRoles)
 * access.canSee(officer, "demo", ["agency-a"]) // true when officer.agency is agency-a
 */
export class AccessPolicy {
  private readonly wide: ReadonlySet<string>
  constructor(provinceWideRoles: ReadonlyArray<string>) {
    this.wide = new Set(provinceWideRoles)
  }

  /**
   * The engine's own actor (timers, operator commands): it passes every check.
   *
   * @example
   * access.isSystem(systemActor("demo")) // true
   */
  isSystem(actor: Actor): boolean {
    return actor.roles.includes(SYSTEM_ROLE)
  }

  /**
   * True for a province-wide role (điều phối, lãnh đạo tỉnh, quan sát by default) or the system actor.
   *
   * @example
   * access.seesWholeProvince({ id: "c1", province: "demo", agency: "so-tttt", roles: ["coordinator"] }) // true
   */
  seesWholeProvince(actor: Actor): boolean {
    return actor.roles.some((r) => this.wide.has(r)) || this.isSystem(actor)
  }

  /** An actor sees a case of its own province when it sees the whole province or its agency is a party. */
  canSee(actor: Actor, province: string, agencies: ReadonlyArray<string>): boolean {
    if (actor.province !== province) return false
    return this.seesWholeProvince(actor) || agencies.includes(actor.agency)
  }

  /** Why `actor` may not act under `permission` on a case with these parties, or undefined when it may. */
  denial(actor: Actor, permission: Permission | undefined, parties: CaseParties | undefined): string | undefined {
    if (this.isSystem(actor)) return undefined
    if (!permission) return "no permission is defined"
    if (permission.roles.length > 0 && !actor.roles.some((r) => permission.roles.includes(r))) {
      return `requires one of the roles ${permission.roles.join(", ")}`
    }
    if (!parties) return undefined
    const rule = permission.agency ?? "party"
    const agency = actor.agency
    switch (rule) {
      case "any":
        return undefined
      case "party":
        return this.seesWholeProvince(actor) || agency === parties.owner || agency === parties.lead || parties.cooperating.includes(agency)
          ? undefined
          : `agency ${agency} is not a party to this case`
      case "owner":
        return agency === parties.owner ? undefined : `only the owning agency (${parties.owner}) may`
      case "lead":
        return agency === parties.lead ? undefined : `only the lead agency (${parties.lead ?? "none"}) may`
      case "cooperating":
        return parties.cooperating.includes(agency) ? undefined : `agency ${agency} is not a cooperating agency`
    }
  }
}
