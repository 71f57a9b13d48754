/**
 * Who does something: a person or system, always of one agency in one province.
 *
 * @example
 * const officer: Actor = { id: "u-17", province: "vinh-phuc", agency: "so-tttt", roles: ["coordinator"] }
 */
export interface Actor {
  readonly id: string
  readonly province: string
  readonly agency: string
  readonly roles: ReadonlyArray<string>
}

/** The role held by the engine itself when it delivers a timer. */
export const SYSTEM_ROLE = "system"

/** The actor recorded in history for events the engine sends itself (deadlines). */
export function systemActor(province: string): Actor {
  return { id: "system", province, agency: "system", roles: [SYSTEM_ROLE] }
}
