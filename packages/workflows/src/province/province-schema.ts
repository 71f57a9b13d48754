import type { JsonSchema } from "@civicase/core"
import { commendationConfigSchema } from "../commendation/config.js"
import { coordinationConfigSchema } from "../coordination/config.js"
import { planConfigSchema } from "../plan/config.js"
import { pressResponseConfigSchema } from "../press-response/config.js"
import { violationConfigSchema } from "../violation/config.js"
import { composeProvinceSchema } from "./schema.js"

/**
 * The JSON Schema of a province configuration, with every workflow's section
 * schema composed in. Also published as `schema/province.schema.json`.
 *
 * @example
 * import { compileSchema } from "@civicase/core"
 * compileSchema(provinceSchema)(JSON.parse(text)) // [] when valid
 */
export const provinceSchema: JsonSchema = composeProvinceSchema({
  plan: planConfigSchema,
  coordination: coordinationConfigSchema,
  "press-response": pressResponseConfigSchema,
  violation: violationConfigSchema,
  commendation: commendationConfigSchema,
})
