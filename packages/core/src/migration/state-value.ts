/**
 * The XState state value of a flat state (`in_implementation.report_review`,
 * parallel regions comma-joined), the inverse of `flatState`.
 *
 * @example
 * stateValueOf("in_implementation.report_review") // { in_implementation: "report_review" }
 * stateValueOf("draft") // "draft"
 */
export function stateValueOf(flat: string): unknown {
  const regions = flat.split(",")
  if (regions.length === 1 && !flat.includes(".")) return flat
  const root = new Map<string, unknown>()
  for (const region of regions) {
    const parts = region.split(".")
    let level = root
    for (let i = 0; i < parts.length - 1; i++) {
      let next = level.get(parts[i]!)
      if (!(next instanceof Map)) {
        next = new Map<string, unknown>()
        level.set(parts[i]!, next)
      }
      level = next as Map<string, unknown>
    }
    level.set(parts.at(-1)!, undefined)
  }
  const toValue = (m: Map<string, unknown>): unknown => {
    const entries = [...m.entries()]
    if (entries.length === 1 && entries[0]![1] === undefined) return entries[0]![0]
    return Object.fromEntries(entries.map(([k, v]) => [k, v instanceof Map ? toValue(v) : {}]))
  }
  return toValue(root)
}
