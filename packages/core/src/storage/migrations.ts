import { type Kysely, sql } from "kysely"
import type { CivicaseDatabase } from "./schema.js"

/** One schema change. Migrations are append-only: never edit one that has shipped. */
export interface Migration {
  readonly version: number
  readonly name: string
  readonly statements: ReadonlyArray<string>
}

/** Every migration, in order. */
export const migrations: ReadonlyArray<Migration> = [
  {
    version: 1,
    name: "cases, history, timers, outbox",
    statements: [
      `create table civicase_cases (
        id uuid primary key,
        province text not null,
        workflow text not null,
        version integer not null,
        state text not null,
        state_value jsonb not null,
        status text not null check (status in ('active', 'done')),
        context jsonb not null,
        snapshot jsonb not null,
        rev integer not null,
        owner_agency text not null,
        lead_agency text,
        cooperating_agencies text[] not null default '{}',
        agencies text[] not null default '{}',
        deadlines jsonb not null default '[]',
        next_due_at timestamptz,
        head_hash text not null,
        created_by text not null,
        create_key text,
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`,
      `create unique index civicase_cases_create_key on civicase_cases (province, created_by, create_key) where create_key is not null`,
      `create index civicase_cases_list on civicase_cases (province, created_at, id)`,
      `create index civicase_cases_workflow_state on civicase_cases (province, workflow, state)`,
      `create index civicase_cases_status on civicase_cases (province, status)`,
      `create index civicase_cases_agencies on civicase_cases using gin (agencies)`,
      `create index civicase_cases_next_due on civicase_cases (next_due_at) where status = 'active'`,
      `create table civicase_history (
        case_id uuid not null references civicase_cases (id),
        rev integer not null,
        type text not null,
        payload jsonb not null,
        actor jsonb not null,
        at timestamptz not null,
        from_state text,
        to_state text not null,
        idempotency_key text,
        meta jsonb,
        prev_hash text not null,
        hash text not null,
        primary key (case_id, rev)
      )`,
      `create unique index civicase_history_idempotency on civicase_history (case_id, idempotency_key) where idempotency_key is not null`,
      `create table civicase_timers (
        case_id uuid not null references civicase_cases (id),
        id text not null,
        name text not null,
        event jsonb not null,
        due_at timestamptz not null,
        rev integer not null,
        locked_until timestamptz,
        primary key (case_id, id)
      )`,
      `create index civicase_timers_due on civicase_timers (due_at)`,
      `create table civicase_outbox (
        id uuid primary key default gen_random_uuid(),
        case_id uuid not null references civicase_cases (id),
        rev integer not null,
        topic text not null,
        payload jsonb not null,
        status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
        attempts integer not null default 0,
        next_attempt_at timestamptz not null,
        last_error text,
        created_at timestamptz not null,
        delivered_at timestamptz
      )`,
      `create index civicase_outbox_pending on civicase_outbox (next_attempt_at) where status = 'pending'`,
    ],
  },
  {
    version: 2,
    name: "history by time, for SLA report windows",
    statements: [`create index civicase_history_at on civicase_history (at)`],
  },
  {
    version: 3,
    name: "people, assignment, work lists, search, documents",
    statements: [
      // Null marks a row no write of this version has touched yet: the next write (or engine.worklist.backfill) fills it.
      `alter table civicase_cases add column waiting text[], add column title text, add column assignee text,
        add column assignee_scope text check (assignee_scope in ('case', 'step'))`,
      // Only open cases are ever asked for what they wait on: done cases cost the index nothing.
      `create index civicase_cases_waiting on civicase_cases using gin (waiting) where status = 'active'`,
      `create index civicase_cases_assignee on civicase_cases (province, assignee) where assignee is not null`,
      `create index civicase_cases_updated on civicase_cases (province, updated_at, id)`,
      // Nearest deadline first, cases without one last, as one key a row comparison can seek in: it replaces the
      // index on next_due_at alone, which the overdue filter now reads through this one.
      `create index civicase_cases_deadline on civicase_cases (province, (coalesce(next_due_at, 'infinity'::timestamptz)), id)`,
      `drop index civicase_cases_next_due`,
      // Derived from the case row, so it goes with it.
      `create table civicase_case_text (
        case_id uuid primary key references civicase_cases (id) on delete cascade,
        province text not null,
        doc tsvector not null
      )`,
      // Written only when a case's text changes, so entries go straight into the index: a search never reads a pending list.
      `create index civicase_case_text_doc on civicase_case_text using gin (doc) with (fastupdate = off)`,
      `create table civicase_people (
        province text not null,
        id text not null,
        agency text not null,
        name text not null,
        email text,
        roles text[] not null default '{}',
        active boolean not null default true,
        search text not null,
        updated_at timestamptz not null,
        primary key (province, id)
      )`,
      `create index civicase_people_agency on civicase_people (province, agency, id)`,
      `create table civicase_documents (
        id uuid primary key,
        case_id uuid not null references civicase_cases (id),
        province text not null,
        name text not null,
        media_type text not null,
        size bigint not null,
        sha256 text not null,
        store text not null,
        store_key text not null,
        decision jsonb,
        created_by text not null,
        created_at timestamptz not null,
        rev integer not null
      )`,
      `create index civicase_documents_case on civicase_documents (case_id, rev)`,
      `create table civicase_document_blobs (
        key text not null,
        seq integer not null,
        bytes bytea not null,
        primary key (key, seq)
      )`,
    ],
  },
  {
    version: 4,
    name: "webhook subscriptions, links between deployments, link nonces",
    statements: [
      `create table civicase_subscriptions (
        id uuid primary key,
        province text not null,
        url text not null,
        secret text not null,
        workflows text[],
        agencies text[],
        event_types text[],
        description text,
        created_by jsonb not null,
        created_at timestamptz not null
      )`,
      `create index civicase_subscriptions_province on civicase_subscriptions (province, created_at, id)`,
      `create table civicase_links (
        province text not null,
        id uuid not null,
        direction text not null check (direction in ('outbound', 'inbound')),
        case_id uuid not null references civicase_cases (id),
        peer text not null,
        kind text not null,
        remote_case_id uuid,
        remote_workflow text,
        remote_state text,
        remote_status text,
        remote_rev integer,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        primary key (province, id)
      )`,
      `create index civicase_links_case on civicase_links (case_id)`,
      `create table civicase_link_nonces (
        province text not null,
        peer text not null,
        nonce text not null,
        seen_at timestamptz not null,
        primary key (province, peer, nonce)
      )`,
      `create index civicase_link_nonces_seen on civicase_link_nonces (seen_at)`,
    ],
  },
  {
    // Named for the merge: another branch may add a migration 5; renumber, never reorder applied ones.
    version: 5,
    name: "outbox status unrouted (notifications)",
    statements: [
      `alter table civicase_outbox drop constraint civicase_outbox_status_check`,
      `alter table civicase_outbox add constraint civicase_outbox_status_check check (status in ('pending', 'delivered', 'failed', 'unrouted'))`,
    ],
  },
  {
    version: 6,
    name: "history chain format: rows before it keep format 1, new rows are written in format 2 (RFC 8785, meta covered)",
    statements: [
      // The default stays 1: a row written by an engine that predates formats is hashed the old way and must say so.
      `alter table civicase_history add column chain_format smallint not null default 1`,
    ],
  },
  {
    version: 7,
    name: "province configuration versions (issue 13)",
    statements: [
      `create table civicase_config_versions (
        province text not null,
        version integer not null,
        content jsonb not null,
        diff jsonb not null,
        applied_by jsonb not null,
        applied_at timestamptz not null,
        primary key (province, version)
      )`,
    ],
  },
  {
    version: 8,
    name: "history without a foreign-key check per insert (issue 15)",
    statements: [
      // Every history row is inserted from the CTE that just inserted or updated its case row (historyInsert from w),
      // in the same statement: the case exists and is locked, so the per-row FK lookup only cost time and a lock.
      // Cases are never deleted.
      `alter table civicase_history drop constraint if exists civicase_history_case_id_fkey`,
    ],
  },
]

/**
 * Applies the migrations not yet applied, all in one transaction (a failure
 * leaves the schema as it was), under an advisory lock so that several
 * processes starting at once migrate once. Returns the versions applied now
 * (empty when up to date).
 *
 * @example
 * const applied = await migrate(engine.db) // [1] on an empty database, then []
 */
export async function migrate(db: Kysely<CivicaseDatabase>): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(4242001)`.execute(trx)
    await sql`create table if not exists civicase_migrations (
      version integer primary key, name text not null, applied_at timestamptz not null default now()
    )`.execute(trx)
    const done = new Set((await trx.selectFrom("civicase_migrations").select("version").execute()).map((r) => r.version))
    const applied: number[] = []
    for (const m of migrations) {
      if (done.has(m.version)) continue
      for (const statement of m.statements) await sql.raw(statement).execute(trx)
      await trx.insertInto("civicase_migrations").values({ version: m.version, name: m.name, applied_at: new Date() }).execute()
      applied.push(m.version)
    }
    return applied
  })
}
