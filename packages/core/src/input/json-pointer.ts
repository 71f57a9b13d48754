import { ownValue } from "./own-value.js"

/**
 * The value a JSON Pointer (RFC 6901) names in `doc`, reading own properties
 * only, or undefined when a step is missing or not an object. `""` names the
 * whole document; `~1` and `~0` stand for `/` and `~`.
 *
 * @example
 * valueAt({ report: { "a/b": 1 } }, "/report/a~1b") // 1
 * valueAt({}, "/__proto__") // undefined
 */
export function valueAt(doc: unknown, pointer: string): unknown {
  let here: unknown = doc
  for (const raw of pointer.split("/").slice(1)) {
    if (typeof here !== "object" || here === null) return undefined
    here = ownValue(here as Record<string, unknown>, raw.replace(/~1/g, "/").replace(/~0/g, "~"))
  }
  return here
}
