import { type ConfigurationOptions, InvalidConfigError } from "@civicase/core"
import { workflows } from "../workflows.js"
import { loadProvince } from "./load-province.js"
import { provinceDirectory } from "./province-directory.js"
import { provinceWarnings } from "./province-warnings.js"
import type { Province } from "./types.js"

/**
 * The engine's `configuration` option for `province`: new versions of the
 * province file are checked as `civicase check-config` checks them
 * (`loadProvince`, the workflows built from it, warnings included), stored
 * with their history, and put in force without a restart
 * (`engine.config.apply`). Cases started before keep their workflow version.
 *
 * @example
 * const province = loadProvince("./lao-cai.json")
 * const engine = createEngine({ store, ...provinceEngineOptions(province), configuration: provinceConfiguration(province) })
 * await engine.config.apply(JSON.parse(readFileSync("./lao-cai-2027.json", "utf8")), coordinator)
 */
export function provinceConfiguration(province: Province, options: Pick<ConfigurationOptions, "roles" | "pollMs"> = {}): ConfigurationOptions {
  return {
    ...options,
    province: province.id,
    initial: province,
    compile(content) {
      const next = loadProvince(content as object)
      let defs
      try {
        defs = workflows(next)
      } catch (e) {
        if (e instanceof InvalidConfigError) throw e
        throw new InvalidConfigError("province configuration", [{ path: "/workflows", message: `the workflows refuse it: ${(e as Error).message}` }])
      }
      return { province: next.id, workflows: defs, directory: provinceDirectory(next), warnings: provinceWarnings(next) }
    },
  }
}
