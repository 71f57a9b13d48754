import { type ProvinceDirectory, defaultProvinceWideRoles } from "@civicase/core"
import { successionsOf } from "./succession.js"
import type { Province } from "./types.js"

/**
 * What `province` decides about who may act in it, for the engine's
 * `provinces` option: its active agencies, its retired ones with their
 * successors, which agencies may hold each role, and its province-wide roles.
 * `provinceEngineOptions` passes it; an engine serving several provinces
 * gets one per province, keyed by id.
 *
 * @example
 * createEngine({ store, workflows, provinces: { [vinhPhuc.id]: provinceDirectory(vinhPhuc) } })
 */
export function provinceDirectory(province: Province): ProvinceDirectory {
  return {
    agencies: province.agencies.filter((a) => !a.retired).map((a) => a.id),
    // The final successor, chains followed: the agency whose staff now act for the retired one.
    retired: Object.fromEntries(successionsOf(province).map((s) => [s.from, s.to])),
    roles: Object.fromEntries(Object.entries(province.roles).map(([role, holders]) => [role, [...holders]])),
    provinceWideRoles: province.provinceWideRoles ?? defaultProvinceWideRoles,
  }
}
