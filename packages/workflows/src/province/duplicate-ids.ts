import type { ValidationIssue } from "@civicase/core"

/**
 * One issue per item whose `id` repeats an earlier one's, at `<at>/<i>/id`,
 * naming the first: a catalogue entry is picked by id, so two with one id
 * would make the choice ambiguous.
 *
 * @example
 * duplicateIds([{ id: "warning" }, { id: "warning" }], "/workflows/violation/penalties", "penalty")
 * // [{ path: "/workflows/violation/penalties/1/id", message: 'duplicates the penalty "warning" at /workflows/violation/penalties/0' }]
 */
export function duplicateIds(items: ReadonlyArray<{ readonly id: string }>, at: string, what: string): ValidationIssue[] {
  const first = new Map<string, number>()
  const issues: ValidationIssue[] = []
  items.forEach((item, i) => {
    const seen = first.get(item.id)
    if (seen !== undefined) issues.push({ path: `${at}/${i}/id`, message: `duplicates the ${what} "${item.id}" at ${at}/${seen}` })
    else first.set(item.id, i)
  })
  return issues
}
