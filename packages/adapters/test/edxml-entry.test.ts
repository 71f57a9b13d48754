import { existsSync, readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"

const pkgRoot = new URL("../", import.meta.url)
const manifest = JSON.parse(readFileSync(new URL("package.json", pkgRoot), "utf8")) as {
  exports: Record<string, { source: string; types: string; import: string }>
  dependencies: Record<string, string>
}

/** Every bare module a built entry loads, following its relative imports (tsup's shared chunks). */
function loadedPackages(entry: string): Set<string> {
  const seen = new Set<string>()
  const packages = new Set<string>()
  const visit = (file: URL) => {
    if (seen.has(file.href)) return
    seen.add(file.href)
    const code = readFileSync(file, "utf8")
    for (const m of code.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|(?:^|\n)import\s*["']([^"']+)["']/g)) {
      const spec = m[1] ?? m[2] ?? m[3]!
      if (spec.startsWith(".")) visit(new URL(spec, file))
      else packages.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!)
    }
  }
  visit(new URL(entry, pkgRoot))
  return packages
}

describe("@civicase/adapters/edxml is a subpath of its own", () => {
  it("is exported with source, types and import like the root entry, and its XML libraries are exact dependencies", () => {
    expect(manifest.exports["./edxml"]).toEqual({ source: "./src/edxml/index.ts", types: "./dist/edxml/index.d.ts", import: "./dist/edxml/index.js" })
    expect(existsSync(new URL(manifest.exports["./edxml"]!.source, pkgRoot))).toBe(true)
    for (const dep of ["@xmldom/xmldom", "xml-crypto"]) expect(manifest.dependencies[dep]).toMatch(/^\d+\.\d+\.\d+$/)
  })

  it("the built root entry loads no XML library; the built edxml entry does (run after npm run build)", () => {
    const root = new URL(manifest.exports["."]!.import, pkgRoot)
    const edxml = new URL(manifest.exports["./edxml"]!.import, pkgRoot)
    expect(existsSync(root) && existsSync(edxml), "build first: npm run build").toBe(true)
    expect(existsSync(new URL(manifest.exports["./edxml"]!.types, pkgRoot))).toBe(true)
    const fromRoot = loadedPackages(manifest.exports["."]!.import)
    expect(fromRoot.has("@electric-sql/pglite")).toBe(true) // the scan does see the root entry's own imports
    expect([...fromRoot].filter((p) => /xml/i.test(p))).toEqual([])
    const fromEdxml = loadedPackages(manifest.exports["./edxml"]!.import)
    expect(fromEdxml.has("@xmldom/xmldom")).toBe(true)
    expect(fromEdxml.has("xml-crypto")).toBe(true)
  })
})
