/** One concurrency's result: the median of its rounds on each side, and the median of each round's engine/raw ratio. */
export interface Row {
  readonly concurrency: number
  readonly engine: number
  readonly raw: number
  /**
   * Each round runs engine and raw back to back, so a burst of other work on
   * the machine mostly hits both halves of one pair; the median of the pairs'
   * ratios resists such bursts better than the ratio of the medians.
   */
  readonly ratio: number
  /** Client CPU microseconds per transition (median), engine and raw. */
  readonly engineCpu: number
  readonly rawCpu: number
}

/** The median of a non-empty list (robust to one round disturbed by other work on the machine). */
export function median(values: ReadonlyArray<number>): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US")

/**
 * The results table, in Markdown so it can be pasted into docs/performance.md.
 *
 * @example
 * console.log(table([{ concurrency: 1, engine: 900, raw: 1500, ratio: 0.6, engineCpu: 400, rawCpu: 120 }]))
 */
export function table(rows: ReadonlyArray<Row>): string {
  const lines = [
    "| concurrency | engine tx/s | raw tx/s | engine/raw | engine CPU µs/tx | raw CPU µs/tx |",
    "|---:|---:|---:|---:|---:|---:|",
  ]
  for (const r of rows) {
    lines.push(`| ${r.concurrency} | ${fmt(r.engine)} | ${fmt(r.raw)} | ${r.ratio.toFixed(2)} | ${fmt(r.engineCpu)} | ${fmt(r.rawCpu)} |`)
  }
  return lines.join("\n")
}

/** The row where the engine is fastest: the ratio that matters is the one at the engine's best operating point. */
export function best(rows: ReadonlyArray<Row>): Row {
  return rows.reduce((a, b) => (b.engine > a.engine ? b : a))
}
