import { defineConfig } from "tsup"

export default defineConfig({
  entry: { index: "src/index.ts" },
  format: ["esm"],
  // Declarations come from `tsc -b tsconfig.build.json`, once for all packages (project references).
  dts: false,
  sourcemap: true,
  clean: true,
  target: "node20",
})
