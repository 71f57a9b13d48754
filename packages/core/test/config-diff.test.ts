import { describe, expect, it } from "vitest"
import { configDiff } from "../src/config/config-diff.js"

describe("configDiff: what changed between two configuration versions, as JSON Pointer paths", () => {
  it("compares objects by key, arrays by item, values whole", () => {
    expect(configDiff({ a: 1, b: [1, 2, 3], c: { d: "x" }, e: null }, { a: 2, b: [1, 5], c: { d: "x", f: true }, e: null, g: [] })).toEqual([
      { op: "replace", path: "/a", value: 2 },
      { op: "replace", path: "/b/1", value: 5 },
      { op: "remove", path: "/b/2" },
      { op: "add", path: "/c/f", value: true },
      { op: "add", path: "/g", value: [] },
    ])
    expect(configDiff({ a: { b: 1 } }, { a: { b: 1 } })).toEqual([])
    expect(configDiff({ a: [1] }, { a: { 0: 1 } })).toEqual([{ op: "replace", path: "/a", value: { 0: 1 } }])
  })

  it("escapes keys as JSON Pointer does, treats any key as data, and removes array tails from the end", () => {
    const odd = JSON.parse('{"__proto__": {"x": 1}, "a/b": 1, "m~n": 2}')
    expect(configDiff(odd, JSON.parse('{"__proto__": {"x": 2}, "a/b": 1}'))).toEqual([
      { op: "replace", path: "/__proto__/x", value: 2 },
      { op: "remove", path: "/m~0n" },
    ])
    expect(configDiff({ a: [1, 2, 3] }, { a: [1] })).toEqual([{ op: "remove", path: "/a/2" }, { op: "remove", path: "/a/1" }])
  })

  it("is one add of the whole document when there was none before", () => {
    expect(configDiff(undefined, { id: "x" })).toEqual([{ op: "add", path: "", value: { id: "x" } }])
  })
})
