import { ownValue } from "@civicase/core"
import type { Province } from "./types.js"

/**
 * Agencies whose staff may hold one of `roles` in `province` (a `"*"` entry
 * names no agency). A role the province file does not list has no holders,
 * whatever its name.
 *
 * @example
 * holdersOf(province, ["spokesperson"]) // ["so-tttt"]
 */
export function holdersOf(province: Province, roles: ReadonlyArray<string>): string[] {
  return [...new Set(roles.flatMap((r) => ownValue(province.roles, r) ?? []).filter((a) => a !== "*"))]
}
