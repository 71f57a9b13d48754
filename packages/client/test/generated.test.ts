import { readFile } from "node:fs/promises"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { generatedFiles, idempotentWrites } from "../scripts/generated-files.js"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")

describe("the generated files match the server", () => {
  it("src/generated/ is what `npm run generate --workspace packages/client` writes now (run it after changing a route)", async () => {
    const files = await generatedFiles()
    expect([...files.keys()].sort()).toEqual(["src/generated/error-codes.ts", "src/generated/idempotent-writes.ts", "src/generated/openapi.ts"])
    const stale: string[] = []
    for (const [file, text] of files) {
      const committed = await readFile(join(root, file), "utf8").catch(() => "")
      if (committed !== text) stale.push(file)
    }
    expect(stale, "stale generated files: run `npm run generate --workspace packages/client`").toEqual([])
  })

  it("finds the writes that take an idempotencyKey from their request body schema", () => {
    const doc = {
      paths: {
        "/v1/things": { post: { requestBody: { content: { "application/json": { schema: { properties: { idempotencyKey: { type: "string" } } } } } } } },
        "/v1/others": { post: { requestBody: { content: { "application/json": { schema: { properties: { name: { type: "string" } } } } } } }, get: {} },
      },
    }
    expect(idempotentWrites(doc)).toEqual([["/v1/things", "POST"]])
  })
})
