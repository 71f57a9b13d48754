import { defineConfig } from "tsup"

export default defineConfig({
  entry: { index: "src/index.ts", "edxml/index": "src/edxml/index.ts", "notifiers/smtp-entry": "src/notifiers/smtp-entry.ts" },
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
})
