import { readFileSync } from "node:fs"
import type pg from "pg"

const TICKS_PER_SECOND = 100

/**
 * CPU seconds (user + system) that the PostgreSQL backends serving
 * `applicationName` have used so far, read from `/proc/<pid>/stat`; null when
 * the server is not on this machine (its pids are not ours to read). Each
 * side of the bench connects under its own application name, so the figure
 * is that side's server work, apart from other clients of the same server.
 *
 * @example
 * const before = await backendCpu(admin, "civicase_bench_engine")
 */
export async function backendCpu(pool: pg.Pool, applicationName: string): Promise<number | null> {
  const { rows } = await pool.query<{ pid: number }>("select pid from pg_stat_activity where application_name = $1", [applicationName])
  let total = 0
  for (const { pid } of rows) {
    let stat: string
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    } catch {
      return null
    }
    // Fields after the command name (which may hold spaces) start at state: utime and stime are the 12th and 13th after it.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    total += (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
  }
  return total
}

/** The server's current WAL position, to difference around a run (cluster-wide: other clients of the server add to it). */
export async function walPosition(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ lsn: string }>("select pg_current_wal_lsn()::text as lsn")
  return rows[0]!.lsn
}

/** Bytes of WAL between two positions. */
export async function walBytes(pool: pg.Pool, from: string, to: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>("select pg_wal_lsn_diff($2::pg_lsn, $1::pg_lsn)::text as n", [from, to])
  return Number(rows[0]!.n)
}
