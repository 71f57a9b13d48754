import { ownValue } from "@civicase/core"
import type { Codec } from "./codecs.js"
import { EdxmlError } from "./errors.js"
import type { ElementReader } from "./xml-reader.js"
import type { ElementWriter } from "./xml-writer.js"

/** One leaf of a group: the model's key, the standard's element name, how its text is coded, and whether it must be there. */
export interface Field {
  readonly key: string
  readonly element: string
  readonly codec: Codec<unknown>
  readonly required: boolean
}

/**
 * A flat group of leaf elements (`From`, `Code`, `SignerInfo`, `OtherInfo`…),
 * declared once and used to both write and read, in the standard's order.
 *
 * @example
 * const code = group([["codeNumber", "CodeNumber", requiredText, true], ["codeNotation", "CodeNotation", requiredText, true]])
 */
export function group(fields: ReadonlyArray<readonly [key: string, element: string, codec: Codec<any>, required?: boolean]>): ReadonlyArray<Field> {
  return fields.map(([key, element, codec, required = false]) => ({ key, element, codec, required }))
}

/** A model object's own property: never one inherited from a prototype (`__proto__`, `constructor`). */
export function own(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? ownValue(value as Readonly<Record<string, unknown>>, key) : undefined
}

/** Refuses a model value that is absent, or not a plain object, where the standard has an element group. */
export function requireObject(value: unknown, path: string): object {
  if (value === undefined) throw new EdxmlError("CIVICASE_E_EDXML_MISSING_ELEMENT", path, "is required")
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new EdxmlError("CIVICASE_E_EDXML_INVALID_VALUE", path, "must be an object")
  }
  return value
}

/** Refuses a model value that is not an array where the standard repeats an element. */
export function requireArray(value: unknown, path: string): ReadonlyArray<unknown> {
  if (value === undefined) throw new EdxmlError("CIVICASE_E_EDXML_MISSING_ELEMENT", path, "is required")
  if (!Array.isArray(value)) throw new EdxmlError("CIVICASE_E_EDXML_INVALID_VALUE", path, "must be an array")
  return value
}

/** Writes the group's leaves that the model has, refusing missing required ones. */
export function writeGroup(into: ElementWriter, value: unknown, fields: ReadonlyArray<Field>): void {
  requireObject(value, into.path)
  for (const f of fields) {
    const v = own(value, f.key)
    const path = `${into.path}/${f.element}`
    if (v === undefined) {
      if (f.required) throw new EdxmlError("CIVICASE_E_EDXML_MISSING_ELEMENT", path, `is required (${f.key})`)
      continue
    }
    into.text(f.element, f.codec.write(v, path, into.limits))
  }
}

/** Reads the group's leaves into a fresh object; absent optional leaves stay absent. */
export function readGroup<T>(from: ElementReader, fields: ReadonlyArray<Field>): T {
  const entries: Array<[string, unknown]> = []
  for (const f of fields) {
    const el = f.required ? from.require(f.element) : from.one(f.element)
    if (el) entries.push([f.key, f.codec.read(el.text(), el.path, from.limits)])
  }
  return Object.fromEntries(entries) as T
}
