import { sql } from "kysely"
import type { Executor } from "../storage/case-store.js"
import { json, ts } from "../storage/case-store.js"
import type { ConfigChange } from "./config-diff.js"

/** The channel an applied configuration version is announced on (payload: the province id). */
export const CONFIG_CHANNEL = "civicase_config"

/**
 * One applied version of a province's configuration, as stored.
 *
 * @example
 * const v: StoredConfigVersion = { province: "vinh-phuc", version: 2, content, diff: [{ op: "replace", path: "/version", value: "2027.1" }], appliedBy: actor, appliedAt }
 */
export interface StoredConfigVersion {
  readonly province: string
  readonly version: number
  readonly content: unknown
  readonly diff: ReadonlyArray<ConfigChange>
  readonly appliedBy: unknown
  readonly appliedAt: Date
}

interface Row {
  province: string
  version: number
  content: unknown
  diff: ConfigChange[]
  applied_by: unknown
  applied_at: Date
}

const fromRow = (r: Row): StoredConfigVersion => ({
  province: r.province,
  version: r.version,
  content: r.content,
  diff: r.diff,
  appliedBy: r.applied_by,
  appliedAt: new Date(r.applied_at),
})

/** The SQL of civicase_config_versions. */
export const configStore = {
  /** The newest version of `province`, or undefined when none was applied. */
  async latest(db: Executor, province: string): Promise<StoredConfigVersion | undefined> {
    const r = await sql<Row>`select * from civicase_config_versions where province = ${province} order by version desc limit 1`.execute(db)
    return r.rows[0] && fromRow(r.rows[0])
  },

  /** The newest version number of `province` (0 when none): what each process compares cheaply. */
  async latestNumber(db: Executor, province: string): Promise<number> {
    const r = await sql<{ v: number | null }>`select max(version) as v from civicase_config_versions where province = ${province}`.execute(db)
    return Number(r.rows[0]?.v ?? 0)
  },

  /** The versions of `province`, newest first, without their content. */
  async history(db: Executor, province: string, limit: number): Promise<StoredConfigVersion[]> {
    const r = await sql<Row>`select province, version, null as content, diff, applied_by, applied_at from civicase_config_versions
      where province = ${province} order by version desc limit ${limit}`.execute(db)
    return r.rows.map(fromRow)
  },

  /**
   * Appends version `version` if the newest stored one is still `version - 1`
   * (under a per-province lock), announcing it on {@link CONFIG_CHANNEL};
   * false when another process applied one first.
   */
  async append(db: Executor, v: StoredConfigVersion, notify: boolean): Promise<boolean> {
    return db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(4242013, hashtext(${v.province}))`.execute(trx)
      const newest = await configStore.latestNumber(trx, v.province)
      if (newest !== v.version - 1) return false
      await sql`insert into civicase_config_versions (province, version, content, diff, applied_by, applied_at)
        values (${v.province}, ${v.version}, ${json(v.content)}, ${json(v.diff)}, ${json(v.appliedBy)}, ${ts(v.appliedAt)})`.execute(trx)
      if (notify) await sql`select pg_notify(${CONFIG_CHANNEL}, ${v.province})`.execute(trx)
      return true
    })
  },
}
