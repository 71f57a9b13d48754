import type { LinkRow } from "./link-store.js"

/**
 * A link of a case to a case of another deployment, as callers see it.
 *
 * @example
 * { id: "0b0e…", caseId: "6f1c…", direction: "outbound", peer: "da-nang", kind: "press-incident",
 *   remote: { caseId: "9a1d…", workflow: "press-response", state: "fact_finding", status: "active", rev: 3 }, createdAt: "…", updatedAt: "…" }
 */
export interface Link {
  readonly id: string
  readonly caseId: string
  /** `outbound`: this deployment forwarded the case; `inbound`: a peer forwarded it here. */
  readonly direction: "outbound" | "inbound"
  readonly peer: string
  readonly kind: string
  /** The peer's case as last reported (null until the peer's first report). */
  readonly remote: { readonly caseId: string; readonly workflow: string; readonly state: string; readonly status: string; readonly rev: number } | null
  readonly createdAt: string
  readonly updatedAt: string
}

/** The caller's view of a stored link. */
export function linkView(r: LinkRow): Link {
  return {
    id: r.id,
    caseId: r.case_id,
    direction: r.direction,
    peer: r.peer,
    kind: r.kind,
    remote:
      r.remote_case_id === null
        ? null
        : { caseId: r.remote_case_id, workflow: r.remote_workflow ?? "", state: r.remote_state ?? "", status: r.remote_status ?? "", rev: r.remote_rev ?? 0 },
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  }
}
