import { readdirSync } from "node:fs"
import { fileURLToPath } from "node:url"
import ts from "typescript"
import { describe, expect, it } from "vitest"
import { hasOwnKey, ownValue } from "@civicase/core"

const root = fileURLToPath(new URL("../../../", import.meta.url))

/** The one file allowed to index a plain object by a string: the guarded helper itself. */
const HELPER = "packages/core/src/input/own-value.ts"

function sourceFiles(): string[] {
  const files: string[] = []
  for (const pkg of readdirSync(`${root}packages`)) {
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = `${dir}/${entry.name}`
        if (entry.isDirectory()) walk(path)
        else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) files.push(path)
      }
    }
    try {
      walk(`${root}packages/${pkg}/src`)
    } catch {
      // a package without src/
    }
  }
  return files
}

/** A string whose values are not known in advance: `string`, a template, or a union holding one. */
function isOpenString(type: ts.Type): boolean {
  if (type.isUnion()) return type.types.some(isOpenString)
  return (type.flags & (ts.TypeFlags.String | ts.TypeFlags.TemplateLiteral | ts.TypeFlags.StringMapping | ts.TypeFlags.Any)) !== 0
}

/** Indexing these by a string is not a prototype lookup (arrays, tuples and strings take numbers; Maps are not indexed). */
function isIndexedByPosition(checker: ts.TypeChecker, type: ts.Type): boolean {
  if (type.isUnion()) return type.types.every((t) => isIndexedByPosition(checker, t))
  return checker.isArrayType(type) || checker.isTupleType(type) || (type.flags & ts.TypeFlags.StringLike) !== 0
}

/**
 * Every `record[key]`, `key in record` and `const { [key]: v } = record` in
 * `files` where `key` is an open string and `record` is not an array: each
 * may answer from Object.prototype (`toString`, `constructor`, `__proto__`)
 * when `key` comes from a user. Use `ownValue`, `hasOwnKey`, a `Map`, or
 * `Object.entries`.
 */
function plainObjectLookups(program: ts.Program, files: (file: string) => boolean): string[] {
  const checker = program.getTypeChecker()
  const open = (key: ts.Node, record: ts.Node) => isOpenString(checker.getTypeAtLocation(key)) && !isIndexedByPosition(checker, checker.getTypeAtLocation(record))
  const found: string[] = []
  for (const sf of program.getSourceFiles()) {
    const file = sf.fileName.startsWith(root) ? sf.fileName.slice(root.length) : sf.fileName
    if (!files(file)) continue
    const report = (node: ts.Node) => {
      const { line } = sf.getLineAndCharacterOfPosition(node.getStart())
      found.push(`${file}:${line + 1}: ${node.getText().replace(/\s+/g, " ").slice(0, 90)}`)
    }
    const visit = (node: ts.Node): void => {
      if (ts.isElementAccessExpression(node) && open(node.argumentExpression, node.expression)) report(node)
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.InKeyword && open(node.left, node.right)) report(node)
      if (ts.isObjectBindingPattern(node) && ts.isVariableDeclaration(node.parent) && node.parent.initializer) {
        for (const element of node.elements) {
          if (element.propertyName && ts.isComputedPropertyName(element.propertyName) && open(element.propertyName.expression, node.parent.initializer)) report(element)
        }
      }
      ts.forEachChild(node, visit)
    }
    visit(sf)
  }
  return found
}

const compilerOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  customConditions: ["source"],
  strict: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: true,
  noEmit: true,
  types: ["node"],
}

describe("lookups keyed by strings go through own-property checks", () => {
  it("ownValue and hasOwnKey never answer from Object.prototype", () => {
    const record: Record<string, number> = { SUBMIT: 1 }
    for (const name of Object.getOwnPropertyNames(Object.prototype)) {
      expect(ownValue(record, name)).toBeUndefined()
      expect(hasOwnKey(record, name)).toBe(false)
    }
    expect(ownValue(record, "SUBMIT")).toBe(1)
    expect(ownValue(JSON.parse('{"__proto__":2}') as Record<string, number>, "__proto__")).toBe(2)
    expect(ownValue(undefined, "x")).toBeUndefined()
    expect(hasOwnKey(null, "x")).toBe(false)
  })

  it("no source file indexes a plain object by an open string, tests one with `in`, or destructures one by it", () => {
    const program = ts.createProgram(sourceFiles(), compilerOptions)
    expect(plainObjectLookups(program, (file) => /^packages\/[^/]+\/src\//.test(file) && file !== HELPER)).toEqual([])
  })

  it("the scan finds the lookups it forbids and passes the safe ones (so an empty answer means something)", () => {
    const text = [
      "declare const r: Record<string, number>; declare const k: string; declare const a: number[]; declare const lit: 'x' | 'y'",
      "r[k]; a[0]; r['x']; r[lit]; k in r; const { [k]: v } = r; a[k as any]",
    ].join("\n")
    const host = ts.createCompilerHost(compilerOptions)
    const original = host.getSourceFile
    const name = `${root}probe.ts`
    host.getSourceFile = (file, version) => (file === name ? ts.createSourceFile(file, text, version, true) : original.call(host, file, version))
    const program = ts.createProgram({ rootNames: [name], options: compilerOptions, host })
    expect(plainObjectLookups(program, (file) => file === "probe.ts").map((line) => line.replace(/^probe\.ts:\d+: /, ""))).toEqual(["r[k]", "k in r", "[k]: v"])
  })
})
