import { existsSync, readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

/** The package's root folder, found from this module whether it runs from `src/` or `dist/`. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const manifest = join(dir, "package.json")
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === "@civicase/workflows") return dir
    const up = dirname(dir)
    if (up === dir) throw new Error("cannot find the @civicase/workflows package folder")
    dir = up
  }
}

const root = packageRoot()

/**
 * Absolute paths of the province configurations shipped with the package:
 * Vĩnh Phúc (from Plan 155/KH-UBND) and Đà Nẵng (a second, different province).
 *
 * @example
 * const province = loadProvince(provinceFiles.vinhPhuc)
 */
export const provinceFiles = {
  vinhPhuc: join(root, "provinces", "vinh-phuc.json"),
  daNang: join(root, "provinces", "da-nang.json"),
} as const

/** Absolute path of the published province JSON Schema file. */
export const provinceSchemaFile: string = join(root, "schema", "province.schema.json")
