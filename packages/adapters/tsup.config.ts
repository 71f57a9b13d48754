import { defineConfig } from "tsup"

export default defineConfig({
  entry: { index: "src/index.ts", "edxml/index": "src/edxml/index.ts", "exchange/index": "src/exchange/index.ts", "exchange/testing/index": "src/exchange/testing/index.ts" },
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
})
