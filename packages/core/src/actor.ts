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

/**
 * The role, id and agency of the engine's own actor, as history records it
 * (deadlines, operator commands). Reserved: a caller's actor carrying any of
 * them is refused. The actor itself is issued by the engine
 * (`engine.access.systemActor(province)`) and recognised by identity, so it
 * cannot be forged by writing these names.
 */
export const SYSTEM_ROLE = "system"
