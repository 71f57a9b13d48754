import { readFileSync } from "node:fs"
import { InvalidConfigError, type ValidationIssue, compileSchema } from "@civicase/core"
import { basisIssues, calendarIssues } from "./calendar-issues.js"
import { provinceSchema } from "./province-schema.js"
import { provinceProblems } from "./province-problems.js"
import type { Province } from "./types.js"

let check: ReturnType<typeof compileSchema> | undefined

function read(file: string): { value?: unknown; issues: ValidationIssue[] } {
  let text: string
  try {
    text = readFileSync(file, "utf8")
  } catch (e) {
    return { issues: [{ path: "/", message: `cannot read the file: ${(e as Error).message}` }] }
  }
  try {
    return { value: JSON.parse(text), issues: [] }
  } catch (e) {
    return { issues: [{ path: "/", message: `is not valid JSON: ${(e as Error).message}` }] }
  }
}

/**
 * Reads and checks a province configuration (a path to a JSON file, or the
 * object itself) against {@link provinceSchema} and the cross-references a
 * schema cannot express (role holders and successors name known agencies,
 * report periods are real dates in order, calendar rules and yearly decisions
 * name real days of their year, `basis` cites values of the file, …). A bad configuration is refused
 * before anything starts, with one `InvalidConfigError` listing every problem
 * by path.
 *
 * @example
 * const province = loadProvince(provinceFiles.vinhPhuc)
 * try { loadProvince({ id: "x" }) } catch (e) { (e as InvalidConfigError).issues } // [{ path: "/version", … }, …]
 */
export function loadProvince(fileOrObject: string | object): Province {
  const source = typeof fileOrObject === "string" ? `province configuration ${fileOrObject}` : "province configuration"
  let value: unknown = fileOrObject
  if (typeof fileOrObject === "string") {
    const result = read(fileOrObject)
    if (result.issues.length) throw new InvalidConfigError(source, result.issues)
    value = result.value
  } else if (fileOrObject === null || typeof fileOrObject !== "object" || Array.isArray(fileOrObject)) {
    throw new InvalidConfigError(source, [{ path: "/", message: "must be a path to a JSON file or an object" }])
  }
  check ??= compileSchema(provinceSchema)
  const issues = check(value)
  try {
    // A calendar value the schema already refused, itself or in the list or map holding it, is not reported twice.
    const refused = (path: string) => issues.some((i) => path === i.path || path.slice(0, path.lastIndexOf("/")) === i.path)
    const calendar = calendarIssues((value as Province).calendar).filter((i) => !refused(i.path))
    issues.push(...provinceProblems(value as Province), ...calendar, ...basisIssues(value as Province))
  } catch {
    // A shape the schema already refused can trip the cross-checks; its schema errors say what is wrong.
    if (issues.length === 0) throw new InvalidConfigError(source, [{ path: "/", message: "could not be checked" }])
  }
  if (issues.length) throw new InvalidConfigError(source, issues)
  return value as Province
}
