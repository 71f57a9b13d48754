import { type Kysely, sql } from "kysely"
import type { Actor, CivicaseDatabase } from "@civicase/core"
import type { Subscription } from "./subscription.js"

/** The channel a change of subscriptions is announced on, so other processes reload their filters. */
export const SUBSCRIPTIONS_CHANNEL = "civicase_subscriptions"

/** A subscription row as read back. */
export interface SubscriptionRow {
  id: string
  province: string
  url: string
  secret: string
  workflows: string[] | null
  agencies: string[] | null
  event_types: string[] | null
  description: string | null
  created_by: Actor
  created_at: Date | string
}

const textArray = (v: ReadonlyArray<string> | null) => (v === null ? sql`null` : sql`array(select jsonb_array_elements_text(${JSON.stringify(v)}::jsonb))`)

/** The caller's view of a row: without its secret. */
export function subscriptionView(r: SubscriptionRow): Subscription {
  return {
    id: r.id,
    province: r.province,
    url: r.url,
    workflows: r.workflows,
    agencies: r.agencies,
    eventTypes: r.event_types,
    description: r.description,
    createdBy: r.created_by.id,
    createdAt: new Date(r.created_at).toISOString(),
  }
}

/** The SQL of subscriptions; every change also notifies other processes in the same statement. */
export const subscriptionStore = {
  async insert(db: Kysely<CivicaseDatabase>, r: Omit<SubscriptionRow, "created_at"> & { created_at: Date }, notify: boolean): Promise<void> {
    await sql`with ins as (insert into civicase_subscriptions (id, province, url, secret, workflows, agencies, event_types, description, created_by, created_at)
      values (${r.id}, ${r.province}, ${r.url}, ${r.secret}, ${textArray(r.workflows)}, ${textArray(r.agencies)}, ${textArray(r.event_types)}, ${r.description},
        ${JSON.stringify(r.created_by)}::jsonb, ${r.created_at.toISOString()}::timestamptz) returning id)
      select ${notify ? sql`pg_notify(${SUBSCRIPTIONS_CHANNEL}, id::text)` : sql`1`} from ins`.execute(db)
  },

  async remove(db: Kysely<CivicaseDatabase>, province: string, id: string, notify: boolean): Promise<boolean> {
    const r = await sql<{ id: string }>`with del as (delete from civicase_subscriptions where province = ${province} and id = ${id} returning id)
      select id ${notify ? sql`, pg_notify(${SUBSCRIPTIONS_CHANNEL}, id::text)` : sql``} from del`.execute(db)
    return r.rows.length > 0
  },

  async count(db: Kysely<CivicaseDatabase>, province: string): Promise<number> {
    const r = await sql<{ n: number }>`select count(*)::int as n from civicase_subscriptions where province = ${province}`.execute(db)
    return r.rows[0]?.n ?? 0
  },

  async byProvince(db: Kysely<CivicaseDatabase>, province: string): Promise<SubscriptionRow[]> {
    return (await sql<SubscriptionRow>`select * from civicase_subscriptions where province = ${province} order by created_at, id`.execute(db)).rows
  },

  async get(db: Kysely<CivicaseDatabase>, id: string): Promise<SubscriptionRow | undefined> {
    return (await sql<SubscriptionRow>`select * from civicase_subscriptions where id = ${id}`.execute(db)).rows[0]
  },

  /** Every subscription's filters (not secrets), for the in-memory matcher. */
  async filters(db: Kysely<CivicaseDatabase>): Promise<Array<Pick<SubscriptionRow, "id" | "province" | "workflows" | "agencies" | "event_types">>> {
    return (await sql<Pick<SubscriptionRow, "id" | "province" | "workflows" | "agencies" | "event_types">>`select id, province, workflows, agencies, event_types from civicase_subscriptions`.execute(db)).rows
  },
}
