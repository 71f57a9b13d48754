import { type RawBuilder, sql } from "kysely"
import { iso } from "../engine/case-view.js"
import type { Executor } from "../storage/case-store.js"
import { textArray, ts } from "../storage/case-store.js"
import { searchDocument, searchWords } from "../search/fold.js"
import type { Person, PersonInput } from "./person.js"

/** A people row as read. */
export interface PersonRow {
  province: string
  id: string
  agency: string
  name: string
  email: string | null
  roles: string[]
  active: boolean
  updated_at: Date | string
}

/** The row as a `Person`; `withEmail` false leaves the address out (personal data). */
export function personOf(row: PersonRow, withEmail: boolean): Person {
  return {
    id: row.id,
    province: row.province,
    agency: row.agency,
    name: row.name,
    ...(withEmail ? { email: row.email } : {}),
    roles: row.roles,
    active: row.active,
    updatedAt: iso(row.updated_at),
  }
}

const COLUMNS = sql.raw("province, id, agency, name, email, roles, active, updated_at")

/**
 * The SQL of the people directory (danh bạ cán bộ), keyed by (province, id).
 *
 * @example
 * const row = await peopleStore.get(db, "vinh-phuc", "u-17")
 */
export const peopleStore = {
  async get(db: Executor, province: string, id: string): Promise<PersonRow | undefined> {
    return (await sql<PersonRow>`select ${COLUMNS} from civicase_people where province = ${province} and id = ${id}`.execute(db)).rows[0]
  },

  /** The people of `ids` in `province` (unknown ids are absent). */
  async many(db: Executor, province: string, ids: ReadonlyArray<string>): Promise<PersonRow[]> {
    if (ids.length === 0) return []
    return (await sql<PersonRow>`select ${COLUMNS} from civicase_people where province = ${province} and id in (${sql.join(ids)})`.execute(db)).rows
  },

  /**
   * Inserts or updates a person; an undefined `email`, `roles` or `active`
   * keeps what is stored (none, none and true for a new person).
   */
  async upsert(db: Executor, province: string, p: PersonInput, now: Date): Promise<PersonRow> {
    const search = searchDocument([p.name, p.id, p.email ?? undefined])
    const updates: RawBuilder<unknown>[] = [
      sql`agency = excluded.agency`,
      sql`name = excluded.name`,
      sql`updated_at = excluded.updated_at`,
      // The stored email still counts for search when this write leaves it.
      p.email === undefined ? sql`search = excluded.search || ' ' || lower(coalesce(civicase_people.email, ''))` : sql`search = excluded.search`,
    ]
    if (p.email !== undefined) updates.push(sql`email = excluded.email`)
    if (p.roles !== undefined) updates.push(sql`roles = excluded.roles`)
    if (p.active !== undefined) updates.push(sql`active = excluded.active`)
    const r = await sql<PersonRow>`insert into civicase_people (province, id, agency, name, email, roles, active, search, updated_at)
      values (${province}, ${p.id}, ${p.agency}, ${p.name}, ${p.email ?? null}, ${textArray(p.roles ?? [])}, ${p.active ?? true}, ${search}, ${ts(now)})
      on conflict (province, id) do update set ${sql.join(updates)}
      returning ${COLUMNS}`.execute(db)
    return r.rows[0]!
  },

  async setActive(db: Executor, province: string, id: string, active: boolean, now: Date): Promise<PersonRow | undefined> {
    const r = await sql<PersonRow>`update civicase_people set active = ${active}, updated_at = ${ts(now)}
      where province = ${province} and id = ${id} returning ${COLUMNS}`.execute(db)
    return r.rows[0]
  },

  /** A page of a province's people by id, after `after`; `words` must each appear in the folded name, id or email. */
  async list(
    db: Executor,
    province: string,
    f: { agency?: string; active?: boolean; q?: string; after?: string; limit: number },
  ): Promise<PersonRow[]> {
    const where: RawBuilder<unknown>[] = [sql`province = ${province}`]
    if (f.agency) where.push(sql`agency = ${f.agency}`)
    if (f.active !== undefined) where.push(sql`active = ${f.active}`)
    for (const w of searchWords(f.q ?? "").slice(0, 8)) where.push(sql`search like ${`%${w}%`}`)
    if (f.after !== undefined) where.push(sql`id > ${f.after}`)
    return (await sql<PersonRow>`select ${COLUMNS} from civicase_people where ${sql.join(where, sql` and `)} order by id limit ${f.limit}`.execute(db)).rows
  },
}
