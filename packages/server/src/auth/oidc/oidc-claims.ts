import { type Actor, ownValue } from "@civicase/core"
import { HttpProblem } from "../../http/problem.js"

/** Which ID-token claims carry the actor's parts (tên claim); each defaults to the civicase name. */
export interface OidcClaimNames {
  /** The agency id (`so-tttt`); default `agency`. */
  readonly agency?: string
  /** The roles: an array, or one string separated by spaces or commas; default `roles`. */
  readonly roles?: string
  /** The province id; default `province`. A token without it is taken as the server's province. */
  readonly province?: string
}

const claim = (claims: Readonly<Record<string, unknown>>, name: string): unknown => ownValue(claims, name)

/**
 * The actor an identity provider's claims describe, mapped by `names`.
 * A claim missing or of the wrong type is 401: the provider did not say who this is.
 *
 * @example
 * actorFromOidcClaims({ sub: "u-1", dept: "so-tttt", groups: "coordinator" }, { agency: "dept", roles: "groups" }, "vinh-phuc")
 * // { id: "u-1", province: "vinh-phuc", agency: "so-tttt", roles: ["coordinator"] }
 */
export function actorFromOidcClaims(claims: Readonly<Record<string, unknown>>, names: OidcClaimNames, province: string): Actor {
  const sub = claim(claims, "sub")
  const agency = claim(claims, names.agency ?? "agency")
  const rawRoles = claim(claims, names.roles ?? "roles")
  const claimedProvince = claim(claims, names.province ?? "province") ?? province
  const roles = typeof rawRoles === "string" ? rawRoles.split(/[\s,]+/).filter(Boolean) : rawRoles
  const bad = (what: string) => new HttpProblem("CIVICASE_E_UNAUTHENTICATED", `the identity provider's token has no usable ${what} claim`)
  if (typeof sub !== "string" || sub.length === 0 || sub.length > 200) throw bad("sub")
  if (typeof agency !== "string" || agency.length === 0 || agency.length > 100) throw bad(`agency ("${names.agency ?? "agency"}")`)
  if (!Array.isArray(roles) || roles.length === 0 || roles.length > 20 || !roles.every((r) => typeof r === "string" && r.length > 0 && r.length <= 100 && r !== "system")) {
    throw bad(`roles ("${names.roles ?? "roles"}")`)
  }
  if (typeof claimedProvince !== "string") throw bad(`province ("${names.province ?? "province"}")`)
  if (claimedProvince !== province) throw new HttpProblem("CIVICASE_E_UNAUTHENTICATED", `the identity is of province "${claimedProvince}"; this server serves "${province}"`)
  return { id: sub, province, agency, roles: roles as string[] }
}
