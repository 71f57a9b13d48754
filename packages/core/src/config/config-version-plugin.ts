import { type Plugin, definePlugin } from "../plugins/plugin.js"

/**
 * Records on each new case's `case.created` history row the configuration
 * version it started under (`meta.configVersion`), when one is stored: the
 * version a running case keeps when a newer one is applied.
 *
 * @example
 * const plugin = configVersionPlugin(() => runtime.version())
 */
export function configVersionPlugin(version: () => number): Plugin {
  return definePlugin({
    name: "civicase:config-version",
    hooks: {
      beforeCreate() {
        const v = version()
        return v > 0 ? { meta: { configVersion: v } } : undefined
      },
    },
  })
}
