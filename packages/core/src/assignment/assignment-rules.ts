import type { Permission } from "../workflow/types.js"

/** An assignment operation, as recorded in the `case.assigned` payload (`action`). */
export type AssignAction = "assign" | "reassign" | "claim" | "unclaim" | "delegate"

/** The assignment operations. */
export const assignActions: ReadonlyArray<AssignAction> = ["assign", "reassign", "claim", "unclaim", "delegate"]

/**
 * Who may do which assignment operation (phân công): permissions like the
 * workflows' (roles plus an agency rule against the case's parties), set per
 * province through engine options. Relations come first: a claim needs an
 * actor who can act on the case now, a delegation the current assignee,
 * and the assignee may always release their own case; a permission given
 * here narrows those further.
 *
 * @example
 * createEngine({ store, workflows, assignment: { assign: { roles: ["coordinator", "agency_head"], agency: "party" } } })
 */
export interface AssignmentOptions {
  /** Assign an unassigned case to someone else. Default coordinator, coordinator_head, agency_head of a party agency. */
  readonly assign?: Permission
  /** Move an assigned case to someone else (or take it over). Default: `assign`. */
  readonly reassign?: Permission
  /** Also required to claim (besides being able to act now). Default: none. */
  readonly claim?: Permission
  /** Release a case assigned to someone else. Default: `assign`. */
  readonly unclaim?: Permission
  /** Also required of an assignee handing the case on (besides being the assignee). Default: none. */
  readonly delegate?: Permission
}

/** The rules in force, defaults filled in. */
export interface AssignmentRules {
  readonly assign: Permission
  readonly reassign: Permission
  readonly claim: Permission | undefined
  readonly unclaim: Permission
  readonly delegate: Permission | undefined
}

/** The default `assign` permission: the coordinators, and the head of a party agency. */
export const defaultAssignPermission: Permission = { roles: ["coordinator", "coordinator_head", "agency_head"], agency: "party" }

/**
 * The rules of `options` with defaults.
 *
 * @example
 * assignmentRules({}).reassign // { roles: ["coordinator", "coordinator_head", "agency_head"], agency: "party" }
 */
export function assignmentRules(options: AssignmentOptions = {}): AssignmentRules {
  const assign = options.assign ?? defaultAssignPermission
  return { assign, reassign: options.reassign ?? assign, claim: options.claim, unclaim: options.unclaim ?? assign, delegate: options.delegate }
}
