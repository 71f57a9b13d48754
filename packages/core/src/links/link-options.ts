import { InvalidConfigError, type ValidationIssue } from "../errors/errors.js"
import { valueAt } from "../input/json-pointer.js"

/**
 * How a case of a peer becomes a case here: which workflow, and its input
 * built from the forwarded request. Each input field is a JSON pointer into
 * the request (`/subject/summary`, `/note`, `/from/caseId`) or a constant
 * `{ value }`; a pointer that finds nothing leaves the field out, and the
 * workflow's input schema decides whether that is acceptable.
 *
 * @example
 * { from: "vinh-phuc", kind: "press-incident", workflow: "press-response",
 *   input: { kind: { value: "incident" }, summary: "/subject/summary", source: "/subject/source" } }
 */
export interface InboundMapping {
  /** The peer province, or `*` for any configured peer. */
  readonly from: string
  readonly kind: string
  readonly workflow: string
  readonly input: Readonly<Record<string, string | { readonly value: unknown }>>
}

/**
 * Links between deployments (`createEngine({ links })`): who this province
 * is, its peers, who may forward, and how forwarded cases start here.
 *
 * @example
 * createEngine({ store, ...provinceEngineOptions(province), links: {
 *   province: "vinh-phuc", agency: "so-tttt", peers: ["da-nang"],
 *   inbound: [{ from: "da-nang", kind: "press-incident", workflow: "press-response", input: { kind: { value: "incident" }, summary: "/subject/summary" } }] } })
 */
export interface LinkOptions {
  /** This deployment's province (mã tỉnh). */
  readonly province: string
  /** The agency of the link actors (`link:<peer>`, role `integration`): one the province binds to that role. */
  readonly agency: string
  /** Province ids this deployment exchanges links with. */
  readonly peers: ReadonlyArray<string>
  /** Roles that may forward a case; default coordinator, coordinator_head. */
  readonly forwardRoles?: ReadonlyArray<string>
  /** The role of the link actors; default `integration`. */
  readonly integrationRole?: string
  /** How forwarded cases start here; none: this deployment takes no forwarded cases. */
  readonly inbound?: ReadonlyArray<InboundMapping>
}

/** The link options with their defaults, checked. */
export interface ResolvedLinkOptions extends Required<Omit<LinkOptions, "inbound">> {
  readonly inbound: ReadonlyArray<InboundMapping>
}

const PROVINCE = /^[a-z0-9][a-z0-9-]{0,62}$/
const KIND = /^[a-z0-9][a-z0-9._-]{0,99}$/
const POINTER = /^(\/([^~/]|~[01])*)+$/

/**
 * Checks link options, listing every problem by path (`/links/peers/0`),
 * and fills in the defaults.
 *
 * @example
 * const links = resolveLinkOptions({ province: "vinh-phuc", agency: "so-tttt", peers: ["da-nang"] })
 */
export function resolveLinkOptions(options: LinkOptions): ResolvedLinkOptions {
  const issues: ValidationIssue[] = []
  const at = (path: string, message: string) => issues.push({ path: `/links${path}`, message })
  if (typeof options?.province !== "string" || !PROVINCE.test(options.province)) at("/province", "must be a province id (lower case letters, digits, -)")
  if (typeof options?.agency !== "string" || options.agency.length === 0) at("/agency", "must be the agency the province binds to the integration role")
  const peers = Array.isArray(options?.peers) ? options.peers : []
  if (!Array.isArray(options?.peers)) at("/peers", "must be a list of province ids")
  for (const [i, p] of peers.entries()) {
    if (typeof p !== "string" || !PROVINCE.test(p)) at(`/peers/${i}`, "must be a province id")
    else if (p === options.province) at(`/peers/${i}`, "is this deployment's own province")
    else if (peers.indexOf(p) !== i) at(`/peers/${i}`, `${p} is listed twice`)
  }
  const roles = options?.forwardRoles ?? ["coordinator", "coordinator_head"]
  if (!Array.isArray(roles) || roles.length === 0 || roles.some((r) => typeof r !== "string" || r.length === 0)) at("/forwardRoles", "must be a non-empty list of roles")
  const role = options?.integrationRole ?? "integration"
  if (typeof role !== "string" || role.length === 0) at("/integrationRole", "must be a role name")
  const inbound = options?.inbound ?? []
  for (const [i, m] of inbound.entries()) {
    if (m?.from !== "*" && !peers.includes(m?.from)) at(`/inbound/${i}/from`, "must be a configured peer or *")
    if (typeof m?.kind !== "string" || !KIND.test(m.kind)) at(`/inbound/${i}/kind`, "must be a kind name (lower case letters, digits, . _ -)")
    if (typeof m?.workflow !== "string" || m.workflow.length === 0) at(`/inbound/${i}/workflow`, "must name a workflow")
    if (typeof m?.input !== "object" || m.input === null || Array.isArray(m.input)) at(`/inbound/${i}/input`, "must map input fields to JSON pointers or { value }")
    else {
      for (const [field, source] of Object.entries(m.input)) {
        const constant = typeof source === "object" && source !== null && Object.hasOwn(source, "value")
        if (!constant && (typeof source !== "string" || !POINTER.test(source))) at(`/inbound/${i}/input/${field}`, "must be a JSON pointer such as /subject/summary, or { value }")
      }
    }
  }
  if (issues.length) throw new InvalidConfigError("link options", issues)
  return { province: options.province, agency: options.agency, peers: [...peers], forwardRoles: [...roles], integrationRole: role, inbound: [...inbound] }
}

/** The id of the actor a peer's requests are recorded under here. */
export function linkActorId(peer: string): string {
  return `link:${peer}`
}

/**
 * The input of a case started from `forward` by `mapping`: each field read
 * by its JSON pointer (own properties only) or taken as its constant.
 *
 * @example
 * mapInput({ summary: "/subject/summary", kind: { value: "incident" } }, forward) // { summary: "…", kind: "incident" }
 */
export function mapInput(input: InboundMapping["input"], forward: unknown): Record<string, unknown> {
  const out = new Map<string, unknown>()
  for (const [field, source] of Object.entries(input)) {
    const value = typeof source === "string" ? valueAt(forward, source) : source.value
    if (value !== undefined) out.set(field, value)
  }
  return Object.fromEntries(out)
}
