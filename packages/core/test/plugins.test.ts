import { describe, expect, it } from "vitest"
import { Refusal, auditPlugin, definePlugin, notificationsPlugin, refuse } from "@civicase/core"

describe("definePlugin", () => {
  it("returns the plugin unchanged, keeping extra members typed", () => {
    const p = definePlugin({ name: "@org/counter", hooks: { afterCommit() {} }, count: 0 })
    expect(p.count).toBe(0)
    expect(refuse("closed")).toBeInstanceOf(Refusal)
    expect(refuse("closed").message).toBe("closed")
  })

  it("lists every problem by path", () => {
    let error: any
    try {
      definePlugin({ name: "", hooks: { beforeEvent: "no" as never, onBoot() {} } as never, notifiers: [{ name: "x" } as never] })
    } catch (e) {
      error = e
    }
    expect(error.code).toBe("CIVICASE_E_INVALID_CONFIG")
    expect(error.issues.map((i: { path: string }) => i.path)).toEqual(["/name", "/hooks/beforeEvent", "/hooks/onBoot", "/notifiers/0"])
  })

  it("builds the built-in plugins, refusing bad options with a clear message", () => {
    expect(auditPlugin().name).toBe("civicase.audit")
    expect(auditPlugin().hooks?.afterCommit).toBeUndefined()
    expect(() => notificationsPlugin({ rules: {}, send: async () => {} })).toThrow(/at least one emitted event type/)
    expect(notificationsPlugin({ rules: { "a.b": () => undefined }, send: async () => {} }).notifiers?.[0]?.topics).toEqual(["a.b"])
  })
})
