/**
 * The value `record` holds under `key` as its own property, never one it
 * inherits. A plain object answers `record["toString"]` or
 * `record["__proto__"]` from `Object.prototype`, so a lookup keyed by user
 * input (an event type, a role, an agency, a deadline name) must go through
 * here, a `Map`, or a null-prototype object. A test scans the sources for
 * lookups that do not.
 *
 * @example
 * ownValue(definition.permissions, "toString") // undefined, not Object.prototype.toString
 * ownValue(definition.permissions, "SUBMIT")   // { roles: ["agency_head"], agency: "owner" }
 */
export function ownValue<V>(record: Readonly<Record<string, V>> | null | undefined, key: string): V | undefined {
  // The one sanctioned plain-object lookup: guarded by Object.hasOwn just before.
  return record != null && Object.hasOwn(record, key) ? record[key] : undefined
}

/**
 * True when `record` has `key` as its own property (`key in record` is also
 * true for `"constructor"`).
 *
 * @example
 * hasOwnKey({ lead: 1 }, "lead")        // true
 * hasOwnKey({ lead: 1 }, "constructor") // false
 */
export function hasOwnKey(record: object | null | undefined, key: string): boolean {
  return record != null && Object.hasOwn(record, key)
}
