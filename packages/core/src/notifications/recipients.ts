import { type Kysely, type RawBuilder, sql } from "kysely"
import type { CivicaseDatabase } from "../storage/schema.js"
import type { RecipientSpec } from "./rules.js"

/** A person a notification goes to, as the people directory holds them. */
export interface RecipientRow {
  id: string
  province: string
  agency: string
  name: string
  email: string | null
}

/** What recipients are resolved against: the case as it is when the message is sent, and the person a message names. */
export interface RecipientContext {
  readonly province: string
  readonly agencies: ReadonlyArray<string>
  readonly assignee: string | null
  /** The person an assignment or mention names. */
  readonly named?: string
}

/**
 * The active people of the province a rule's `to` names, each once. Unknown
 * and departed people are left out (nobody to tell).
 *
 * @example
 * await resolveRecipients(db, ["assignee", { role: "agency_head", agency: "case" }], { province: "vinh-phuc", agencies: ["so-y-te"], assignee: "u-17" })
 */
export async function resolveRecipients(db: Kysely<CivicaseDatabase>, specs: ReadonlyArray<RecipientSpec>, c: RecipientContext): Promise<RecipientRow[]> {
  const ids = new Set<string>()
  const conditions: RawBuilder<unknown>[] = []
  for (const spec of specs) {
    if (spec === "assignee") {
      if (c.assignee) ids.add(c.assignee)
    } else if (spec === "recipient") {
      if (c.named) ids.add(c.named)
    } else if ("person" in spec) {
      ids.add(spec.person)
    } else {
      const parts: RawBuilder<unknown>[] = []
      if (spec.role !== undefined) parts.push(sql`${spec.role} = any(roles)`)
      if (spec.agency === "case") parts.push(c.agencies.length ? sql`agency in (${sql.join([...c.agencies])})` : sql`false`)
      else if (spec.agency !== undefined) parts.push(sql`agency = ${spec.agency}`)
      conditions.push(sql`(${sql.join(parts, sql` and `)})`)
    }
  }
  if (ids.size) conditions.push(sql`id in (${sql.join([...ids])})`)
  if (!conditions.length) return []
  return (
    await sql<RecipientRow>`select id, province, agency, name, email from civicase_people
      where province = ${c.province} and active and (${sql.join(conditions, sql` or `)}) order by id limit 500`.execute(db)
  ).rows
}
