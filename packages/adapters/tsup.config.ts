import { defineConfig } from "tsup"

export default defineConfig({
  entry: {
    index: "src/index.ts",
    "edxml/index": "src/edxml/index.ts",
    "notifiers/smtp-entry": "src/notifiers/smtp-entry.ts",
    "exchange/index": "src/exchange/index.ts",
    "exchange/testing/index": "src/exchange/testing/index.ts",
  },
  format: ["esm"],
  // Declarations come from `tsc -b tsconfig.build.json`, once for all packages (project references).
  dts: false,
  sourcemap: true,
  clean: true,
  target: "node20",
})
