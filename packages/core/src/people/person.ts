import { ValidationError, type ValidationIssue } from "../errors/errors.js"
import { unstorableText } from "../input/unstorable-text.js"

/**
 * An officer (cán bộ) of a province, as the people directory holds them:
 * who may be assigned a case or mentioned in a comment.
 *
 * @example
 * const p: Person = { id: "u-17", province: "vinh-phuc", agency: "so-y-te", name: "Nguyễn Văn A", roles: ["agency_officer"], active: true, updatedAt: "…" }
 */
export interface Person {
  readonly id: string
  readonly province: string
  readonly agency: string
  readonly name: string
  /**
   * Personal data: present only for the person, a manager of their agency
   * (`agency_head` by default) and roles that see the whole province.
   */
  readonly email?: string | null
  readonly roles: ReadonlyArray<string>
  /** False once the person has left (`people.deactivate`): no new assignment or mention. */
  readonly active: boolean
  readonly updatedAt: string
}

/**
 * What `engine.people.upsert` records; the province is always the actor's.
 * An absent `email` keeps the one on record; `null` removes it.
 *
 * @example
 * await engine.people.upsert({ id: "u-17", agency: "so-y-te", name: "Nguyễn Văn A", email: "a@soyte.gov.vn", roles: ["agency_officer"] }, head)
 */
export interface PersonInput {
  readonly id: string
  readonly agency: string
  readonly name: string
  readonly email?: string | null
  readonly roles?: ReadonlyArray<string>
  /** Only managers may set it; a person recording themself keeps their state. */
  readonly active?: boolean
}

/** Filters of `engine.people.list`. */
export interface PeopleFilter {
  readonly agency?: string
  readonly active?: boolean
  /** Words of the name, id or email, folded for Vietnamese ("nguyen van" finds "Nguyễn Văn A"). */
  readonly q?: string
  readonly cursor?: string
  /** 1 to 500; default 100. */
  readonly limit?: number
}

/** One page of people, by id. */
export interface PersonPage {
  readonly items: ReadonlyArray<Person>
  readonly nextCursor?: string
}

/** A person id (or agency id) as accepted: 1 to 200 characters of storable text. */
export function idProblem(v: unknown): string | undefined {
  if (typeof v !== "string" || v.length === 0 || v.length > 200) return "must be a string of 1 to 200 characters"
  return unstorableText(v)
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/**
 * Checks a person to record; every problem in one `ValidationError` naming
 * its path.
 *
 * @example
 * checkPersonInput({ id: "", agency: "so-y-te", name: "A" }) // throws: person is invalid: /id must be a string of 1 to 200 characters
 */
export function checkPersonInput(input: PersonInput): PersonInput {
  if (typeof input !== "object" || input === null) throw new ValidationError([{ path: "", message: "must be an object" }], "person")
  const issues: ValidationIssue[] = []
  const add = (path: string, message: string | undefined) => message && issues.push({ path, message })
  add("/id", idProblem(input.id))
  add("/agency", idProblem(input.agency))
  if (typeof input.name !== "string" || input.name.trim().length === 0 || input.name.length > 200) add("/name", "must be a non-empty string of at most 200 characters")
  else add("/name", unstorableText(input.name))
  if (input.email !== undefined && input.email !== null) {
    if (typeof input.email !== "string" || input.email.length > 254 || !EMAIL.test(input.email)) add("/email", "must be an email address (at most 254 characters) or null")
  }
  if (input.roles !== undefined) {
    if (!Array.isArray(input.roles) || input.roles.length > 50) add("/roles", "must be an array of at most 50 role names")
    else input.roles.forEach((r, i) => add(`/roles/${i}`, typeof r === "string" && r.length > 0 && r.length <= 100 ? unstorableText(r) : "must be a role name of 1 to 100 characters"))
  }
  if (input.active !== undefined && typeof input.active !== "boolean") add("/active", "must be true or false")
  const known = new Set(["id", "agency", "name", "email", "roles", "active"])
  for (const key of Object.keys(input)) if (!known.has(key)) add(`/${key}`, "is not a field of a person")
  if (issues.length) throw new ValidationError(issues, "person")
  return { ...input, name: input.name.trim(), ...(input.roles ? { roles: [...new Set(input.roles)] } : {}) }
}
