import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/index.ts", "src/effect/index.ts", "src/demo/index.ts", "src/notifications/index.ts", "src/testing/index.ts", "src/observe/otel/index.ts"],
  external: ["vitest", "effect", "@opentelemetry/api"],
  format: ["esm"],
  // Declarations come from `tsc -b tsconfig.build.json`, once for all packages (project references).
  dts: false,
  sourcemap: true,
  clean: true,
  target: "node20",
})
