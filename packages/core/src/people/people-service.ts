import type { Actor } from "../actor.js"
import type { AccessPolicy } from "../engine/access.js"
import { storageError } from "../engine/storage-error.js"
import { ForbiddenError, PersonNotFoundError, ValidationError, type ValidationIssue } from "../errors/errors.js"
import { decodeCursor, encodeCursor } from "../storage/cursor.js"
import type { Executor } from "../storage/case-store.js"
import { type PeopleFilter, type Person, type PersonInput, type PersonPage, checkPersonInput, idProblem } from "./person.js"
import { type PersonRow, peopleStore, personOf } from "./people-store.js"

/**
 * Who may record other people (engine option `people`). A person may always
 * record themself (same id, province and agency, with roles they hold).
 *
 * @example
 * createEngine({ store, workflows, people: { managers: ["coordinator", "coordinator_head"], agencyManagers: ["agency_head"] } })
 */
export interface PeopleOptions {
  /** Roles that record anyone of their province; default coordinator, coordinator_head. */
  readonly managers?: ReadonlyArray<string>
  /** Roles that record the people of their own agency; default agency_head. */
  readonly agencyManagers?: ReadonlyArray<string>
}

/**
 * The people directory (danh bạ cán bộ) of the actor's province, as
 * `engine.people`: everyone of the province may read names, agencies and
 * roles (to pick an assignee, to mention); email addresses are personal data,
 * shown only to the person, their agency's managers and province-wide roles.
 *
 * @example
 * await engine.people.upsert({ id: "u-17", agency: "so-y-te", name: "Nguyễn Văn A" }, head)
 * const page = await engine.people.list({ agency: "so-y-te", q: "nguyen" }, officer)
 * await engine.people.deactivate("u-17", head) // then engine.reassignAll({ from: "u-17", to: "u-18" }, head)
 */
export interface PeopleDirectory {
  /** Records or updates a person of the actor's province. */
  upsert(person: PersonInput, actor: Actor): Promise<Person>
  /** One person of the actor's province; `PersonNotFoundError` when there is none. */
  get(id: string, actor: Actor): Promise<Person>
  /** A page of the province's people, by id. */
  list(filter: PeopleFilter, actor: Actor): Promise<PersonPage>
  /** Marks a person as gone (nghỉ việc, chuyển công tác): no new assignment or mention. Their open cases stay until reassigned. */
  deactivate(id: string, actor: Actor): Promise<Person>
}

const isCursor = (c: unknown): c is { after: string } => typeof (c as { after?: unknown } | null)?.after === "string"

/**
 * The people directory of one engine.
 *
 * @example
 * const people = peopleDirectory(db, access, () => clock.now(), {})
 */
export function peopleDirectory(db: Executor, access: AccessPolicy, now: () => Date, options: PeopleOptions = {}): PeopleDirectory {
  const managers = new Set(options.managers ?? ["coordinator", "coordinator_head"])
  const agencyManagers = new Set(options.agencyManagers ?? ["agency_head"])
  const managesAll = (actor: Actor) => access.isSystem(actor) || actor.roles.some((r) => managers.has(r))
  const managesAgency = (actor: Actor, agency: string) => managesAll(actor) || (actor.agency === agency && actor.roles.some((r) => agencyManagers.has(r)))
  const seesEmail = (actor: Actor, row: PersonRow) => row.id === actor.id || access.seesWholeProvince(actor) || managesAgency(actor, row.agency)
  const guard = <T>(p: Promise<T>) => p.catch((e) => Promise.reject(storageError(e)))

  return {
    async upsert(input, actor) {
      const p = checkPersonInput(input)
      const existing = await guard(peopleStore.get(db, actor.province, p.id))
      const self = p.id === actor.id && p.agency === actor.agency
      const manager = managesAgency(actor, p.agency) && (!existing || managesAgency(actor, existing.agency))
      if (!manager) {
        if (!self) throw new ForbiddenError(`record person ${p.id}`, "only the person themself, a manager of their agency or a province-wide manager may")
        const foreign = (p.roles ?? []).filter((r) => !actor.roles.includes(r))
        if (foreign.length) throw new ForbiddenError(`record person ${p.id}`, `a person may record only roles they hold, not ${foreign.join(", ")}`)
        if (p.active !== undefined) throw new ForbiddenError(`record person ${p.id}`, "only a manager may activate or deactivate a person")
      }
      return personOf(await guard(peopleStore.upsert(db, actor.province, p, now())), true)
    },
    async get(id, actor) {
      if (idProblem(id)) throw new PersonNotFoundError(String(id))
      const row = await guard(peopleStore.get(db, actor.province, id))
      if (!row) throw new PersonNotFoundError(id)
      return personOf(row, seesEmail(actor, row))
    },
    async list(filter = {}, actor) {
      const issues: ValidationIssue[] = []
      const limit = filter.limit ?? 100
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) issues.push({ path: "/limit", message: "must be an integer from 1 to 500" })
      if (filter.agency !== undefined && idProblem(filter.agency)) issues.push({ path: "/agency", message: idProblem(filter.agency)! })
      if (filter.active !== undefined && typeof filter.active !== "boolean") issues.push({ path: "/active", message: "must be true or false" })
      if (filter.q !== undefined && (typeof filter.q !== "string" || filter.q.length > 200)) issues.push({ path: "/q", message: "must be a string of at most 200 characters" })
      if (filter.cursor !== undefined && (typeof filter.cursor !== "string" || filter.cursor.length > 1000)) issues.push({ path: "/cursor", message: "is not a cursor returned by a previous page" })
      if (issues.length) throw new ValidationError(issues, "filter")
      const after = filter.cursor === undefined ? undefined : decodeCursor(filter.cursor, isCursor, "filter").after
      const rows = await guard(peopleStore.list(db, actor.province, { ...filter, after, limit: limit + 1 }))
      const items = rows.slice(0, limit).map((r) => personOf(r, seesEmail(actor, r)))
      return rows.length > limit ? { items, nextCursor: encodeCursor({ after: items[items.length - 1]!.id }) } : { items }
    },
    async deactivate(id, actor) {
      if (idProblem(id)) throw new PersonNotFoundError(String(id))
      const row = await guard(peopleStore.get(db, actor.province, id))
      if (!row) throw new PersonNotFoundError(id)
      if (!managesAgency(actor, row.agency)) throw new ForbiddenError(`deactivate person ${id}`, "only a manager of their agency or a province-wide manager may")
      const updated = await guard(peopleStore.setActive(db, actor.province, id, false, now()))
      if (!updated) throw new PersonNotFoundError(id)
      return personOf(updated, true)
    },
  }
}
